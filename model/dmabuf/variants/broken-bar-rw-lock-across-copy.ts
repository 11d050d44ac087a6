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
import { defineVariant } from '../../design.ts';
import { EIO } from '../../errno.ts';
import type { FunctionTable } from '../functions.ts';
import { memory_lock } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';
import { vfio_pci_core_do_io_rw as upstreamDoIoRw } from '../upstream/vfio_pci_rdwr.ts';

export const do_io_rw_locked_across_copy: FunctionTable['vfio_pci_core_do_io_rw'] = function* (k, vdev, bar, test_mem, ...io) {
  if (test_mem) {
    yield* k.down_read(memory_lock(vdev));
    if (!(yield* k.__vfio_pci_memory_enabled(vdev))) {
      yield* k.up_read(memory_lock(vdev));
      return EIO;
    }
  }
  const done = yield* upstreamDoIoRw(k, vdev, bar, false, ...io); // upstream: test_mem per chunk
  if (test_mem) yield* k.up_read(memory_lock(vdev));
  return done;
};

export default defineVariant(upstream71, {
  name: 'broken-bar-rw-lock-across-copy',
  summary: 'BAR read()/write() holds memory_lock(R) across the whole call, user copies included: a faulting copy nests mmap_lock under it',
  source:
    'constructed: 7.1 vfio_pci_core_do_io_rw() (drivers/vfio/pci/vfio_pci_rdwr.c, gregkh 1129c0011b90) with the memory test hoisted out of the chunk loop',
  differences: [
    'vfio_pci_core_do_io_rw: down_read(memory_lock) and the __vfio_pci_memory_enabled() check once around the chunk loop, chunks with test_mem = false, so copy_to_user()/copy_from_user() run under memory_lock(R)',
  ],
  replace: { vfio_pci_core_do_io_rw: do_io_rw_locked_across_copy },
  bounds: { bar_rw: 1, mmappers: 1 },
  focus: ['bar_rw'],
});
