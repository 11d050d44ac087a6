/**
 * The function table of an SVA design: every kernel function the SVA model
 * runs, by its kernel name. Model code calls them as
 * `yield* k.vfio_iommu_replay_bind(iommu, group)`, so a variant that replaces
 * an entry changes every caller, and traces show the kernel call stack. This
 * interface is the public API SVA variants are written against.
 */
import type { Ctx } from '../../checker/context.ts';
import type { Ref } from '../../checker/kind.ts';
import type { World } from '../../checker/world.ts';
import type { Gen } from '../bind.ts';
import type { Flags } from '../flags.ts';
import type { SleepingLocks } from '../sleeping-locks.ts';
import type { BindArg, IopfFault, WorkItem } from './arguments.ts';

type Task = Ref<'task_struct'>;
type Mm = Ref<'mm'>;
type IoMm = Ref<'io_mm'>;
type Bond = Ref<'iommu_bond'>;
type Dev = Ref<'device'>;
type Group = Ref<'vfio_group'>;
type Iommu = Ref<'vfio_iommu'>;
type Container = Ref<'vfio_container'>;
type VfioMm = Ref<'vfio_mm'>;
type Domain = Ref<'vfio_domain'>;
type Wq = Ref<'workqueue'>;

/** The Linux primitives of kernel/ that the SVA model uses. */
export interface SvaPrimitives extends SleepingLocks {
  refcount_inc(obj: string, field: string): Gen<void>;
  refcount_inc_not_zero(obj: string, field: string): Gen<boolean>;
  refcount_dec_and_test(obj: string, field: string): Gen<boolean>;
  kfree(obj: string | null): Gen<void>;
  get_file(file: Ref<'file'>): Gen<void>;
  fput(file: Ref<'file'>): Gen<void>;
  /** wait_event() on a condition that reads only `locs` */
  wait_event(what: string, locs: readonly string[], cond: (w: World) => boolean): Gen<void>;
}

/** kernel/fork.c, kernel/exit.c, kernel/ptrace.c, mm/, kernel/workqueue.c (model/sva/mm.ts). */
export interface SvaMm {
  find_get_task_by_vpid(pid: number): Gen<Task | null>;
  task_lock(task: Task): Gen<void>;
  /** `task` a plain id too: test/sva's mutants pass one */
  get_task_mm(task: string): Gen<Mm | null>;
  ptrace_may_access(task: Task, mode: string): Gen<boolean>;
  /** the mm (with an mm_users reference), -EACCES, or null */
  mm_access(task: Task, mode: string): Gen<Mm | number | null>;
  mmget(mm: Mm): Gen<void>;
  mmget_not_zero(mm: Mm): Gen<boolean>;
  mmgrab(mm: Mm): Gen<void>;
  mmdrop(mm: Mm): Gen<void>;
  __mmdrop(mm: Mm): Gen<void>;
  mmput(mm: Mm): Gen<void>;
  mmput_async(mm: Mm): Gen<void>;
  mmput_async_fn(mm: Mm): Gen<void>;
  __mmput(mm: Mm): Gen<void>;
  exit_mmap(mm: Mm): Gen<void>;
  mmu_notifier_release(mm: Mm): Gen<void>;
  mmu_notifier_register(ioMm: IoMm, mm: Mm): Gen<void>;
  mmu_notifier_unregister_no_release(ioMm: IoMm, mm: Mm): Gen<void>;
  schedule_work(mm: Mm): Gen<void>;
  exit_mm(task: Task): Gen<void>;
  exit_files(task: Task): Gen<void>;
  do_exit(task: Task): Gen<void>;
  /** fork(): the child's pid */
  copy_process(parent: Task): Gen<number>;
}

/** kernel/workqueue.c (model/sva/workqueue.ts): work runs on the scenario's kworker threads. */
export interface SvaWorkqueue {
  queue_work(wq: Wq, item: WorkItem): Gen<void>;
  /** false once the worker is stopped and nothing is left */
  process_one_work(wq: Wq): Gen<boolean>;
  worker_thread(wq: Wq): Gen<void>;
  flush_workqueue(wq: Wq): Gen<void>;
  flush_scheduled_work(): Gen<void>;
  kthread_stop_workers(wq: Wq): Gen<void>;
}

/** The I/O page-fault path: drivers/iommu/io-pgfault.c of the series, and iommu_sva_find() (model/sva/io_pgfault.ts). */
export interface SvaIopf {
  /** the device's page request for programmed DMA job `job`: 0, 'stopped' (user space stopped the job), or an errno */
  iommu_report_device_fault(dev: Dev, job: number): Gen<number | string>;
  iommu_queue_iopf(dev: Dev, fault: IopfFault): Gen<number>;
  iopf_handle_group(fault: IopfFault): Gen<void>;
  iopf_handle_single(fault: IopfFault): Gen<string>;
  handle_mm_fault(mm: Mm, fault: IopfFault): Gen<string>;
  iommu_page_response(dev: Dev, pasid: number, status: string): Gen<void>;
  iopf_queue_flush_dev(dev: Dev): Gen<number>;
  /** the mm bound to `pasid`, with an mm_users reference, or null */
  iommu_sva_find(pasid: number): Gen<Mm | null>;
}

/** drivers/iommu/iommu-sva.c of the v2 series, and the IOMMU's PASID-tagged translation (model/sva/iommu_sva.ts). */
export interface SvaCore {
  spin_lock_iommu_sva(why: string): Gen<void>;
  io_mm_alloc(dev: Dev, mm: Mm): Gen<{ ret: number; ioMm: IoMm | null }>;
  io_mm_release(ioMm: IoMm): Gen<void>;
  io_mm_free(ioMm: IoMm): Gen<void>;
  arm_smmu_mm_free(ioMm: IoMm): Gen<void>;
  io_mm_attach(dev: Dev, ioMm: IoMm, drvdata: Iommu): Gen<number>;
  io_mm_detach_locked(bond: Bond, wait: boolean): Gen<boolean>;
  iommu_signal_mm_exit(bond: Bond): Gen<number>;
  iommu_notifier_release(ioMm: IoMm, mm: Mm): Gen<void>;
  iommu_sva_device_init(dev: Dev, mmExit: boolean): Gen<number>;
  iommu_sva_device_shutdown(dev: Dev): Gen<number>;
  __iommu_sva_bind_device(dev: Dev, mm: Mm, drvdata: Iommu): Gen<{ ret: number; pasid: number }>;
  __iommu_sva_unbind_device(dev: Dev, pasid: number): Gen<number>;
  __iommu_sva_unbind_dev_all(dev: Dev): Gen<void>;
  /** the device runs programmed DMA job `job` (unless user space stopped it there); the IOMMU translates its PASID: 'fault', 'abort', 'translated' or 'stopped' */
  iommu_pasid_dma(dev: Dev, job: number): Gen<string>;
}

/** drivers/vfio/vfio_iommu_type1.c with seed 003, and drivers/vfio/vfio.c (model/sva/vfio_iommu_type1.ts, vfio.ts). */
export interface SvaVfio {
  vfio_iommu_mm_exit(dev: Dev, pasid: number, iommu: Iommu): Gen<number>;
  vfio_iommu_sva_init(dev: Dev): Gen<number>;
  vfio_iommu_sva_shutdown(dev: Dev): Gen<number>;
  vfio_iommu_sva_bind_dev(dev: Dev, data: { vfio_mm: VfioMm; iommu: Iommu; count: number }): Gen<number>;
  vfio_iommu_sva_unbind_dev(dev: Dev, vfioMm: VfioMm): Gen<number>;
  vfio_iommu_bind_group(iommu: Iommu, group: Group, vfioMm: VfioMm): Gen<number>;
  vfio_iommu_unbind_group(group: Group, vfioMm: VfioMm): Gen<void>;
  vfio_iommu_unbind(iommu: Iommu, vfioMm: VfioMm): Gen<void>;
  vfio_iommu_replay_bind(iommu: Iommu, group: Group): Gen<number>;
  vfio_iommu_free_all_mm(iommu: Iommu): Gen<void>;
  iommu_attach_group(domain: Domain, group: Group): Gen<number>;
  iommu_detach_group(domain: Domain, group: Group): Gen<void>;
  vfio_iommu_try_attach_group(iommu: Iommu, group: Group, curDomain: Domain, newDomain: Domain): Gen<number>;
  vfio_iommu_type1_attach_group(iommu: Iommu, group: Group): Gen<number>;
  vfio_iommu_type1_detach_group(iommu: Iommu, group: Group): Gen<void>;
  vfio_iommu_type1_release(iommu: Iommu): Gen<void>;
  /** the mm (with an mm_users reference) or an errno */
  vfio_iommu_get_mm_by_vpid(vpid: number): Gen<Mm | number>;
  vfio_iommu_type1_bind_process(iommu: Iommu, arg: BindArg): Gen<number>;
  vfio_iommu_type1_unbind_process(iommu: Iommu, arg: BindArg): Gen<number>;
  vfio_iommu_type1_ioctl(iommu: Iommu, cmd: string, arg: BindArg): Gen<number>;
  vfio_fops_unl_ioctl(container: Container, cmd: string, arg: BindArg): Gen<number>;
  vfio_container_get(container: Container): Gen<void>;
  vfio_container_put(container: Container): Gen<void>;
  vfio_group_set_container(group: Group, container: Container): Gen<number>;
  __vfio_group_unset_container(group: Group): Gen<void>;
  vfio_group_unset_container(group: Group): Gen<number>;
  vfio_group_fops_release(group: Group): Gen<number>;
  vfio_fops_release(container: Container): Gen<number>;
}

export type SvaFunctions = SvaPrimitives & SvaMm & SvaWorkqueue & SvaIopf & SvaCore & SvaVfio;

/** What every SVA model function receives: its thread's ctx and task, the design's flags, and the design's functions bound to it. */
export interface SvaK extends SvaFunctions {
  readonly ctx: Ctx;
  readonly flags: Flags;
  readonly design: string;
  /** `current`: the task_struct the thread runs as (null for kworkers and the device) */
  current: Task | null;
}

/** A table entry: the kernel function with `k` first, as written in model/sva/ and in SVA variants. */
export type SvaTable = {
  readonly [N in keyof SvaFunctions]: (k: SvaK, ...args: Parameters<SvaFunctions[N]>) => ReturnType<SvaFunctions[N]>;
};
