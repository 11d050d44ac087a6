/**
 * The function table of a design: every kernel function the model runs, by its
 * kernel name. Model code calls them as `yield* k.vfio_pci_dma_buf_move(vdev, true)`,
 * so a variant that replaces an entry changes every caller, and traces show
 * the kernel call stack. This interface is the public API a user's variant is
 * written against (docs/variants.md).
 */
import type { Ctx } from '../../checker/context.ts';
import type { Gen } from '../bind.ts';
import type { Flags } from '../flags.ts';
import type { Fops } from '../fops.ts';
import type { DmaBufRequest, ImporterKind, MmapRange, RegionRwRequest, UserAddr, UserBuf } from './arguments.ts';

type Maybe<T> = Gen<T>;

/** Linux primitives (kernel/), adapted to take `k`. */
export interface Primitives {
  mutex_init(lock: string, cls: string): Maybe<void>;
  mutex_lock(lock: string): Maybe<void>;
  mutex_unlock(lock: string): Maybe<void>;
  down_read(sem: string): Maybe<void>;
  up_read(sem: string): Maybe<void>;
  down_write(sem: string): Maybe<void>;
  up_write(sem: string): Maybe<void>;
  down_write_trylock(sem: string): Maybe<boolean>;
  dma_resv_init(resv: string): Maybe<void>;
  dma_resv_lock(resv: string): Maybe<void>;
  dma_resv_unlock(resv: string): Maybe<void>;
  dma_resv_trylock(resv: string): Maybe<boolean>;
  dma_resv_assert_held(resv: string): Maybe<void>;
  /** dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT): every fence on resv signalled */
  dma_resv_wait_timeout(resv: string): Maybe<void>;
  dma_resv_add_fence(resv: string, fence: string): Maybe<void>;
  dma_fence_init(fence: string): Maybe<void>;
  dma_fence_signal(fence: string): Maybe<void>;
  lockdep_assert_held_write(lock: string): Maybe<void>;
  i_mmap_lock_read(sem: string): Maybe<void>;
  i_mmap_unlock_read(sem: string): Maybe<void>;
  mmap_read_lock(sem: string): Maybe<void>;
  mmap_read_unlock(sem: string): Maybe<void>;
  mmap_write_lock(sem: string): Maybe<void>;
  mmap_write_unlock(sem: string): Maybe<void>;
  kref_init(kref: string): Maybe<void>;
  kref_get(kref: string): Maybe<void>;
  /** calls release() when the count drops to zero; returns whether it did */
  kref_put(kref: string, release: () => Gen<unknown>): Maybe<boolean>;
  refcount_inc_not_zero(ref: string): Maybe<boolean>;
  refcount_dec_and_test(ref: string): Maybe<boolean>;
  init_completion(c: string): Maybe<void>;
  reinit_completion(c: string): Maybe<void>;
  complete(c: string): Maybe<void>;
  wait_for_completion(c: string): Maybe<void>;
  /** wait_for_completion_timeout(): 0 when it timed out (which it may at any moment), else > 0 */
  wait_for_completion_timeout(c: string, jiffies: number): Maybe<number>;
  /** a struct file with one reference, whose f_op (registered by the system) releases `privateData` on the last fput */
  alloc_file_pseudo(file: string, fops: string, privateData: string): Maybe<void>;
  get_file(file: string): Maybe<void>;
  /** kzalloc() of a kernel object at a given id (its memory: freeing it twice is a double free) */
  kzalloc(obj: string, kind: string): Maybe<void>;
  kfree(obj: string): Maybe<void>;
  /** fget(): looks `fd` up in the process's table and takes a reference unless the file is dying, atomically (RCU) */
  fget(proc: string, fd: string, file: string): Maybe<boolean>;
  get_file_active(file: string): Maybe<boolean>;
  fput(file: string): Maybe<void>;
  /** __fput_sync(): the last reference releases the file at once, whatever the design's syncFput flag (per call) */
  __fput_sync(file: string): Maybe<void>;
  /** an unlocked read of shared state: a scheduling point */
  READ_ONCE(obj: string, field: string): Maybe<unknown>;
  /** the device is busy resetting: a scheduling point during which MMIO is unavailable */
  reset_in_progress(vdev: string): Maybe<void>;
  /** a scheduling point with no effect of its own: the step after it is atomic (a bus cycle, a device starting a DMA) */
  schedule(action: string, locs: string[]): Maybe<void>;
  /** a CPU or DMA access that reached the BAR in this step: reported to the monitors */
  mmio_access(via: 'cpu' | 'dma' | 'iommu' | 'rw', priv: string | null, vdev: string | null, bar: number): Maybe<void>;
}

/** The VFIO, dma-buf core, importer and iommufd functions (model/upstream/). */
export interface ModelFunctions {
  // drivers/vfio/pci/vfio_pci_dmabuf.c
  vfio_pci_core_feature_dma_buf(vdev: string, req: DmaBufRequest): Maybe<number>;
  export_install_fd(priv: string, fd_fail: boolean): Maybe<number>;
  vfio_pci_dma_buf_attach(priv: string, att: string): Maybe<number>;
  vfio_pci_dma_buf_map(priv: string, att: string): Maybe<number>;
  /** frees `sgt`, the sg table map handed out (null: none was made) */
  vfio_pci_dma_buf_unmap(priv: string, sgt: string | null): Maybe<number>;
  vfio_pci_dma_buf_done(priv: string): Maybe<void>;
  vfio_pci_dma_buf_release(priv: string): Maybe<number>;
  vfio_pci_dma_buf_iommufd_map(priv: string): Maybe<number>;
  vfio_pci_dma_buf_move(vdev: string, revoked: boolean): Maybe<void>;
  vfio_pci_dma_buf_cleanup(vdev: string): Maybe<void>;
  /** VFIO_DEVICE_PCI_DMABUF_REVOKE given the fd `fd` of the primary process (as its table lists it) */
  vfio_pci_core_ioctl_dmabuf_revoke(vdev: string, fd: string): Maybe<number>;
  vfio_pci_dma_buf_pin(att: string): Maybe<number>;
  set_revoked(priv: string, v: boolean): Maybe<void>;
  list_add_tail_dmabuf(vdev: string, priv: string): Maybe<void>;
  list_del_init_dmabuf(vdev: string, priv: string): Maybe<void>;
  // drivers/dma-buf/dma-buf.c
  dma_buf_export(priv: string): Maybe<void>;
  dma_buf_fd(priv: string, fail: boolean): Maybe<number>;
  /** fd_install() into `proc`'s table as `fd` of the file `entry` names (a dma-buf's priv, a dup()ed fd object): one step */
  fd_install(proc: string, fd: number, entry: string): Maybe<void>;
  close_dmabuf_fd(proc: string, priv: string): Maybe<number>;
  /** dma_buf_get() of an fd of the primary process (as its table lists it): 0, -EBADF, or -EINVAL for a file that is no dma-buf */
  dma_buf_get(fd: string): Maybe<number>;
  is_dma_buf_file(file: string): Maybe<boolean>;
  dma_buf_put(priv: string): Maybe<void>;
  dma_buf_release(priv: string): Maybe<void>;
  dma_buf_dynamic_attach(priv: string, kind: ImporterKind, importer: string): Maybe<{ ret: number; att: string | null }>;
  dma_buf_detach(att: string): Maybe<void>;
  dma_buf_attach_revocable(att: string): Maybe<boolean>;
  dma_buf_pin(att: string): Maybe<number>;
  dma_buf_unpin(att: string): Maybe<void>;
  dma_buf_map_attachment(att: string): Maybe<number>;
  dma_buf_unmap_attachment(att: string): Maybe<void>;
  dma_buf_invalidate_mappings(priv: string): Maybe<void>;
  /** range: absent, the whole buffer */
  dma_buf_mmap_internal(priv: string, proc: string, range?: MmapRange): Maybe<{ ret: number; vma: string | null }>;
  vfio_pci_dma_buf_mmap(priv: string, vma: string): Maybe<number>;
  vfio_pci_dma_buf_mmap_fault(vma: string): Maybe<string>;
  // importers (model/dmabuf/upstream/importers.ts): their dma_buf_attach_ops callbacks, their threads and devices
  /** attach->importer_ops->invalidate_mappings(attach): calls the callback of the attachment's importer kind */
  importer_invalidate_mappings(att: string): Maybe<void>;
  /** the sync importer's invalidate_mappings: unmaps inside the callback (mlx5_ib_dmabuf_invalidate_cb) */
  sync_importer_invalidate_mappings(att: string): Maybe<void>;
  /** the fence importer's invalidate_mappings: adds a fence for its in-flight DMA, unmaps later */
  fence_importer_invalidate_mappings(att: string): Maybe<void>;
  importer_dma_access(att: string): Maybe<number>;
  /** the device's in-flight DMA completes: dma_fence_signal() of the importer's fence, if it added one */
  importer_fence_signal(att: string): Maybe<void>;
  /** dma_resv_lock() by the importer's thread, its DMA completing meanwhile: returns holding resv */
  importer_dma_resv_lock(att: string): Maybe<void>;
  importer_unmap(att: string): Maybe<number>;
  /** unmap, unpin, dma_buf_detach(): what an importer does before its dma_buf_put() */
  importer_detach(att: string): Maybe<void>;
  importer_map(att: string): Maybe<number>;
  importer_pin(att: string): Maybe<number>;
  // drivers/iommu/iommufd/pages.c
  iopt_map_file_pages(priv: string): Maybe<{ ret: number; pages: string | null }>;
  iopt_map_dmabuf(pages: string, priv: string): Maybe<number>;
  iopt_area_fill_domains(pages: string): Maybe<void>;
  iopt_revoke_notify(pages: string): Maybe<void>;
  iommufd_dma_access(pages: string): Maybe<number>;
  iopt_release_pages(pages: string): Maybe<number>;
  // drivers/vfio/pci/vfio_pci_config.c
  __vfio_pci_memory_enabled(vdev: string): Maybe<boolean>;
  vfio_pci_zap_and_down_write_memory_lock(vdev: string): Maybe<void>;
  vfio_pci_zap_bars(vdev: string): Maybe<void>;
  vfio_basic_config_write_command(vdev: string, mem: boolean): Maybe<number>;
  vfio_lock_and_set_power_state(vdev: string, d3: boolean): Maybe<number>;
  vfio_pci_set_power_state(vdev: string, state: 'D0' | 'D3hot'): Maybe<void>;
  vfio_exp_config_write_flr(vdev: string): Maybe<number>;
  pci_try_reset_function(vdev: string): Maybe<void>;
  // drivers/vfio/pci/vfio_pci_core.c
  vfio_pci_core_setup_barmap(vdev: string, bar: number): Maybe<number>;
  vfio_pci_ioctl_reset(vdev: string): Maybe<number>;
  vfio_pci_dev_set_hot_reset(devset: string): Maybe<number>;
  hot_reset_may_unrevoke(vdev: string): Maybe<boolean>;
  pci_reset_bus(devices: string[]): Maybe<void>;
  vfio_pci_runtime_pm_entry(vdev: string): Maybe<number>;
  vfio_pci_runtime_pm_exit(vdev: string): Maybe<number>;
  __vfio_pci_runtime_pm_exit(vdev: string): Maybe<void>;
  vfio_pci_core_runtime_resume(vdev: string): Maybe<number>;
  vfio_pci_core_close_device(vdev: string): Maybe<void>;
  vfio_pci_core_disable(vdev: string): Maybe<void>;
  vfio_df_open(vdev: string): Maybe<number>;
  vfio_pci_set_irqs_ioctl(vdev: string): Maybe<number>;
  vfio_device_fops_release(vdev: string): Maybe<void>;
  /** range: absent, the whole BAR */
  vfio_pci_core_mmap(vdev: string, bar: number, proc: string, range?: MmapRange): Maybe<{ ret: number; vma: string | null }>;
  vfio_pci_mmap_huge_fault(vma: string): Maybe<string>;
  /** a CPU load/store at a user address of process `mm` */
  cpu_access(mm: string, at: UserAddr): Maybe<number | string>;
  // arch/x86/mm/fault.c, mm/memory.c
  do_user_addr_fault(mm: string, addr: number): Maybe<string>;
  lock_mm_and_find_vma(mm: string, addr: number): Maybe<string | null>;
  handle_mm_fault(vma: string): Maybe<string>;
  // mm/mmap.c (model/dmabuf/upstream/mmap.ts): addresses of mappings
  get_unmapped_area(mm: string, len: number): Maybe<number>;
  find_vma(mm: string, addr: number): Maybe<string | null>;
  /** munmap(addr): the VMA holding addr goes whole */
  vfio_pci_munmap(mm: string, at: UserAddr): Maybe<number>;
  // drivers/vfio/pci/vfio_pci_rdwr.c (read()/write() of the device fd) and the user copies
  vfio_pci_core_read(vdev: string, req: RegionRwRequest): Maybe<number>;
  vfio_pci_core_write(vdev: string, req: RegionRwRequest): Maybe<number>;
  vfio_pci_rw(vdev: string, req: RegionRwRequest, iswrite: boolean): Maybe<number>;
  vfio_pci_bar_rw(vdev: string, req: RegionRwRequest, iswrite: boolean): Maybe<number>;
  vfio_pci_core_do_io_rw(
    vdev: string,
    bar: number,
    test_mem: boolean,
    buf: UserBuf,
    off: number,
    count: number,
    iswrite: boolean,
  ): Maybe<number>;
  vfio_pci_iordwr(vdev: string, bar: number, iswrite: boolean, test_mem: boolean, buf: UserBuf, size: number): Maybe<number>;
  vfio_pci_core_ioread(vdev: string, bar: number, test_mem: boolean, size: number): Maybe<number>;
  vfio_pci_core_iowrite(vdev: string, bar: number, test_mem: boolean, size: number): Maybe<number>;
  /** the bytes not copied (0: all of them were) */
  copy_to_user(buf: UserBuf, bytes: number): Maybe<number>;
  copy_from_user(buf: UserBuf, bytes: number): Maybe<number>;
  // fs/file.c, fs/open.c: dup() and close() of any fd
  ksys_dup(proc: string, fd: string): Maybe<number>;
  close_fd(proc: string, fd: string): Maybe<number>;
  filp_close(file: string): Maybe<number>;
  // drivers/vfio/group.c, container.c: the group path's fds (bound vfio_group)
  vfio_df_group_open(vdev: string): Maybe<number>;
  vfio_group_use_container(group: string): Maybe<number>;
  vfio_group_unuse_container(group: string): Maybe<void>;
  vfio_group_fops_release(group: string): Maybe<void>;
  vfio_group_detach_container(group: string): Maybe<void>;
  vfio_fops_release(container: string): Maybe<void>;
  vfio_container_put(container: string): Maybe<void>;
  // drivers/vfio/vfio_main.c
  vfio_device_try_get_registration(vdev: string): Maybe<boolean>;
  vfio_device_put_registration(vdev: string): Maybe<void>;
  vfio_unregister_group_dev(vdev: string): Maybe<number>;
}

/** What every model function receives: its thread's ctx, the design's flags, and the design's functions bound to it. */
export interface K extends Primitives, ModelFunctions {
  readonly ctx: Ctx;
  readonly flags: Flags;
  /** the design's name */
  readonly design: string;
  /** the System's f_op tables, for the files its functions allocate */
  readonly fops: Fops;
}

/** A table over bound kernel `KK` of the functions `F` declares: each entry takes `KK` first, then `F`'s arguments. */
export type TableOf<KK, F> = {
  readonly [N in keyof F]: F[N] extends (...args: infer A) => infer R ? (k: KK, ...args: A) => R : never;
};

/** A table entry: the kernel function with `k` first, as written in model/upstream/ and in variants. */
export type FunctionTable = TableOf<K, Primitives & ModelFunctions>;
