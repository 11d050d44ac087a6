/**
 * Where each kernel object of the SVA model lives in the world. Ids derive from
 * their owner, so model code names them as C does (`&iommu->lock`) without
 * reading the world. An id of a declared kind (kinds.ts) is a typed handle
 * (refTo: the id itself at run time), so `ctx.get(PASID_IDR, 'max_pasid')` is
 * checked against the declaration. This module names kinds by their strings
 * only: kinds.ts imports it, so it must not import kinds.ts.
 */
import { refTo } from '../../checker/kind.ts';

/** struct vfio_iommu of the (single) type1 container, and its mutex */
export const IOMMU = refTo('vfio_iommu', 'iommu0');
export const iommuLock = (iommu: string) => refTo('mutex', `${iommu}.lock`);
/** struct vfio_container: its kref is held by its open file and by each group set to it */
export const CONTAINER = refTo('vfio_container', 'container0');
/** the container fd's struct file, and each group fd's */
export const containerFile = refTo('file', `${CONTAINER}.file`);
export const groupFile = (group: string) => refTo('file', `${group}.file`);

/** struct vfio_domain (one struct iommu_domain each): `domain0`, ... */
export const domainKind = 'vfio_domain';

/** struct vfio_group + struct iommu_group: `group0`, ...; one device each (multi-device groups are refused for SVA) */
export const groupId = (n: number) => refTo('vfio_group', `group${n}`);
/** struct device of a group: `dev0` is group0's */
export const devId = (n: number) => refTo('device', `dev${n}`);

/** struct vfio_mm (the VFIO bond of a process address space): `vfio_mm0`, ... */
export const vfioMmKind = 'vfio_mm';

/** the SVA core (drivers/iommu/iommu-sva.c): io_mm per mm, iommu_bond per (device, io_mm), the PASID IDR */
export const ioMmKind = 'io_mm';
export const bondKind = 'iommu_bond';
export const PASID_IDR = refTo('idr', 'iommu_pasid_idr');

/** task_struct of a process (`task0` is the container owner, P0) and its mm_struct */
export const taskId = (pid: number) => refTo('task_struct', `task${pid}`);
export const mmKind = 'mm';

/** the system workqueue (schedule_work) that runs mmput_async's deferred __mmput */
export const SYSTEM_WQ = refTo('workqueue', 'system_wq');
/** the I/O page-fault queue's workqueue (iopf_queue_alloc: alloc_workqueue("iopf_queue/%s")), one for every device */
export const IOPF_WQ = refTo('workqueue', 'iopf_wq');
/** mm->mmap_sem (v4.17's name of mmap_lock), lockdep class `&mm->mmap_sem` */
export const mmapSem = (mm: string) => refTo('rwsem', `${mm}.mmap_sem`);

/** what user space programmed into the devices: one DMA job per successful bind */
export const JOBS = refTo('jobs', 'dma_jobs');

/** the pid of the container owner; pids 1.. are foreign processes, the forked child gets the next free one */
export const OWNER_PID = 0;
