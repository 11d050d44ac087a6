/**
 * read()/write() of the device fd on a BAR region (drivers/vfio/pci/vfio_pci_core.c
 * vfio_pci_core_read/write → vfio_pci_rw; drivers/vfio/pci/vfio_pci_rdwr.c,
 * gregkh/linux 1129c0011b90), function by function in the C order. The point of the
 * 7.1 code for locking: memory_lock is taken for read around each single ioread/iowrite
 * (the VFIO_IOREAD/VFIO_IOWRITE macros, test_mem for IORESOURCE_MEM BARs), never across a
 * user copy: copy_from_user() runs before the locked iowrite, copy_to_user() after the
 * locked ioread, so a copy that faults on a BAR mmap (mmap_lock → memory_lock) nests in
 * nothing.
 */

import type { Ref } from '../../../checker/kind.ts';
import { EFAULT, EINVAL, EIO } from '../../errno.ts';
import type { RegionRwRequest, UserBuf } from '../arguments.ts';
import type { K } from '../functions.ts';
import { memory_lock } from '../objects.ts';
import {
  pci_resource_len,
  pci_resource_start,
  VFIO_PCI_BAR5_REGION_INDEX,
  VFIO_PCI_NUM_REGIONS,
  VFIO_PCI_ROM_REGION_INDEX,
} from '../resources.ts';

/** vfio_pci_core_read(): `if (!count) return 0;` then vfio_pci_rw(..., false). */
export function* vfio_pci_core_read(k: K, vdev: Ref<'vdev'>, req: RegionRwRequest) {
  if (!req.count) return 0;
  return yield* k.vfio_pci_rw(vdev, req, false);
}

/** vfio_pci_core_write(): the same with iswrite. */
export function* vfio_pci_core_write(k: K, vdev: Ref<'vdev'>, req: RegionRwRequest) {
  if (!req.count) return 0;
  return yield* k.vfio_pci_rw(vdev, req, true);
}

/**
 * vfio_pci_rw(): index past the regions → -EINVAL; pm_runtime_resume_and_get() (runtime
 * PM is not modelled: it succeeds); the ROM is read-only (-EINVAL on write); BARs go to
 * vfio_pci_bar_rw(). The config and VGA regions are not modelled (the op's index stops at the ROM).
 */
export function* vfio_pci_rw(k: K, vdev: Ref<'vdev'>, req: RegionRwRequest, iswrite: boolean) {
  if (req.index >= VFIO_PCI_NUM_REGIONS) return EINVAL; // + vdev->num_regions: none here
  if (req.index === VFIO_PCI_ROM_REGION_INDEX) return iswrite ? EINVAL : yield* k.vfio_pci_bar_rw(vdev, req, false);
  if (req.index <= VFIO_PCI_BAR5_REGION_INDEX) return yield* k.vfio_pci_bar_rw(vdev, req, iswrite);
  return EINVAL;
}

/**
 * vfio_pci_bar_rw(): a BAR with no resource (and no ROM) → -EINVAL; pos at or past its
 * end → -EINVAL; count clipped to the BAR; vfio_pci_core_setup_barmap() (its error is
 * returned); then vfio_pci_core_do_io_rw() with test_mem for a memory BAR (every BAR here).
 * The MSI-X table exclusion (x_start..x_end) is not modelled: the devices have no MSI-X BAR.
 */
export function* vfio_pci_bar_rw(k: K, vdev: Ref<'vdev'>, req: RegionRwRequest, iswrite: boolean) {
  const bar = req.index;
  // the model's devices have no ROM (pdev->rom == NULL): only an implemented BAR has an end
  if (!pci_resource_start(k.ctx, vdev, bar)) return EINVAL;
  const end = pci_resource_len(k.ctx, vdev, bar);
  if (req.pos >= end) return EINVAL;
  const count = Math.min(req.count, end - req.pos);
  const ret = yield* k.vfio_pci_core_setup_barmap(vdev, bar);
  if (ret) return ret;
  // res->flags & IORESOURCE_MEM: every BAR of the model is a memory BAR
  return yield* k.vfio_pci_core_do_io_rw(vdev, bar, true, req.buf, req.pos, count, iswrite);
}

/**
 * vfio_pci_core_do_io_rw(): the chunk loop. Each chunk is the widest access the
 * alignment allows (8, 4, 2 or 1 bytes; max_width 8 for a BAR), one vfio_pci_iordwr()
 * each; the first error ends the call with that error (bytes already done are lost, as
 * in C). Returns the bytes done.
 */
export function* vfio_pci_core_do_io_rw(
  k: K,
  vdev: Ref<'vdev'>,
  bar: number,
  test_mem: boolean,
  buf: UserBuf,
  off: number,
  count: number,
  iswrite: boolean,
) {
  let done = 0;
  while (count) {
    const fillable = count; // off >= x_end: no excluded range
    const size = fillable >= 8 && off % 8 === 0 ? 8 : fillable >= 4 && off % 4 === 0 ? 4 : fillable >= 2 && off % 2 === 0 ? 2 : 1;
    const ret = yield* k.vfio_pci_iordwr(vdev, bar, iswrite, test_mem, buf, size);
    if (ret) return ret;
    count -= size;
    done += size;
    off += size;
  }
  return done;
}

/**
 * vfio_pci_iordwr##size() (the VFIO_IORDWR macro, one entry for its four sizes): a write
 * copies the value from user space first, then writes it under the memory check; a read
 * reads it under the check, then copies it out. Neither copy runs with memory_lock held.
 */
export function* vfio_pci_iordwr(k: K, vdev: Ref<'vdev'>, bar: number, iswrite: boolean, test_mem: boolean, buf: UserBuf, size: number) {
  if (iswrite) {
    if (yield* k.copy_from_user(buf, size)) return EFAULT;
    const ret = yield* k.vfio_pci_core_iowrite(vdev, bar, test_mem, size);
    if (ret) return ret;
  } else {
    const ret = yield* k.vfio_pci_core_ioread(vdev, bar, test_mem, size);
    if (ret) return ret;
    if (yield* k.copy_to_user(buf, size)) return EFAULT;
  }
  return 0;
}

/** The body of VFIO_IOREAD/VFIO_IOWRITE: with test_mem, memory_lock(R) and -EIO while memory is disabled; the access itself. */
function* memoryTestedAccess(k: K, vdev: Ref<'vdev'>, bar: number, test_mem: boolean, what: string) {
  if (test_mem) {
    yield* k.down_read(memory_lock(vdev));
    if (!(yield* k.__vfio_pci_memory_enabled(vdev))) {
      yield* k.up_read(memory_lock(vdev));
      return EIO;
    }
  }
  yield* k.schedule(`${k.ctx.thread}: ${what} BAR${bar} of ${vdev}`, [vdev]);
  yield* k.mmio_access('rw', null, vdev, bar);
  if (test_mem) yield* k.up_read(memory_lock(vdev));
  return 0;
}

/** vfio_pci_core_ioread##size() (VFIO_IOREAD, one entry for its four sizes). */
export function* vfio_pci_core_ioread(k: K, vdev: Ref<'vdev'>, bar: number, test_mem: boolean, size: number) {
  return yield* memoryTestedAccess(k, vdev, bar, test_mem, `vfio_ioread${size * 8}()`);
}

/** vfio_pci_core_iowrite##size() (VFIO_IOWRITE, one entry for its four sizes). */
export function* vfio_pci_core_iowrite(k: K, vdev: Ref<'vdev'>, bar: number, test_mem: boolean, size: number) {
  return yield* memoryTestedAccess(k, vdev, bar, test_mem, `vfio_iowrite${size * 8}()`);
}
