/**
 * broken-export-fd-early: a deliberately broken export that publishes the fd
 * (dma_buf_fd(): fd_install()) right after dma_buf_export(), before priv's kref
 * and completion are initialised and before it is linked. Another thread of the
 * process may close the fd at once: its __fput releases the dma-buf and frees
 * priv, and the export goes on writing priv->kref. Upstream calls dma_buf_fd()
 * last, as its comment says: "dma_buf_fd() consumes the reference".
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import { EINVAL, ENODEV } from '../../errno.ts';
import type { DmaBufRequest } from '../arguments.ts';
import type { K } from '../functions.ts';
import * as kinds from '../kinds.ts';
import { comp, kref, memory_lock, privMem, resv } from '../objects.ts';
import { VFIO_PCI_ROM_REGION_INDEX } from '../resources.ts';
import { upstream71 } from '../upstream/index.ts';

export function* feature_dma_buf_fd_first(k: K, vdev: Ref<'vdev'>, req: DmaBufRequest) {
  const { ctx } = k;
  if (!req.nr_ranges || req.flags) return EINVAL;
  if (req.bar >= VFIO_PCI_ROM_REGION_INDEX || (yield* k.vfio_pci_core_setup_barmap(vdev, req.bar)) !== 0) return ENODEV;
  const priv = ctx.make(kinds.priv, { vdev, nr_ranges: req.nr_ranges, bar: req.bar });
  yield* k.kzalloc(privMem(priv), 'vfio_pci_dma_buf');
  if (!(yield* k.vfio_device_try_get_registration(vdev))) {
    yield* k.kfree(privMem(priv));
    ctx.send(priv, { type: 'ABORT' });
    return ENODEV;
  }
  yield* k.dma_buf_export(priv);
  // the fd is live from here: a racing close(fd) may release the dma-buf before the lines below run
  const fd = yield* k.export_install_fd(priv, req.fd_fail);
  if (fd < 0) return fd;
  yield* k.kref_init(kref(priv));
  yield* k.init_completion(comp(priv));
  yield* k.down_write(memory_lock(vdev));
  yield* k.dma_resv_lock(resv(priv));
  const revoked = !(yield* k.__vfio_pci_memory_enabled(vdev));
  yield* k.set_revoked(priv, revoked);
  yield* k.list_add_tail_dmabuf(vdev, priv);
  ctx.send(priv, { type: 'LINK' });
  yield* k.dma_resv_unlock(resv(priv));
  yield* k.up_write(memory_lock(vdev));
  return fd;
}

export default defineVariant(upstream71, {
  name: 'broken-export-fd-early',
  summary: 'Deliberately broken: the export installs its fd before priv is initialised and linked; a racing close frees priv under it',
  source: 'deliberately broken design for the property catalog (moves dma_buf_fd() of vfio_pci_core_feature_dma_buf() up)',
  differences: [
    'vfio_pci_core_feature_dma_buf: dma_buf_fd() (fd_install) right after dma_buf_export(), before kref_init() and list_add_tail()',
  ],
  replace: { vfio_pci_core_feature_dma_buf: feature_dma_buf_fd_first },
  bounds: { exported: 0, exports: 1, fdclosers: 1, sync: 0 },
  focus: ['export_dmabuf'],
});
