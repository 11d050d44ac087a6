/**
 * before-attach-kref-reinit: the "Wait for dma-buf invalidation" series before
 * its v6 fix of the "dma-buf attach vs kref reinitialization" race: un-revoke
 * cleared priv->revoked before kref_init(), so a map racing the un-revoke
 * could kref_get() a kref still at 0 (refcount_t: addition on 0).
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { comp, dmabufFile, kref, memory_lock, resv } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';
import { cleanup_inline_drain } from './before-kref-underflow.ts';

/** Un-revoke publishes revoked = false, then re-arms the kref that revoke left at 0. */
export function* move_unrevoke_before_kref_init(k: K, vdev: Ref<'vdev'>, revoked: boolean) {
  const { ctx } = k;
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    if (ctx.get(priv, 'revoked') !== revoked) {
      yield* k.dma_resv_lock(resv(priv));
      if (revoked) yield* k.set_revoked(priv, true);
      yield* k.dma_buf_invalidate_mappings(priv);
      yield* k.dma_resv_wait_timeout(resv(priv));
      if (!revoked) yield* k.set_revoked(priv, false); // too early: maps may now kref_get()
      yield* k.dma_resv_unlock(resv(priv));
      if (revoked) {
        yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv));
        yield* k.wait_for_completion(comp(priv));
      } else {
        yield* k.kref_init(kref(priv));
        yield* k.reinit_completion(comp(priv));
      }
    }
    yield* k.fput(dmabufFile(priv));
  }
}

export default defineVariant(upstream71, {
  name: 'before-attach-kref-reinit',
  summary: 'Un-revoke clears revoked before kref_init(): a racing map takes a reference on a kref at 0',
  source:
    'Leon Romanovsky "dmabuf-revoke" series before v6 (kernel-upstream.md §11.4); fixed within the series by clearing revoked after kref_init',
  differences: [
    'vfio_pci_dma_buf_move(false): priv->revoked = false under resv, then kref_init()/reinit_completion() (the fix re-arms first)',
    'vfio_pci_dma_buf_cleanup: the series-era inline drain',
  ],
  replace: { vfio_pci_dma_buf_move: move_unrevoke_before_kref_init, vfio_pci_dma_buf_cleanup: cleanup_inline_drain },
  focus: ['flr'],
});
