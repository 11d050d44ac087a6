/**
 * broken-bar-mmap-no-range-check: vfio_pci_core_mmap() without its
 * `req_start + req_len > phys_len` check, so a BAR mmap may map pages past the
 * end of the BAR (the physical pages behind it: another device's MMIO, or RAM).
 * Constructed for the model: the check is in every vfio_pci_core_mmap() since the
 * driver was merged; a design that drops it is caught by error-contract, which holds
 * the mmap paths to their -EINVAL (the model has no addresses past a BAR to reach).
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import { EINVAL } from '../../errno.ts';
import type { MmapRange } from '../arguments.ts';
import type { K } from '../functions.ts';
import { deviceFile } from '../objects.ts';
import { PAGE_SIZE, pci_resource_len, pci_resource_start, VFIO_PCI_ROM_REGION_INDEX } from '../resources.ts';
import { upstream71 } from '../upstream/index.ts';
import { vm_area_alloc } from '../upstream/mmap.ts';

export function* core_mmap_no_range_check(k: K, vdev: Ref<'vdev'>, bar: number, proc: Ref<'process'>, range?: MmapRange) {
  const { ctx } = k;
  if (bar >= VFIO_PCI_ROM_REGION_INDEX || !pci_resource_start(ctx, vdev, bar)) return { ret: EINVAL, vma: null };
  const len = range ? range.pages * PAGE_SIZE : pci_resource_len(ctx, vdev, bar);
  // upstream: if (req_start + req_len > phys_len) return -EINVAL;
  if ((yield* k.vfio_pci_core_setup_barmap(vdev, bar)) !== 0) return { ret: EINVAL, vma: null };
  yield* k.get_file(deviceFile(vdev));
  const addr = yield* k.get_unmapped_area(proc, len);
  const vma = vm_area_alloc(ctx, { vdev, bar, backing: 'device', proc, ...(range ?? {}) }, addr, len);
  return { ret: 0, vma };
}

export default defineVariant(upstream71, {
  name: 'broken-bar-mmap-no-range-check',
  summary: 'BAR mmap without the vm_pgoff + length ≤ BAR length check: a mapping past the end of the BAR is accepted',
  source: 'constructed: 7.1 vfio_pci_core_mmap() (drivers/vfio/pci/vfio_pci_core.c, gregkh 1129c0011b90) without its range check',
  differences: ['vfio_pci_core_mmap: no `req_start + req_len > phys_len` → -EINVAL check'],
  replace: { vfio_pci_core_mmap: core_mmap_no_range_check },
  bounds: { mmappers: 1, mmap_ranges: 1 },
  focus: ['config_write_command'],
});
