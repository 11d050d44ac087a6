import type { Ref } from '../../checker/kind.ts';
// Arguments of the model's functions that are neither handles nor numbers: functions.ts declares the
// functions with them and upstream/ implements them, so they live below both.

/** What an importer's dma_buf_attach_ops look like, by kind (see docs/functions.md). */
export type ImporterKind = 'sync' | 'fence' | 'pinned' | 'static' | 'iommufd';

/** Export request of VFIO_DEVICE_FEATURE_DMA_BUF (struct vfio_device_feature_dma_buf), reduced to what changes behaviour. */
export interface DmaBufRequest {
  readonly bar: number;
  readonly nr_ranges: number;
  readonly flags: number;
  /** make dma_buf_fd() fail (get_unused_fd_flags: -EMFILE), to reach its error path */
  readonly fd_fail: boolean;
  /** dma_ranges[] (struct vfio_region_dma_range), nr_ranges of them; absent: each range is the whole BAR */
  readonly ranges?: readonly DmaRange[];
}

/** struct vfio_region_dma_range: bytes of the BAR */
export interface DmaRange {
  readonly offset: number;
  readonly length: number;
}

/** The VMA an mmap() asks for: vm_pgoff (pages into the file, after the region index bits) and its length in pages. */
export interface MmapRange {
  readonly pgoff: number;
  readonly pages: number;
}

/**
 * A user address as the model's syscalls take one: `addr` itself, or (addr null) the start of
 * `vma`, read where the address is used. `vma` is also the mapping the caller takes to be there
 * (its own mapping, the VMA a scenario named), or null; the kernel side still resolves the address
 * (find_vma, a page-table walk), and since the model never reuses a range, a VMA that holds the
 * address is the only one that can.
 */
export interface UserAddr {
  readonly addr: number | null;
  readonly vma: Ref<'vma'> | null;
}

/**
 * The user buffer of a read()/write() on the device fd, as the model tells them apart: ordinary
 * memory of the process ('anon'), a user address, which may be in a mapping of the process (a BAR
 * or dma-buf mmap, whose fault takes what that fault takes), or an address nothing is mapped at
 * ('unmapped').
 */
export type UserBuf = 'anon' | 'unmapped' | UserAddr;

/** read()/write() of the device fd at *ppos = VFIO_PCI_INDEX_TO_OFFSET(index) + pos, `count` bytes from/to `buf`. */
export interface RegionRwRequest {
  readonly index: number;
  readonly pos: number;
  readonly count: number;
  readonly buf: UserBuf;
}
