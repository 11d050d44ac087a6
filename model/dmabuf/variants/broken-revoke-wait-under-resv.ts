/**
 * broken-revoke-wait-under-resv: a deliberately broken revoke that waits for
 * the sg mappings to go (wait_for_completion(&priv->comp)) before it drops the
 * dma-buf's resv. An importer unmaps under that resv, so once one still holds a
 * mapping the revoke waits for ever, with the mapping live (a fence importer,
 * which unmaps from its own thread, shows it).
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { comp, dmabufFile, kref, memory_lock, resv } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

export function* move_wait_under_resv(k: K, vdev: Ref<'vdev'>, revoked: boolean) {
  const { ctx } = k;
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    if (ctx.get(priv, 'revoked') !== revoked) {
      yield* k.dma_resv_lock(resv(priv));
      if (revoked) yield* k.set_revoked(priv, true);
      yield* k.dma_buf_invalidate_mappings(priv);
      yield* k.dma_resv_wait_timeout(resv(priv));
      if (revoked) {
        yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv));
        yield* k.wait_for_completion(comp(priv)); // upstream: after dma_resv_unlock()
        yield* k.kref_init(kref(priv));
        yield* k.reinit_completion(comp(priv));
        yield* k.dma_resv_unlock(resv(priv));
      } else {
        yield* k.set_revoked(priv, false);
        yield* k.dma_resv_unlock(resv(priv));
      }
    }
    yield* k.fput(dmabufFile(priv));
  }
}

export default defineVariant(upstream71, {
  name: 'broken-revoke-wait-under-resv',
  summary: 'Deliberately broken: revoke waits for the importers to unmap while it holds the resv they unmap under',
  source: 'deliberately broken design for the property catalog (moves wait_for_completion() of vfio_pci_dma_buf_move() inside the resv)',
  differences: ['vfio_pci_dma_buf_move(true): wait_for_completion(&priv->comp) before dma_resv_unlock()'],
  replace: { vfio_pci_dma_buf_move: move_wait_under_resv },
  bounds: { sync: 0, fence: 1 },
  focus: ['config_write_command'],
});
