/**
 * The I/O page-fault path of the SVA series (v2, May 2018: "iommu: Add a page
 * fault handler" and "iommu/iopf: Handle mm faults", the patches around 05/40
 * that seed 003's VFIO hunks rely on through IOMMU_SVA_FEAT_IOPF). The thread
 * of seed 003 does not carry their code; what follows is the shape mainline
 * drivers/iommu/io-pgfault.c kept from them (v5.11..v6.6: iommu_queue_iopf,
 * iopf_handle_group, iopf_handle_single, iopf_queue_flush_dev), with the
 * series' iommu_sva_find() lookup by PASID: INFERRED where the thread is
 * silent, as docs/sva.md says.
 *
 * - The device's page request (PRI) is reported by the IOMMU driver's PRQ
 *   thread: iommu_report_device_fault() → (under dev->iommu_param->lock)
 *   iommu_queue_iopf(), which queues a fault group on the iopf queue's
 *   workqueue. Report and queueing are one step here (see iommu_queue_iopf).
 * - The queue's worker runs iopf_handle_group() → iopf_handle_single():
 *   iommu_sva_find(pasid) (iommu_sva_lock; an mm_users reference), the mm's
 *   mmap_sem for reading, handle_mm_fault(), up_read, mmput() (which may be the
 *   last user: the exit teardown then runs on the worker), then the page
 *   response to the device.
 * - Unbind: "Caller stopped the device from issuing PASIDs, now make sure they
 *   are out of the fault queue": __iommu_sva_unbind_device() and
 *   __iommu_sva_unbind_dev_all() call iopf_queue_flush_dev() before taking
 *   iommu_sva_lock, and the flush waits for the worker. iopf_queue_flush_dev()
 *   takes no device lock: "we can't hold the device param lock while flushing"
 *   (the PRQ thread takes it); the low-level PRI queue flush (queue->flush) is
 *   empty here because reports are atomic.
 *
 * Lock order on the fault path: iommu_sva_lock (released before the fault),
 * then mm->mmap_sem (R); on unbind, the caller's locks (VFIO: &iommu->lock),
 * then the flush's wait for the worker, then iommu_sva_lock.
 */
import type { Ref } from '../../checker/kind.ts';
import type { World } from '../../checker/world.ts';
import type { IopfFault, WorkItem } from './arguments.ts';
import { EINVAL, ENODEV } from './errno.ts';
import type { SvaK } from './functions.ts';
import { IOPF_WQ, JOBS, mmapSem } from './objects.ts';

/** One recoverable fault (a page request group of one page) as the queue holds it. */
export const IOMMU_PAGE_RESP_SUCCESS = 'IOMMU_PAGE_RESP_SUCCESS';
export const IOMMU_PAGE_RESP_INVALID = 'IOMMU_PAGE_RESP_INVALID';

/**
 * The device issues a page request for DMA job `job` (the PASID user space
 * programmed), unless user space stopped the job on that device; the PRQ
 * thread reports it: iommu_report_device_fault(dev, evt) → the registered
 * handler, iommu_queue_iopf().
 */
export function* iommu_report_device_fault(k: SvaK, dev: Ref<'device'>, job: number) {
  const r = (yield {
    action: `${dev}: page request (PRI) for DMA job ${job}; iommu_report_device_fault()`,
    locs: [dev, JOBS, IOPF_WQ],
    fire: (w: World) => {
      const j = (w.peek(JOBS, 'jobs') as readonly { pasid: number; mm: string; stopped: readonly string[] }[])[job];
      if (!j || j.stopped.includes('*') || j.stopped.includes(dev)) return null;
      return [j.pasid, j.mm];
    },
  }) as [number, Ref<'mm'>] | null;
  if (r === null) return 'stopped';
  const [pasid, intended] = r;
  // mutex_lock(&param->lock); param->fault_param->handler(evt, data): one step with the report
  return yield* k.iommu_queue_iopf(dev, { dev, pasid, intended });
}

/**
 * iommu_queue_iopf(): the last page of a group: kzalloc the group,
 * INIT_WORK(iopf_handle_group), queue_work(). In the same step as the report:
 * iopf_queue_flush_dev() first flushes the low-level PRI queue (queue->flush,
 * arm_smmu_flush_priq), so no fault is ever between the hardware queue and
 * the workqueue when a flush looks at the workqueue.
 */
export function* iommu_queue_iopf(k: SvaK, dev: Ref<'device'>, fault: IopfFault) {
  // iopf_param = dev->iommu_param->iopf_param; no queue → -ENODEV
  if (k.ctx.get(dev, 'iopf') !== true) return ENODEV;
  // queue_work(iopf_param->queue->wq, &group->work), without a scheduling point of its own
  const item: WorkItem = { func: 'iopf_handle_group', data: fault };
  k.ctx.set(IOPF_WQ, 'pending', [...k.ctx.get(IOPF_WQ, 'pending'), item]);
  return 0;
}

/** iopf_handle_group(): handle every fault of the group, then complete the last one (the page response). */
export function* iopf_handle_group(k: SvaK, fault: IopfFault) {
  const status = yield* k.iopf_handle_single(fault);
  yield* k.iommu_page_response(fault.dev, fault.pasid, status);
}

/**
 * iopf_handle_single(): the mm bound to the fault's PASID (iommu_sva_find:
 * none → an invalid response), down_read(&mm->mmap_sem), find_extend_vma +
 * handle_mm_fault(FAULT_FLAG_REMOTE), up_read, mmput.
 */
export function* iopf_handle_single(k: SvaK, fault: IopfFault) {
  const mm = yield* k.iommu_sva_find(fault.pasid);
  if (mm === null) return IOMMU_PAGE_RESP_INVALID;
  yield* k.down_read(mmapSem(mm));
  const status = yield* k.handle_mm_fault(mm, fault);
  yield* k.up_read(mmapSem(mm));
  yield* k.mmput(mm);
  return status;
}

/**
 * handle_mm_fault() on the device's behalf: the page is made present in `mm`'s
 * page tables. What the device then accesses through the PASID is in `mm`, so
 * it is reported as a translated PASID-tagged access (pasid-dma-bound).
 */
export function* handle_mm_fault(k: SvaK, mm: Ref<'mm'>, fault: IopfFault) {
  const { ctx } = k;
  yield { action: `handle_mm_fault(${mm}) for ${fault.dev} PASID ${fault.pasid}`, locs: [mm, fault.dev] };
  const w = ctx.world;
  const bonds = (w.peek(fault.dev, 'mm_list') as string[]).filter((b) => w.peek(w.peek(b, 'io_mm') as string, 'pasid') === fault.pasid);
  const bond = bonds[0] ?? null;
  ctx.note(`page fault for PASID ${fault.pasid} (programmed for ${fault.intended}) handled in ${mm}`);
  ctx.emit({
    type: 'pasid-dma',
    what: 'page request',
    dev: fault.dev,
    pasid: fault.pasid,
    intended: fault.intended,
    outcome: 'translated',
    mm,
    mmState: w.state(mm),
    bond,
    bondState: bond === null ? null : w.state(bond),
  });
  return IOMMU_PAGE_RESP_SUCCESS;
}

/** iopf_complete() → iommu_page_response(dev, resp): the PRG response goes back to the device. */
export function* iommu_page_response(k: SvaK, dev: Ref<'device'>, pasid: number, status: string) {
  k.ctx.note(`iommu_page_response(${dev}, PASID ${pasid}): ${status}`);
  yield { action: `iommu_page_response(${dev}, PASID ${pasid}, ${status})`, locs: [dev] };
}

/**
 * iopf_queue_flush_dev(dev): every fault of the device queued so far has been
 * handled when it returns (flush_workqueue(queue->wq)). -ENODEV, at once, for
 * a device with no iopf queue (no PRI: the faults=0 bound).
 */
export function* iopf_queue_flush_dev(k: SvaK, dev: Ref<'device'>) {
  if (!k.ctx.exists(dev)) return EINVAL;
  if (k.ctx.get(dev, 'iopf') !== true) return ENODEV;
  yield* k.flush_workqueue(IOPF_WQ);
  return 0;
}
