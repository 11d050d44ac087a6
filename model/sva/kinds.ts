/**
 * The object kinds of the SVA model, each declared once: its fields with their
 * types and initial values, and its lifecycle machine (machines.ts) or none.
 * Ids keep the scheme of objects.ts (`task0`, `mm1`, `group0`, `io_mm0`, ...),
 * so traces and counterexample files do not change; a handle of a declared
 * kind is typed (`Ref<'io_mm'>`), which checks `ctx.get(ioMm, 'kref')`,
 * `ctx.set` and `ctx.send` at compile time, and a field that holds another
 * object's id reads as that object's handle.
 *
 * Each `init` lists the fields in the order the model creates them (objects
 * keep fields in creation order, and reports print them in it). An id field
 * whose initial value is `''` has none really: every creation site gives it.
 * Objects that kernel/ helpers make (mutexes, rwsems, files, the `task` lock
 * sets, kconfig) are kernel/'s, not declared here.
 */
import { declareKind, type Ref, refTo } from '../../checker/kind.ts';
import type { WorkItem } from './arguments.ts';
import { type GroupEvent, type MmEvent, type PasidBindingEvent, svaLifecycles, type VfioMmEvent } from './machines.ts';
import { bondKind, domainKind, ioMmKind, mmKind, vfioMmKind } from './objects.ts';

// ---------------------------------------------------------------- processes

/**
 * struct task_struct (include/linux/sched.h), as far as the model needs it:
 * its pid, its creds (cred->uid), whether it is dumpable (mm->flags
 * MMF_DUMPABLE, for __ptrace_may_access), task->mm, whether it runs, its open
 * files (files_struct's fd table, by file id), and task->real_parent's pid (a
 * forked child's; null for the processes of the setup). No lifecycle: tasks are
 * never reaped (exited ones stay as zombies, alive = false).
 * Made by system.ts createTask (setup) and mm.ts copy_process (fork).
 */
export type TaskFields = {
  pid: number;
  uid: number;
  dumpable: boolean;
  /** task->mm: NULL once exit_mm() ran */
  mm: Ref<'mm'> | null;
  /** runnable (false before wake_up_new_task() and after do_exit()) */
  alive: boolean;
  /** the open files (struct file ids) */
  fds: readonly Ref<'file'>[];
  /** the parent's pid, for a forked child */
  parent: number | null;
};

export const task = declareKind<'task_struct', TaskFields, never>(
  'task_struct',
  { pid: 0, uid: 0, dumpable: true, mm: null, alive: true, fds: [], parent: null },
  null,
);

/**
 * struct mm_struct (include/linux/mm_types.h): mm_users and mm_count (refcount_t
 * in the model, kernel/refcount.ts), mm->owner (the pid, CONFIG_MEMCG),
 * the MMU notifiers registered on it (mm->mmu_notifier_mm's list: the SVA core's
 * io_mms), and whether the CPU ASID is pinned for the SMMU (arm64
 * mm->context.pinned, dropped by arm_smmu_mm_free). kzalloc'ed (`__freed`).
 * Lifecycle: machines.ts mmMachine (live → exiting → exited → freed).
 * Made by system.ts createTask (setup, `mm<pid>`) and mm.ts copy_process (dup_mm).
 */
export type MmFields = {
  mm_users: number;
  mm_count: number;
  /** mm->owner: the pid of the task that owns it */
  owner: number;
  /** the io_mms whose MMU notifier is hashed on the mm */
  notifiers: readonly Ref<'io_mm'>[];
  asid_pinned: boolean;
  __freed: boolean;
};

export const mm = declareKind<typeof mmKind, MmFields, MmEvent>(
  mmKind,
  { mm_users: 1, mm_count: 1, owner: 0, notifiers: [], asid_pinned: true, __freed: false },
  svaLifecycles.mm,
);

// ---------------------------------------------------------------- VFIO

/**
 * struct vfio_container (drivers/vfio/vfio.c): its kref (`refcount`: the
 * container fd's reference and one per group set to it), container->iommu_data
 * (the type1 driver's struct vfio_iommu; NULL once the last group left) and
 * container->group_list. kzalloc'ed (`__freed`). No lifecycle. Made at setup
 * (system.ts: VFIO_SET_IOMMU already done).
 */
export type ContainerFields = {
  refcount: number;
  iommu_data: Ref<'vfio_iommu'> | null;
  groups: readonly Ref<'vfio_group'>[];
  __freed: boolean;
};

export const container = declareKind<'vfio_container', ContainerFields, never>(
  'vfio_container',
  { refcount: 1, iommu_data: null, groups: [], __freed: false },
  null,
);

/**
 * struct vfio_iommu (drivers/vfio/vfio_iommu_type1.c with seed 003):
 * iommu->domain_list and the seed's iommu->mm_list of bonds. kzalloc'ed
 * (`__freed`: vfio_iommu_type1_release kfrees it). No lifecycle. Made at setup
 * (system.ts, vfio_iommu_type1_open).
 */
export type VfioIommuFields = {
  domains: readonly Ref<'vfio_domain'>[];
  mm_list: readonly Ref<'vfio_mm'>[];
  __freed: boolean;
};

export const vfioIommu = declareKind<'vfio_iommu', VfioIommuFields, never>(
  'vfio_iommu',
  { domains: [], mm_list: [], __freed: false },
  null,
);

/**
 * struct vfio_domain (vfio_iommu_type1.c), one struct iommu_domain each: its
 * group_list. kzalloc'ed by kernel/slab.ts kzalloc (`__freed`), in
 * vfio_iommu_type1_attach_group; no lifecycle.
 */
export type VfioDomainFields = {
  groups: readonly Ref<'vfio_group'>[];
  __freed: boolean;
};

export const domain = declareKind<typeof domainKind, VfioDomainFields, never>(domainKind, { groups: [], __freed: false }, null);

/**
 * struct vfio_group (drivers/vfio/vfio.c) with its struct iommu_group: the
 * group's devices, group->container, group->container_users, the iommu
 * group's current domain (group->domain: NULL for its default domain), and
 * type1's group->sva_enabled (seed 003: on the type1 struct vfio_group, which
 * the model keeps on the same object). Lifecycle: machines.ts groupMachine
 * (detached → attached.sva_off/sva_on → shutting_down). Made at setup (system.ts).
 */
export type GroupFields = {
  devices: readonly Ref<'device'>[];
  container: Ref<'vfio_container'> | null;
  container_users: number;
  iommu_domain: Ref<'vfio_domain'> | null;
  sva_enabled: boolean;
};

export const group = declareKind<'vfio_group', GroupFields, GroupEvent>(
  'vfio_group',
  { devices: [], container: null, container_users: 0, iommu_domain: null, sva_enabled: false },
  svaLifecycles.group,
);

/**
 * One PASID table entry of a device (the IOMMU's context descriptor for the
 * PASID, written by domain->ops->mm_attach): the mm it translates through.
 */
export type PasidEntry = {
  readonly mm: Ref<'mm'>;
  /** later upstream rule: the mm exited, the entry stays but aborts every DMA */
  readonly abort: boolean;
};

/**
 * struct device (include/linux/device.h) with the SVA series' parts of
 * dev->iommu_param: its iommu group (dev->iommu_group), the SVA parameters
 * (iommu_param->sva_param: NULL until iommu_sva_device_init), the bonds of the
 * device (sva_param->mm_list), its PASID table (the IOMMU's, by PASID), and
 * whether it has an iopf queue (iommu_param->iopf_param: PRI, the faults
 * bound). No lifecycle. Made at setup (system.ts), `dev<n>` of `group<n>`.
 */
export type DeviceFields = {
  group: Ref<'vfio_group'>;
  sva_param: { readonly mm_exit: boolean } | null;
  mm_list: readonly Ref<'iommu_bond'>[];
  pasid_table: { readonly [pasid: string]: PasidEntry };
  iopf: boolean;
};

export const device = declareKind<'device', DeviceFields, never>(
  'device',
  { group: refTo('vfio_group', ''), sva_param: null, mm_list: [], pasid_table: {}, iopf: false },
  null,
);

/**
 * struct vfio_mm (vfio_iommu_type1.c, seed 003): the VFIO bond of a process
 * address space: vfio_mm->mm (a plain pointer: no reference held) and the
 * PASID the SVA core gave it (VFIO_PASID_INVALID until bound). kzalloc'ed
 * (`__freed`). Lifecycle: machines.ts vfioMmMachine. Made by
 * vfio_iommu_type1_bind_process (alloc.ts kzallocLc).
 */
export type VfioMmFields = {
  mm: Ref<'mm'>;
  pasid: number;
  __freed: boolean;
};

export const vfioMm = declareKind<typeof vfioMmKind, VfioMmFields, VfioMmEvent>(
  vfioMmKind,
  { mm: refTo('mm', ''), pasid: -1, __freed: false },
  svaLifecycles.vfio_mm,
);

/**
 * The user buffer of a thread's bind ioctl (struct vfio_iommu_type1_bind_process
 * in user memory): the PASID copy_to_user() wrote back (null until one was).
 * No lifecycle. Made on first use, `ubuf.<thread>` (vfio_iommu_type1.ts).
 */
export type UbufFields = {
  pasid: number | null;
};

export const ubuf = declareKind<'ubuf', UbufFields, never>('ubuf', { pasid: null }, null);

// ---------------------------------------------------------------- the SVA core

/**
 * struct io_mm (drivers/iommu/iommu-sva.c of the v2 series): io_mm->mm (with
 * an mm_count reference, io_mm_alloc's mmgrab), its PASID (-1 until idr_alloc),
 * io_mm->kref (0 until kref_init: others must not take it before), its bonds
 * (io_mm->devices), and whether io_mm_free (or the error path) released it
 * (the memory itself is left to RCU: never freed in the model). No lifecycle.
 * Made by io_mm_alloc.
 */
export type IoMmFields = {
  mm: Ref<'mm'>;
  pasid: number;
  kref: number;
  devices: readonly Ref<'iommu_bond'>[];
  released: boolean;
};

export const ioMm = declareKind<typeof ioMmKind, IoMmFields, never>(
  ioMmKind,
  { mm: refTo('mm', ''), pasid: -1, kref: 0, devices: [], released: false },
  null,
);

/**
 * struct iommu_bond (iommu-sva.c of the v2 series, patch 05/40): one PASID
 * binding of a device: bond->io_mm, bond->dev, bond->drvdata (VFIO's: its
 * struct vfio_iommu), bond->refs (the notifier's and waiting unbinders'), and
 * bond->mm_exit_active (mm_exit is running for it). kzalloc'ed (`__freed`).
 * Lifecycle: machines.ts pasidBindingMachine. Made by io_mm_attach (alloc.ts
 * kzallocLc).
 */
export type BondFields = {
  io_mm: Ref<'io_mm'>;
  dev: Ref<'device'>;
  drvdata: Ref<'vfio_iommu'>;
  refs: number;
  mm_exit_active: boolean;
  __freed: boolean;
};

export const bond = declareKind<typeof bondKind, BondFields, PasidBindingEvent>(
  bondKind,
  { io_mm: refTo('io_mm', ''), dev: refTo('device', ''), drvdata: refTo('vfio_iommu', ''), refs: 1, mm_exit_active: false, __freed: false },
  svaLifecycles.pasid_binding,
);

/**
 * The SVA core's PASID allocator (iommu_pasid_idr, a struct idr): PASID →
 * io_mm, and the PASID range (the driver's min/max, iommu_sva_device_init's
 * arguments: one range for every device here). No lifecycle. Made at setup
 * (system.ts).
 */
export type IdrFields = {
  ids: { readonly [pasid: string]: Ref<'io_mm'> };
  min_pasid: number;
  max_pasid: number;
};

export const idr = declareKind<'idr', IdrFields, never>('idr', { ids: {}, min_pasid: 1, max_pasid: 8 }, null);

// ---------------------------------------------------------------- workqueues and user space

/**
 * struct workqueue_struct (kernel/workqueue.c) as workqueue.ts runs it: the
 * queued work items (the pool's worklist), how many run now, whether the
 * scenario's end stopped its kworkers, and how many kworker threads the
 * scenario has for it (0: the flusher runs the work). No lifecycle. Made at
 * setup (system.ts): system_wq and the iopf queue's.
 */
export type WorkqueueFields = {
  pending: readonly WorkItem[];
  running: number;
  stopped: boolean;
  workers: number;
};

export const workqueue = declareKind<'workqueue', WorkqueueFields, never>(
  'workqueue',
  { pending: [], running: 0, stopped: false, workers: 0 },
  null,
);

/** One DMA job user space programmed into the devices after a successful bind. */
export type DmaJob = {
  readonly pid: number;
  /** the address space the job was programmed for */
  readonly mm: Ref<'mm'>;
  readonly pasid: number;
  /** devices user space stopped (before UNBIND or UNSET_CONTAINER); '*' for all */
  readonly stopped: readonly string[];
};

/**
 * Not kernel data: what user space programmed into the devices, one DMA job
 * per successful bind (actors.ts), for the device's DMA and page requests.
 * No lifecycle. Made at setup (system.ts).
 */
export type JobsFields = {
  jobs: readonly DmaJob[];
};

export const jobs = declareKind<'jobs', JobsFields, never>('jobs', { jobs: [] }, null);

declare module '../../checker/kind.ts' {
  interface Kinds {
    task_struct: typeof task;
    mm: typeof mm;
    vfio_container: typeof container;
    vfio_iommu: typeof vfioIommu;
    vfio_domain: typeof domain;
    vfio_group: typeof group;
    device: typeof device;
    vfio_mm: typeof vfioMm;
    ubuf: typeof ubuf;
    io_mm: typeof ioMm;
    iommu_bond: typeof bond;
    idr: typeof idr;
    workqueue: typeof workqueue;
    jobs: typeof jobs;
  }
}
