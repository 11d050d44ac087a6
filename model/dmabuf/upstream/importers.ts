/**
 * The importers: what their invalidate_mappings callbacks do when the
 * exporter calls them (resv held, in the revoking thread), and what the
 * importer's own thread does. Kinds (kernel-upstream.md §8.3, §4):
 * - sync:    dynamic, unmaps inside its callback (e.g. a DRM driver evicting);
 * - fence:   dynamic, fences its in-flight DMA in the callback and unmaps later
 *            from its own thread (the dma-buf "revoke contract");
 * - pinned:  dynamic with allow_peer2peer but no invalidate op (RDMA pinned umem);
 * - static:  dma_buf_attach() with no importer_ops (no peer2peer);
 * - iommufd: iopt_revoke_notify (iommufd.ts).
 */
import type { World } from '../../../checker/world.ts';
import { load } from '../../../kernel/slab.ts';
import { EFAULT } from '../../errno.ts';
import type { K } from '../functions.ts';
import { importerFence, resv } from '../objects.ts';

/** importer_ops->invalidate_mappings(attach), resv held by the exporter. */
export function* importer_invalidate_mappings(k: K, att: string) {
  const { ctx } = k;
  const kind = ctx.get<string>(att, 'kind');
  if (kind === 'iommufd') return yield* k.iopt_revoke_notify(ctx.get<string>(att, 'importer'));
  const mapped = ctx.state(att).startsWith('mapped');
  ctx.send(att, { type: 'INVALIDATE' });
  if (!mapped) return;
  if (kind === 'sync') {
    // stop the device, then unmap right here (resv is already held)
    yield* k.dma_buf_unmap_attachment(att);
  } else if (kind === 'fence') {
    // in-flight DMA continues until this fence signals; unmap happens later
    if (!ctx.get(att, 'fence_pending')) {
      yield* k.dma_fence_init(importerFence(att));
      yield* k.dma_resv_add_fence(resv(ctx.get<string>(att, 'dmabuf')), importerFence(att));
      ctx.set(att, 'fence_pending', true);
    }
  }
}

/** The importer's DMA to the buffer: allowed while mapped and not invalidated, or invalidated with its fence unsignaled. */
export function* importer_dma_access(k: K, att: string) {
  const { ctx } = k;
  // the device issues the DMA: whether a mapping is there and the access happen in one step
  yield* k.schedule(`${ctx.thread}: device DMA through ${att}`, [att]);
  const state = ctx.state(att);
  const inFlight = state === 'mapped.invalidated' && ctx.get(att, 'fence_pending') === true;
  if (state !== 'mapped.valid' && !inFlight) return EFAULT; // no mapping: the IOMMU/PCIe would fault, nothing reaches MMIO
  // the device walks the sg table map handed out: freed under it, that is a use after free
  const sgt = ctx.get<string | null>(att, 'sgt');
  if (sgt) load(ctx, sgt, 'attachment');
  const priv = ctx.get<string>(att, 'dmabuf');
  yield* k.mmio_access('dma', priv, ctx.get<string | null>(priv, 'vdev'), ctx.get<number>(priv, 'bar'));
  return 0;
}

/** The importer stops its DMA (its fence signals) and unmaps: dma_buf_unmap_attachment_unlocked(). */
export function* importer_unmap(k: K, att: string) {
  const { ctx } = k;
  const priv = ctx.get<string>(att, 'dmabuf');
  // The device finishes its DMA and signals the fence whatever the driver thread is doing, even while
  // that thread waits for the resv lock the revoker holds across dma_resv_wait_timeout().
  for (;;) {
    if (ctx.get(att, 'fence_pending')) {
      ctx.set(att, 'fence_pending', false);
      yield* k.dma_fence_signal(importerFence(att));
    }
    if (yield* k.dma_resv_trylock(resv(priv))) break;
    const lock = `${resv(priv)}.lock`;
    yield {
      action: `${ctx.thread}: wait for ${lock} or for its DMA to complete`,
      locs: [lock, att],
      enabled: (w: World) => w.peek(lock, 'owner') === null || w.peek(att, 'fence_pending') === true,
      waitsFor: (w: World) => `${lock} is held by ${String(w.peek(lock, 'owner'))}`,
    };
  }
  if (ctx.state(att).startsWith('mapped')) yield* k.dma_buf_unmap_attachment(att);
  yield* k.dma_resv_unlock(resv(priv));
  return 0;
}

/** dma_buf_map_attachment_unlocked(). */
export function* importer_map(k: K, att: string) {
  const priv = k.ctx.get<string>(att, 'dmabuf');
  // a pinning importer only maps what it could pin
  if (k.ctx.get(att, 'kind') === 'pinned' && k.ctx.state(att) === 'attached') return -22;
  yield* k.dma_resv_lock(resv(priv));
  const ret = k.ctx.state(att).startsWith('mapped') ? 0 : yield* k.dma_buf_map_attachment(att);
  yield* k.dma_resv_unlock(resv(priv));
  return ret;
}

/** dma_resv_lock(); dma_buf_pin(); dma_resv_unlock(): what a pinning importer does before mapping. */
export function* importer_pin(k: K, att: string) {
  const priv = k.ctx.get<string>(att, 'dmabuf');
  yield* k.dma_resv_lock(resv(priv));
  const ret = yield* k.dma_buf_pin(att);
  yield* k.dma_resv_unlock(resv(priv));
  return ret;
}
