/**
 * The function table of a design: every kernel function the model runs, by its
 * kernel name. Model code calls them as `yield* k.vfio_pci_dma_buf_move(vdev, true)`,
 * so a variant that replaces an entry changes every caller, and traces show
 * the kernel call stack. This interface is the public API a user's variant is
 * written against (docs/variants.md).
 */
import type { Ctx } from '../../checker/context.ts';
import type { Ref } from '../../checker/kind.ts';
import type { Gen } from '../bind.ts';
import type { Flags } from '../flags.ts';
import type { Fops } from '../fops.ts';
import type { SleepingLocks } from '../sleeping-locks.ts';
import type { DmaBufRequest, ImporterKind, MmapRange, RegionRwRequest, UserAddr, UserBuf } from './arguments.ts';

/** Linux primitives (kernel/), adapted to take `k`. */
export interface Primitives extends SleepingLocks {
  mutex_init(lock: Ref<'mutex'>, cls: string): Gen<void>;
  down_write_trylock(sem: Ref<'rwsem'>): Gen<boolean>;
  dma_resv_init(resv: Ref<'dma_resv'>): Gen<void>;
  dma_resv_lock(resv: Ref<'dma_resv'>): Gen<void>;
  dma_resv_unlock(resv: Ref<'dma_resv'>): Gen<void>;
  dma_resv_trylock(resv: Ref<'dma_resv'>): Gen<boolean>;
  dma_resv_assert_held(resv: Ref<'dma_resv'>): Gen<void>;
  /** dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT): every fence on resv signalled */
  dma_resv_wait_timeout(resv: Ref<'dma_resv'>): Gen<void>;
  dma_resv_add_fence(resv: Ref<'dma_resv'>, fence: Ref<'dma_fence'>): Gen<void>;
  dma_fence_init(fence: Ref<'dma_fence'>): Gen<void>;
  dma_fence_signal(fence: Ref<'dma_fence'>): Gen<void>;
  lockdep_assert_held_write(lock: string): Gen<void>;
  i_mmap_lock_read(sem: Ref<'rwsem'>): Gen<void>;
  i_mmap_unlock_read(sem: Ref<'rwsem'>): Gen<void>;
  mmap_read_lock(sem: Ref<'rwsem'>): Gen<void>;
  mmap_read_unlock(sem: Ref<'rwsem'>): Gen<void>;
  mmap_write_lock(sem: Ref<'rwsem'>): Gen<void>;
  mmap_write_unlock(sem: Ref<'rwsem'>): Gen<void>;
  kref_init(kref: Ref<'kref'>): Gen<void>;
  kref_get(kref: Ref<'kref'>): Gen<void>;
  /** calls release() when the count drops to zero; returns whether it did */
  kref_put(kref: Ref<'kref'>, release: () => Gen<unknown>): Gen<boolean>;
  refcount_inc_not_zero(ref: string): Gen<boolean>;
  refcount_dec_and_test(ref: string): Gen<boolean>;
  init_completion(c: Ref<'completion'>): Gen<void>;
  reinit_completion(c: Ref<'completion'>): Gen<void>;
  complete(c: Ref<'completion'>): Gen<void>;
  wait_for_completion(c: Ref<'completion'>): Gen<void>;
  /** wait_for_completion_timeout(): 0 when it timed out (which it may at any moment), else > 0 */
  wait_for_completion_timeout(c: Ref<'completion'>, jiffies: number): Gen<number>;
  /** a struct file with one reference, whose f_op (registered by the system) releases `privateData` on the last fput */
  alloc_file_pseudo(file: Ref<'file'>, fops: string, privateData: string): Gen<void>;
  get_file(file: Ref<'file'>): Gen<void>;
  /** kzalloc() of a kernel object at a given id (its memory: freeing it twice is a double free) */
  kzalloc(obj: string, kind: string): Gen<void>;
  kfree(obj: string): Gen<void>;
  /** fget(): looks `fd` up in the process's table and takes a reference unless the file is dying, atomically (RCU) */
  fget(proc: string, fd: string, file: Ref<'file'>): Gen<boolean>;
  get_file_active(file: Ref<'file'>): Gen<boolean>;
  fput(file: Ref<'file'>): Gen<void>;
  /** __fput_sync(): the last reference releases the file at once, whatever the design's syncFput flag (per call) */
  __fput_sync(file: Ref<'file'>): Gen<void>;
  /** an unlocked read of shared state: a scheduling point */
  READ_ONCE(obj: string, field: string): Gen<unknown>;
  /** the device is busy resetting: a scheduling point during which MMIO is unavailable */
  reset_in_progress(vdev: Ref<'vdev'>): Gen<void>;
  /** a scheduling point with no effect of its own: the step after it is atomic (a bus cycle, a device starting a DMA) */
  schedule(action: string, locs: string[]): Gen<void>;
  /** a CPU or DMA access that reached the BAR in this step: reported to the monitors */
  mmio_access(via: 'cpu' | 'dma' | 'iommu' | 'rw', priv: Ref<'priv'> | null, vdev: Ref<'vdev'> | null, bar: number): Gen<void>;
}

/** The VFIO, dma-buf core, importer and iommufd functions (model/upstream/). */
export interface ModelFunctions {
  // drivers/vfio/pci/vfio_pci_dmabuf.c
  vfio_pci_core_feature_dma_buf(vdev: Ref<'vdev'>, req: DmaBufRequest): Gen<number>;
  export_install_fd(priv: Ref<'priv'>, fd_fail: boolean): Gen<number>;
  vfio_pci_dma_buf_attach(priv: Ref<'priv'>, att: Ref<'att'>): Gen<number>;
  vfio_pci_dma_buf_map(priv: Ref<'priv'>, att: Ref<'att'>): Gen<number>;
  /** frees `sgt`, the sg table map handed out (null: none was made) */
  vfio_pci_dma_buf_unmap(priv: Ref<'priv'>, sgt: string | null): Gen<number>;
  vfio_pci_dma_buf_done(priv: Ref<'priv'>): Gen<void>;
  vfio_pci_dma_buf_release(priv: Ref<'priv'>): Gen<number>;
  vfio_pci_dma_buf_iommufd_map(priv: Ref<'priv'>): Gen<number>;
  vfio_pci_dma_buf_move(vdev: Ref<'vdev'>, revoked: boolean): Gen<void>;
  vfio_pci_dma_buf_cleanup(vdev: Ref<'vdev'>): Gen<void>;
  /** VFIO_DEVICE_PCI_DMABUF_REVOKE given the fd `fd` of the primary process (as its table lists it) */
  vfio_pci_core_ioctl_dmabuf_revoke(vdev: Ref<'vdev'>, fd: string): Gen<number>;
  vfio_pci_dma_buf_pin(att: Ref<'att'>): Gen<number>;
  set_revoked(priv: Ref<'priv'>, v: boolean): Gen<void>;
  list_add_tail_dmabuf(vdev: Ref<'vdev'>, priv: Ref<'priv'>): Gen<void>;
  list_del_init_dmabuf(vdev: Ref<'vdev'>, priv: Ref<'priv'>): Gen<void>;
  // drivers/dma-buf/dma-buf.c
  dma_buf_export(priv: Ref<'priv'>): Gen<void>;
  dma_buf_fd(priv: Ref<'priv'>, fail: boolean): Gen<number>;
  /** fd_install() into `proc`'s table as `fd` of the file `entry` names (a dma-buf's priv, a dup()ed fd object): one step */
  fd_install(proc: Ref<'process'>, fd: number, entry: string): Gen<void>;
  close_dmabuf_fd(proc: Ref<'process'>, priv: Ref<'priv'>): Gen<number>;
  /** dma_buf_get() of an fd of the primary process (as its table lists it): 0, -EBADF, or -EINVAL for a file that is no dma-buf */
  dma_buf_get(fd: string): Gen<number>;
  is_dma_buf_file(file: string): Gen<boolean>;
  dma_buf_put(priv: Ref<'priv'>): Gen<void>;
  dma_buf_release(priv: Ref<'priv'>): Gen<void>;
  dma_buf_dynamic_attach(priv: Ref<'priv'>, kind: ImporterKind, importer: string): Gen<{ ret: number; att: Ref<'att'> | null }>;
  dma_buf_detach(att: Ref<'att'>): Gen<void>;
  dma_buf_attach_revocable(att: Ref<'att'>): Gen<boolean>;
  dma_buf_pin(att: Ref<'att'>): Gen<number>;
  dma_buf_unpin(att: Ref<'att'>): Gen<void>;
  dma_buf_map_attachment(att: Ref<'att'>): Gen<number>;
  dma_buf_unmap_attachment(att: Ref<'att'>): Gen<void>;
  dma_buf_invalidate_mappings(priv: Ref<'priv'>): Gen<void>;
  /** range: absent, the whole buffer */
  dma_buf_mmap_internal(priv: Ref<'priv'>, proc: Ref<'process'>, range?: MmapRange): Gen<{ ret: number; vma: Ref<'vma'> | null }>;
  vfio_pci_dma_buf_mmap(priv: Ref<'priv'>, vma: Ref<'vma'>): Gen<number>;
  vfio_pci_dma_buf_mmap_fault(vma: Ref<'vma'>): Gen<string>;
  // importers (model/dmabuf/upstream/importers.ts): their dma_buf_attach_ops callbacks, their threads and devices
  /** attach->importer_ops->invalidate_mappings(attach): calls the callback of the attachment's importer kind */
  importer_invalidate_mappings(att: Ref<'att'>): Gen<void>;
  /** the sync importer's invalidate_mappings: unmaps inside the callback (mlx5_ib_dmabuf_invalidate_cb) */
  sync_importer_invalidate_mappings(att: Ref<'att'>): Gen<void>;
  /** the fence importer's invalidate_mappings: adds a fence for its in-flight DMA, unmaps later */
  fence_importer_invalidate_mappings(att: Ref<'att'>): Gen<void>;
  importer_dma_access(att: Ref<'att'>): Gen<number>;
  /** the device's in-flight DMA completes: dma_fence_signal() of the importer's fence, if it added one */
  importer_fence_signal(att: Ref<'att'>): Gen<void>;
  /** dma_resv_lock() by the importer's thread, its DMA completing meanwhile: returns holding resv */
  importer_dma_resv_lock(att: Ref<'att'>): Gen<void>;
  importer_unmap(att: Ref<'att'>): Gen<number>;
  /** unmap, unpin, dma_buf_detach(): what an importer does before its dma_buf_put() */
  importer_detach(att: Ref<'att'>): Gen<void>;
  importer_map(att: Ref<'att'>): Gen<number>;
  importer_pin(att: Ref<'att'>): Gen<number>;
  // drivers/iommu/iommufd/pages.c
  iopt_map_file_pages(priv: Ref<'priv'>): Gen<{ ret: number; pages: Ref<'pages'> | null }>;
  iopt_map_dmabuf(pages: Ref<'pages'>, priv: Ref<'priv'>): Gen<number>;
  iopt_area_fill_domains(pages: Ref<'pages'>): Gen<void>;
  iopt_revoke_notify(pages: Ref<'pages'>): Gen<void>;
  iommufd_dma_access(pages: Ref<'pages'>): Gen<number>;
  iopt_release_pages(pages: Ref<'pages'>): Gen<number>;
  // drivers/vfio/pci/vfio_pci_config.c
  __vfio_pci_memory_enabled(vdev: Ref<'vdev'>): Gen<boolean>;
  vfio_pci_zap_and_down_write_memory_lock(vdev: Ref<'vdev'>): Gen<void>;
  vfio_pci_zap_bars(vdev: Ref<'vdev'>): Gen<void>;
  vfio_basic_config_write_command(vdev: Ref<'vdev'>, mem: boolean): Gen<number>;
  vfio_lock_and_set_power_state(vdev: Ref<'vdev'>, d3: boolean): Gen<number>;
  vfio_pci_set_power_state(vdev: Ref<'vdev'>, state: 'D0' | 'D3hot'): Gen<void>;
  vfio_exp_config_write_flr(vdev: Ref<'vdev'>): Gen<number>;
  pci_try_reset_function(vdev: Ref<'vdev'>): Gen<void>;
  // drivers/vfio/pci/vfio_pci_core.c
  vfio_pci_core_setup_barmap(vdev: Ref<'vdev'>, bar: number): Gen<number>;
  vfio_pci_ioctl_reset(vdev: Ref<'vdev'>): Gen<number>;
  vfio_pci_dev_set_hot_reset(devset: Ref<'vfio_device_set'>): Gen<number>;
  hot_reset_may_unrevoke(vdev: Ref<'vdev'>): Gen<boolean>;
  pci_reset_bus(devices: readonly Ref<'vdev'>[]): Gen<void>;
  vfio_pci_runtime_pm_entry(vdev: Ref<'vdev'>): Gen<number>;
  vfio_pci_runtime_pm_exit(vdev: Ref<'vdev'>): Gen<number>;
  __vfio_pci_runtime_pm_exit(vdev: Ref<'vdev'>): Gen<void>;
  vfio_pci_core_runtime_resume(vdev: Ref<'vdev'>): Gen<number>;
  vfio_pci_core_close_device(vdev: Ref<'vdev'>): Gen<void>;
  vfio_pci_core_disable(vdev: Ref<'vdev'>): Gen<void>;
  vfio_df_open(vdev: Ref<'vdev'>): Gen<number>;
  vfio_pci_set_irqs_ioctl(vdev: Ref<'vdev'>): Gen<number>;
  vfio_device_fops_release(vdev: Ref<'vdev'>): Gen<void>;
  /** range: absent, the whole BAR */
  vfio_pci_core_mmap(vdev: Ref<'vdev'>, bar: number, proc: Ref<'process'>, range?: MmapRange): Gen<{ ret: number; vma: Ref<'vma'> | null }>;
  vfio_pci_mmap_huge_fault(vma: Ref<'vma'>): Gen<string>;
  /** a CPU load/store at a user address of process `mm` */
  cpu_access(mm: Ref<'process'>, at: UserAddr): Gen<number | string>;
  // arch/x86/mm/fault.c, mm/memory.c
  do_user_addr_fault(mm: Ref<'process'>, addr: number): Gen<string>;
  lock_mm_and_find_vma(mm: Ref<'process'>, addr: number): Gen<Ref<'vma'> | null>;
  handle_mm_fault(vma: Ref<'vma'>): Gen<string>;
  // mm/mmap.c (model/dmabuf/upstream/mmap.ts): addresses of mappings
  get_unmapped_area(mm: Ref<'process'>, len: number): Gen<number>;
  find_vma(mm: Ref<'process'>, addr: number): Gen<Ref<'vma'> | null>;
  /** munmap(addr): the VMA holding addr goes whole */
  vfio_pci_munmap(mm: Ref<'process'>, at: UserAddr): Gen<number>;
  // drivers/vfio/pci/vfio_pci_rdwr.c (read()/write() of the device fd) and the user copies
  vfio_pci_core_read(vdev: Ref<'vdev'>, req: RegionRwRequest): Gen<number>;
  vfio_pci_core_write(vdev: Ref<'vdev'>, req: RegionRwRequest): Gen<number>;
  vfio_pci_rw(vdev: Ref<'vdev'>, req: RegionRwRequest, iswrite: boolean): Gen<number>;
  vfio_pci_bar_rw(vdev: Ref<'vdev'>, req: RegionRwRequest, iswrite: boolean): Gen<number>;
  vfio_pci_core_do_io_rw(
    vdev: Ref<'vdev'>,
    bar: number,
    test_mem: boolean,
    buf: UserBuf,
    off: number,
    count: number,
    iswrite: boolean,
  ): Gen<number>;
  vfio_pci_iordwr(vdev: Ref<'vdev'>, bar: number, iswrite: boolean, test_mem: boolean, buf: UserBuf, size: number): Gen<number>;
  vfio_pci_core_ioread(vdev: Ref<'vdev'>, bar: number, test_mem: boolean, size: number): Gen<number>;
  vfio_pci_core_iowrite(vdev: Ref<'vdev'>, bar: number, test_mem: boolean, size: number): Gen<number>;
  /** the bytes not copied (0: all of them were) */
  copy_to_user(buf: UserBuf, bytes: number): Gen<number>;
  copy_from_user(buf: UserBuf, bytes: number): Gen<number>;
  // fs/file.c, fs/open.c: dup() and close() of any fd
  ksys_dup(proc: Ref<'process'>, fd: string): Gen<number>;
  close_fd(proc: Ref<'process'>, fd: string): Gen<number>;
  filp_close(file: Ref<'file'>): Gen<number>;
  // drivers/vfio/group.c, container.c: the group path's fds (bound vfio_group)
  vfio_df_group_open(vdev: Ref<'vdev'>): Gen<number>;
  vfio_group_use_container(group: Ref<'dmabuf.vfio_group'>): Gen<number>;
  vfio_group_unuse_container(group: Ref<'dmabuf.vfio_group'>): Gen<void>;
  vfio_group_fops_release(group: Ref<'dmabuf.vfio_group'>): Gen<void>;
  vfio_group_detach_container(group: Ref<'dmabuf.vfio_group'>): Gen<void>;
  vfio_fops_release(container: Ref<'dmabuf.vfio_container'>): Gen<void>;
  vfio_container_put(container: Ref<'dmabuf.vfio_container'>): Gen<void>;
  // drivers/vfio/vfio_main.c
  vfio_device_try_get_registration(vdev: Ref<'vdev'>): Gen<boolean>;
  vfio_device_put_registration(vdev: Ref<'vdev'>): Gen<void>;
  vfio_unregister_group_dev(vdev: Ref<'vdev'>): Gen<number>;
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
