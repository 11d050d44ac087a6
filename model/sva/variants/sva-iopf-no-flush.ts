/**
 * sva-iopf-no-flush: the I/O page-fault path of the series with an
 * iopf_queue_flush_dev() that flushes only the low-level PRI queue, not the
 * fault workqueue, on the later upstream rule (sva-no-mm-exit, which passes
 * with faults). A fault the worker has already taken from the queue is then
 * handled after UNBIND returned, and a queued one after the PASID was handed
 * to another process: "make sure all pending faults for this PASID have been
 * handled, and won't hit the address space of the next process that uses this
 * PASID" (iopf_queue_flush_dev's comment) is exactly what it breaks.
 */
import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import { EINVAL, ENODEV } from '../errno.ts';
import type { SvaK, SvaTable } from '../functions.ts';
import noMmExit from './sva-no-mm-exit.ts';

/** iopf_queue_flush_dev(): queue->flush(flush_arg, dev) only; the fault workqueue is not flushed. */
export function* iopf_queue_flush_dev(k: SvaK, dev: Ref<'device'>) {
  if (!k.ctx.exists(dev)) return EINVAL;
  if (k.ctx.get(dev, 'iopf') !== true) return ENODEV;
  yield { action: `iopf_queue_flush_dev(${dev}): queue->flush() (the PRI queue only)`, locs: [dev] };
  return 0;
}

export default defineVariant<SvaTable>(noMmExit, {
  name: 'sva-iopf-no-flush',
  summary: "Unbind does not wait for the fault queue's worker: a pending page fault is handled after UNBIND, in an unbound PASID",
  source:
    'the I/O page-fault path of the SVA series (io-pgfault.c, as mainline kept it) with the flush_workqueue() of iopf_queue_flush_dev() left out, on sva-no-mm-exit',
  differences: [
    'iopf_queue_flush_dev(): flushes the low-level PRI queue but not the iopf workqueue, so unbind does not wait for pending faults',
  ],
  replace: { iopf_queue_flush_dev },
  bounds: { faults: 1 },
});
