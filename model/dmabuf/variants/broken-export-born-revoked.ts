/**
 * broken-export-born-revoked: a deliberately broken export that links every
 * new dma-buf revoked, leaving it to the next memory enable to un-revoke it
 * (upstream computes priv->revoked from __vfio_pci_memory_enabled() under
 * memory_lock(W)). On a device that already decodes memory no enable comes:
 * the buffer stays revoked, and no re-enabling operation ever returns to show it.
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

export function* feature_dma_buf_born_revoked(k: K, vdev: Ref<'vdev'>, req: DmaBufRequest) {
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
  yield* k.kref_init(kref(priv));
  yield* k.init_completion(comp(priv));
  yield* k.down_write(memory_lock(vdev));
  yield* k.dma_resv_lock(resv(priv));
  yield* k.set_revoked(priv, true); // upstream: revoked = !__vfio_pci_memory_enabled(vdev)
  yield* k.list_add_tail_dmabuf(vdev, priv);
  ctx.send(priv, { type: 'LINK' });
  yield* k.dma_resv_unlock(resv(priv));
  yield* k.up_write(memory_lock(vdev));
  return yield* k.export_install_fd(priv, req.fd_fail);
}

export default defineVariant(upstream71, {
  name: 'broken-export-born-revoked',
  summary: 'Deliberately broken: a new dma-buf is linked revoked whatever the device state; on a decoding device it stays revoked',
  source: 'deliberately broken design for the property catalog (priv->revoked = true in vfio_pci_core_feature_dma_buf())',
  differences: ['vfio_pci_core_feature_dma_buf: priv->revoked = true instead of !__vfio_pci_memory_enabled(vdev)'],
  replace: { vfio_pci_core_feature_dma_buf: feature_dma_buf_born_revoked },
  bounds: { exports: 1, sync: 0 },
  focus: ['export_dmabuf'],
});
