/**
 * before-completion-timeout: 1a8a5227f229 "vfio: Wait for dma-buf invalidation
 * to complete" as first posted: wait_for_completion_timeout(&priv->comp,
 * secs_to_jiffies(1)) with a WARN, so a slow importer's mapping outlives the
 * revoke. Replaced within the series ("vfio: Permit VFIO to work with pinned
 * importers") by an unbounded wait plus the attach-time revocability filter.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { comp, dmabufFile, kref, memory_lock, resv } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

const HZ = 250;

export function* move_timed_wait(k: K, vdev: Ref<'vdev'>, revoked: boolean) {
  const { ctx } = k;
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    if (ctx.get(priv, 'revoked') !== revoked) {
      yield* k.dma_resv_lock(resv(priv));
      if (revoked) yield* k.set_revoked(priv, true);
      yield* k.dma_buf_invalidate_mappings(priv);
      yield* k.dma_resv_wait_timeout(resv(priv));
      yield* k.dma_resv_unlock(resv(priv));
      if (revoked) {
        yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv));
        const wait = yield* k.wait_for_completion_timeout(comp(priv), HZ);
        if (!wait) ctx.note('WARN: Timed out waiting for DMABUF unmap, importer has a broken invalidate_mapping()');
        yield* k.kref_init(kref(priv));
        yield* k.reinit_completion(comp(priv));
      } else {
        yield* k.dma_resv_lock(resv(priv));
        yield* k.set_revoked(priv, false);
        yield* k.dma_resv_unlock(resv(priv));
      }
    }
    yield* k.fput(dmabufFile(priv));
  }
}

export default defineVariant(upstream71, {
  name: 'before-completion-timeout',
  summary: 'Revoke waits for unmaps at most one second, then WARNs and goes on with the mapping still live',
  source: '1a8a5227f229 as first posted in the 7.1 "dmabuf-revoke" series (kernel-upstream.md §2.8, §11.5)',
  differences: ['vfio_pci_dma_buf_move(true): wait_for_completion_timeout(&priv->comp, 1 s) + WARN instead of wait_for_completion()'],
  replace: { vfio_pci_dma_buf_move: move_timed_wait },
  bounds: { sync: 0, fence: 1 },
  focus: ['config_write_command'],
});
