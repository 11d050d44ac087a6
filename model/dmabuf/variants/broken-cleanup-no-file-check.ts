/**
 * broken-cleanup-no-file-check: a deliberately broken cleanup that does not
 * skip dying buffers (no get_file_active()): it orphans a buffer whose last
 * fput already ran and whose release is pending.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { memory_lock } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

export function* cleanup_without_get_file_active(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.down_write(memory_lock(vdev));
  yield* k.vfio_pci_dma_buf_move(vdev, true);
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    yield* k.list_del_init_dmabuf(vdev, priv);
    ctx.set(priv, 'vdev', null);
    ctx.send(priv, { type: 'ORPHAN' }); // a dying buffer cannot become an orphan
    yield* k.vfio_device_put_registration(vdev);
  }
  yield* k.up_write(memory_lock(vdev));
}

export default defineVariant(upstream71, {
  name: 'broken-cleanup-no-file-check',
  summary: 'Deliberately broken: cleanup orphans dying buffers too (no get_file_active), racing their release',
  source: 'deliberately broken design for the property catalog (drops the "dying: release() will unlink" skip)',
  differences: ['vfio_pci_dma_buf_cleanup: no get_file_active() skip of dying buffers'],
  replace: { vfio_pci_dma_buf_cleanup: cleanup_without_get_file_active },
  bounds: { fdclosers: 1 },
  focus: ['close_device_fd'],
});
