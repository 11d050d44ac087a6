/**
 * broken-bar-rw-lock-across-copy: vfio_pci_core_do_io_rw() taking memory_lock(R)
 * once for the whole read()/write(), checking memory enable once, and running the
 * chunks with test_mem off, so that each user copy runs under memory_lock. A plausible
 * "one check per call" simplification of the 7.1 code, constructed for the model (no
 * posted patch does it): 7.1 takes the lock around each ioread/iowrite only
 * (VFIO_IOREAD/VFIO_IOWRITE), never across copy_to_user()/copy_from_user().
 *
 * A copy that faults holds memory_lock while the fault takes mmap_lock(R), the reverse
 * of the BAR fault (mmap_lock → memory_lock); into a BAR mmap of the same device the
 * fault takes memory_lock(R) a second time, a deadlock once a writer (a COMMAND write)
 * queues between the two.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import { EINVAL, EIO } from '../../errno.ts';
import type { RegionRwRequest } from '../arguments.ts';
import type { K } from '../functions.ts';
import { memory_lock } from '../objects.ts';
import { pci_resource_len, pci_resource_start } from '../resources.ts';
import { upstream71 } from '../upstream/index.ts';

/** vfio_pci_bar_rw() as in 7.1 up to the chunk loop, which then runs under one memory_lock(R) and one enable check. */
export function* bar_rw_locked_across_copy(k: K, vdev: Ref<'vdev'>, req: RegionRwRequest, iswrite: boolean) {
  const bar = req.index;
  if (!pci_resource_start(k.ctx, vdev, bar)) return EINVAL;
  const end = pci_resource_len(k.ctx, vdev, bar);
  if (req.pos >= end) return EINVAL;
  const count = Math.min(req.count, end - req.pos);
  const ret = yield* k.vfio_pci_core_setup_barmap(vdev, bar);
  if (ret) return ret;
  yield* k.down_read(memory_lock(vdev)); // hoisted out of vfio_pci_core_ioread/iowrite
  if (!(yield* k.__vfio_pci_memory_enabled(vdev))) {
    yield* k.up_read(memory_lock(vdev));
    return EIO;
  }
  const done = yield* k.vfio_pci_core_do_io_rw(vdev, bar, false, req.buf, req.pos, count, iswrite); // 7.1: test_mem true
  yield* k.up_read(memory_lock(vdev));
  return done;
}

export default defineVariant(upstream71, {
  name: 'broken-bar-rw-lock-across-copy',
  summary: 'BAR read()/write() holds memory_lock(R) across the whole call, user copies included: a faulting copy nests mmap_lock under it',
  source:
    'constructed: 7.1 vfio_pci_core_do_io_rw() (drivers/vfio/pci/vfio_pci_rdwr.c, gregkh 1129c0011b90) with the memory test hoisted out of the chunk loop',
  differences: [
    'vfio_pci_bar_rw: down_read(memory_lock) and the __vfio_pci_memory_enabled() check once around vfio_pci_core_do_io_rw(), called with test_mem = false, so copy_to_user()/copy_from_user() run under memory_lock(R)',
  ],
  replace: { vfio_pci_bar_rw: bar_rw_locked_across_copy },
  bounds: { bar_rw: 1, mmappers: 1 },
  focus: ['bar_rw'],
});
