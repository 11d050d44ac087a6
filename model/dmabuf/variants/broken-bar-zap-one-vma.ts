/**
 * broken-bar-zap-one-vma: the BAR zap of every revoke site reaches one VMA, the device's most recent
 * BAR mmap (a single `vdev->vma` pointer that each vfio_pci_core_mmap() overwrites), instead of
 * unmap_mapping_range() over the per-device inode's address_space, which reaches every VMA of the
 * device file in every process. A second mapping of the BAR at another address (an alias, made by
 * the same thread or another) keeps its PTEs through the revoke.
 *
 * Constructed for the model. The kernel zapped through a list of every VMA before 6.10
 * (vdev->vma_list under vma_lock, vfio_pci_zap_and_vma_lock()) and through the address_space since
 * aac6db75a9fc "vfio/pci: Use unmap_mapping_range()" (kernel-upstream.md §3.1); neither had one
 * pointer. no-mapping-survives-revoke catches it when the zap returns.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { i_mmap_rwsem, vmaKind } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

/** vfio_pci_zap_bars() reaching only the device's last BAR mmap, under the same i_mmap_rwsem. */
export function* zap_last_bar_vma(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.i_mmap_lock_read(i_mmap_rwsem(vdev));
  let last: string | null = null; // vdev->vma: written by each BAR mmap, never by munmap
  for (const vma of ctx.ids(vmaKind)) if (ctx.get(vma, 'vdev') === vdev && ctx.get(vma, 'backing') === 'device') last = vma;
  if (last !== null && ctx.state(last) === 'populated') ctx.send(last, { type: 'ZAP' });
  yield* k.i_mmap_unlock_read(i_mmap_rwsem(vdev));
}

export default defineVariant(upstream71, {
  name: 'broken-bar-zap-one-vma',
  summary: "BAR zap of the device's most recent BAR mmap only: a second, aliasing mapping of the BAR keeps its PTEs through a revoke",
  source: 'constructed: 7.1 vfio_pci_zap_bars() (drivers/vfio/pci/vfio_pci_core.c) with one VMA pointer instead of unmap_mapping_range()',
  differences: ["vfio_pci_zap_bars: zaps the device's last BAR VMA only, not every VMA of the inode's address_space"],
  replace: { vfio_pci_zap_bars: zap_last_bar_vma },
  // one mmap thread holding two mappings of BAR 0 at two addresses, and a memory disable that revokes
  bounds: { sync: 0, mmappers: 1, maps: 2 },
  focus: ['config_write_command'],
});
