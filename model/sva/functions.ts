/**
 * The function table of an SVA design: every kernel function the SVA model
 * runs, by its kernel name. Model code calls them as
 * `yield* k.vfio_iommu_replay_bind(iommu, group)`, so a variant that replaces
 * an entry changes every caller, and traces show the kernel call stack. This
 * interface is the public API SVA variants are written against.
 */
import type { Ctx } from '../../checker/context.ts';
import type { World } from '../../checker/world.ts';
import type { Gen } from '../bind.ts';
import type { Flags } from '../flags.ts';
import type { BindArg, IopfFault, WorkItem } from './arguments.ts';

/** The Linux primitives of kernel/ that the SVA model uses. */
export interface SvaPrimitives {
  mutex_lock(lock: string): Gen<void>;
  mutex_unlock(lock: string): Gen<void>;
  down_read(sem: string): Gen<void>;
  up_read(sem: string): Gen<void>;
  down_write(sem: string): Gen<void>;
  up_write(sem: string): Gen<void>;
  refcount_inc(obj: string, field: string): Gen<void>;
  refcount_inc_not_zero(obj: string, field: string): Gen<boolean>;
  refcount_dec_and_test(obj: string, field: string): Gen<boolean>;
  kfree(obj: string | null): Gen<void>;
  get_file(file: string): Gen<void>;
  fput(file: string): Gen<void>;
  /** wait_event() on a condition that reads only `locs` */
  wait_event(what: string, locs: readonly string[], cond: (w: World) => boolean): Gen<void>;
}

/** kernel/fork.c, kernel/exit.c, kernel/ptrace.c, mm/, kernel/workqueue.c (model/sva/mm.ts). */
export interface SvaMm {
  find_get_task_by_vpid(pid: number): Gen<string | null>;
  task_lock(task: string): Gen<void>;
  get_task_mm(task: string): Gen<string | null>;
  ptrace_may_access(task: string, mode: string): Gen<boolean>;
  /** the mm (with an mm_users reference), -EACCES, or null */
  mm_access(task: string, mode: string): Gen<string | number | null>;
  mmget(mm: string): Gen<void>;
  mmget_not_zero(mm: string): Gen<boolean>;
  mmgrab(mm: string): Gen<void>;
  mmdrop(mm: string): Gen<void>;
  __mmdrop(mm: string): Gen<void>;
  mmput(mm: string): Gen<void>;
  mmput_async(mm: string): Gen<void>;
  mmput_async_fn(mm: string): Gen<void>;
  __mmput(mm: string): Gen<void>;
  exit_mmap(mm: string): Gen<void>;
  mmu_notifier_release(mm: string): Gen<void>;
  mmu_notifier_register(ioMm: string, mm: string): Gen<void>;
  mmu_notifier_unregister_no_release(ioMm: string, mm: string): Gen<void>;
  schedule_work(mm: string): Gen<void>;
  exit_mm(task: string): Gen<void>;
  exit_files(task: string): Gen<void>;
  do_exit(task: string): Gen<void>;
  /** fork(): the child's pid */
  copy_process(parent: string): Gen<number>;
}

/** kernel/workqueue.c (model/sva/workqueue.ts): work runs on the scenario's kworker threads. */
export interface SvaWorkqueue {
  queue_work(wq: string, item: WorkItem): Gen<void>;
  /** false once the worker is stopped and nothing is left */
  process_one_work(wq: string): Gen<boolean>;
  worker_thread(wq: string): Gen<void>;
  flush_workqueue(wq: string): Gen<void>;
  flush_scheduled_work(): Gen<void>;
  kthread_stop_workers(wq: string): Gen<void>;
}

/** The I/O page-fault path: drivers/iommu/io-pgfault.c of the series, and iommu_sva_find() (model/sva/io_pgfault.ts). */
export interface SvaIopf {
  /** the device's page request for programmed DMA job `job`: 0, 'stopped' (user space stopped the job), or an errno */
  iommu_report_device_fault(dev: string, job: number): Gen<number | string>;
  iommu_queue_iopf(dev: string, fault: IopfFault): Gen<number>;
  iopf_handle_group(fault: IopfFault): Gen<void>;
  iopf_handle_single(fault: IopfFault): Gen<string>;
  handle_mm_fault(mm: string, fault: IopfFault): Gen<string>;
  iommu_page_response(dev: string, pasid: number, status: string): Gen<void>;
  iopf_queue_flush_dev(dev: string): Gen<number>;
  /** the mm bound to `pasid`, with an mm_users reference, or null */
  iommu_sva_find(pasid: number): Gen<string | null>;
}

/** drivers/iommu/iommu-sva.c of the v2 series, and the IOMMU's PASID-tagged translation (model/sva/iommu_sva.ts). */
export interface SvaCore {
  spin_lock_iommu_sva(why: string): Gen<void>;
  io_mm_alloc(dev: string, mm: string): Gen<{ ret: number; ioMm: string | null }>;
  io_mm_release(ioMm: string): Gen<void>;
  io_mm_free(ioMm: string): Gen<void>;
  arm_smmu_mm_free(ioMm: string): Gen<void>;
  io_mm_attach(dev: string, ioMm: string, drvdata: string): Gen<number>;
  io_mm_detach_locked(bond: string, wait: boolean): Gen<boolean>;
  iommu_signal_mm_exit(bond: string): Gen<number>;
  iommu_notifier_release(ioMm: string, mm: string): Gen<void>;
  iommu_sva_device_init(dev: string, mmExit: boolean): Gen<number>;
  iommu_sva_device_shutdown(dev: string): Gen<number>;
  __iommu_sva_bind_device(dev: string, mm: string, drvdata: string): Gen<{ ret: number; pasid: number }>;
  __iommu_sva_unbind_device(dev: string, pasid: number): Gen<number>;
  __iommu_sva_unbind_dev_all(dev: string): Gen<void>;
  /** the device runs programmed DMA job `job` (unless user space stopped it there); the IOMMU translates its PASID: 'fault', 'abort', 'translated' or 'stopped' */
  iommu_pasid_dma(dev: string, job: number): Gen<string>;
}

/** drivers/vfio/vfio_iommu_type1.c with seed 003, and drivers/vfio/vfio.c (model/sva/vfio_iommu_type1.ts, vfio.ts). */
export interface SvaVfio {
  vfio_iommu_mm_exit(dev: string, pasid: number, iommu: string): Gen<number>;
  vfio_iommu_sva_init(dev: string): Gen<number>;
  vfio_iommu_sva_shutdown(dev: string): Gen<number>;
  vfio_iommu_sva_bind_dev(dev: string, data: { vfio_mm: string; iommu: string; count: number }): Gen<number>;
  vfio_iommu_sva_unbind_dev(dev: string, vfioMm: string): Gen<number>;
  vfio_iommu_bind_group(iommu: string, group: string, vfioMm: string): Gen<number>;
  vfio_iommu_unbind_group(group: string, vfioMm: string): Gen<void>;
  vfio_iommu_unbind(iommu: string, vfioMm: string): Gen<void>;
  vfio_iommu_replay_bind(iommu: string, group: string): Gen<number>;
  vfio_iommu_free_all_mm(iommu: string): Gen<void>;
  iommu_attach_group(domain: string, group: string): Gen<number>;
  iommu_detach_group(domain: string, group: string): Gen<void>;
  vfio_iommu_try_attach_group(iommu: string, group: string, curDomain: string, newDomain: string): Gen<number>;
  vfio_iommu_type1_attach_group(iommu: string, group: string): Gen<number>;
  vfio_iommu_type1_detach_group(iommu: string, group: string): Gen<void>;
  vfio_iommu_type1_release(iommu: string): Gen<void>;
  /** the mm (with an mm_users reference) or an errno */
  vfio_iommu_get_mm_by_vpid(vpid: number): Gen<string | number>;
  vfio_iommu_type1_bind_process(iommu: string, arg: BindArg): Gen<number>;
  vfio_iommu_type1_unbind_process(iommu: string, arg: BindArg): Gen<number>;
  vfio_iommu_type1_ioctl(iommu: string, cmd: string, arg: BindArg): Gen<number>;
  vfio_fops_unl_ioctl(container: string, cmd: string, arg: BindArg): Gen<number>;
  vfio_container_get(container: string): Gen<void>;
  vfio_container_put(container: string): Gen<void>;
  vfio_group_set_container(group: string, container: string): Gen<number>;
  __vfio_group_unset_container(group: string): Gen<void>;
  vfio_group_unset_container(group: string): Gen<number>;
  vfio_group_fops_release(group: string): Gen<number>;
  vfio_fops_release(container: string): Gen<number>;
}

export type SvaFunctions = SvaPrimitives & SvaMm & SvaWorkqueue & SvaIopf & SvaCore & SvaVfio;

/** What every SVA model function receives: its thread's ctx and task, the design's flags, and the design's functions bound to it. */
export interface SvaK extends SvaFunctions {
  readonly ctx: Ctx;
  readonly flags: Flags;
  readonly design: string;
  /** `current`: the task_struct the thread runs as (null for kworkers and the device) */
  current: string | null;
}

/** A table entry: the kernel function with `k` first, as written in model/sva/ and in SVA variants. */
export type SvaTable = {
  readonly [N in keyof SvaFunctions]: (k: SvaK, ...args: Parameters<SvaFunctions[N]>) => ReturnType<SvaFunctions[N]>;
};
