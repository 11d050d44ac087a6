/**
 * broken-cleanup-orphan-first: a deliberately broken cleanup for the catalog
 * (not a posted design): it unlinks and orphans every buffer first and only
 * then calls vfio_pci_dma_buf_move(vdev, true), which by then walks an empty
 * list. Orphans keep revoked == false and their importers' mappings.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { dmabufFile, memory_lock } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

export function* cleanup_orphan_then_move(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.down_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    yield* k.list_del_init_dmabuf(vdev, priv);
    ctx.set(priv, 'vdev', null);
    ctx.send(priv, { type: 'ORPHAN' });
    yield* k.vfio_device_put_registration(vdev);
    yield* k.fput(dmabufFile(priv));
  }
  yield* k.vfio_pci_dma_buf_move(vdev, true); // the list is empty now
  yield* k.up_write(memory_lock(vdev));
}

export default defineVariant(upstream71, {
  name: 'broken-cleanup-orphan-first',
  summary: 'Deliberately broken: cleanup orphans buffers before revoking them, so orphans stay usable',
  source: 'deliberately broken design for the property catalog (a plausible reordering of vfio_pci_dma_buf_cleanup)',
  differences: ['vfio_pci_dma_buf_cleanup: unlink + vdev = NULL + put registration first, move(true) after (on an empty list)'],
  replace: { vfio_pci_dma_buf_cleanup: cleanup_orphan_then_move },
  focus: ['close_device_fd'],
});
