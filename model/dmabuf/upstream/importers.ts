/**
 * The importers: their dma_buf_attach_ops callbacks, which the exporter calls
 * (invalidate_mappings, resv held, in the revoking thread), and what the
 * importer's own thread and device do (map, DMA, unmap, detach). Each callback
 * is a table function of its own, so a design replaces one importer's
 * behaviour by name. Kinds (kernel-upstream.md §8.3, §4):
 * - sync:    dynamic, unmaps inside its callback (sync_importer_invalidate_mappings);
 * - fence:   dynamic, fences its in-flight DMA in the callback and unmaps later
 *            from its own thread (fence_importer_invalidate_mappings: the
 *            dma-buf "revoke contract");
 * - pinned:  dynamic with allow_peer2peer but no invalidate op (RDMA pinned umem);
 * - static:  dma_buf_attach() with no importer_ops (no peer2peer);
 * - iommufd: iopt_revoke_notify (iommufd.ts).
 */

import type { Ref } from '../../../checker/kind.ts';
import type { World } from '../../../checker/world.ts';
import { load } from '../../../kernel/slab.ts';
import { EFAULT } from '../../errno.ts';
import type { K } from '../functions.ts';
import { importerFence, resv } from '../objects.ts';

/**
 * attach->importer_ops->invalidate_mappings(attach), resv held by the exporter
 * (dma_buf_invalidate_mappings()). The attachment's kind stands for its
 * importer_ops pointer: it picks the callback, as the indirect call does.
 */
export function* importer_invalidate_mappings(k: K, att: Ref<'att'>) {
  const { ctx } = k;
  const ops = ctx.get(att, 'kind');
  // iopt_dmabuf_attach_revoke_ops: its importer_priv is the iopt_pages
  if (ops === 'iommufd') return yield* k.iopt_revoke_notify(ctx.get(att, 'importer') as Ref<'pages'>);
  // the exporter has invalidated this mapping, whatever the importer does about it
  ctx.send(att, { type: 'INVALIDATE' });
  if (ops === 'sync') return yield* k.sync_importer_invalidate_mappings(att);
  if (ops === 'fence') return yield* k.fence_importer_invalidate_mappings(att);
  // pinned, static: no invalidate_mappings op (dma_buf_invalidate_mappings() skips them)
}

/**
 * The sync importer's callback: stop the device, then unmap right here (resv is
 * already held). Stands for mlx5_ib_dmabuf_invalidate_cb()
 * (drivers/infiniband/hw/mlx5/mr.c): nothing to do without an sgt, else
 * mlx5r_umr_update_mr_pas(mr, MLX5_IB_UPD_XLT_ZAP), which stops the device's
 * DMA, and ib_umem_dmabuf_unmap_pages() → dma_buf_unmap_attachment() under the
 * exporter's resv. The model keeps the unmap: once unmapped, no DMA of the
 * attachment reaches the BAR.
 */
export function* sync_importer_invalidate_mappings(k: K, att: Ref<'att'>) {
  if (k.ctx.state(att).startsWith('mapped')) yield* k.dma_buf_unmap_attachment(att);
}

/**
 * The fence importer's callback: its in-flight DMA continues until this fence
 * signals; the unmap happens later, from its own thread (importer_unmap). The
 * importer the dma_buf_invalidate_mappings() kdoc describes ("until
 * dma_resv_wait_timeout() retires fences the importer is allowed to fully
 * access the memory ... until the importer calls unmap"), as a DRM driver
 * evicting does (amdgpu_dma_buf_move_notify() [INFER]).
 */
export function* fence_importer_invalidate_mappings(k: K, att: Ref<'att'>) {
  const { ctx } = k;
  if (!ctx.state(att).startsWith('mapped') || ctx.get(att, 'fence_pending')) return;
  yield* k.dma_fence_init(importerFence(att));
  yield* k.dma_resv_add_fence(resv(ctx.get(att, 'dmabuf')), importerFence(att));
  ctx.set(att, 'fence_pending', true);
}

/** The importer's DMA to the buffer: allowed while mapped and not invalidated, or invalidated with its fence unsignaled. */
export function* importer_dma_access(k: K, att: Ref<'att'>) {
  const { ctx } = k;
  // the device issues the DMA: whether a mapping is there and the access happen in one step
  yield* k.schedule(`${ctx.thread}: device DMA through ${att}`, [att]);
  const state = ctx.state(att);
  const inFlight = state === 'mapped.invalidated' && ctx.get(att, 'fence_pending') === true;
  if (state !== 'mapped.valid' && !inFlight) return EFAULT; // no mapping: the IOMMU/PCIe would fault, nothing reaches MMIO
  // the device walks the sg table map handed out: freed under it, that is a use after free
  const sgt = ctx.get(att, 'sgt');
  if (sgt) load(ctx, sgt, 'attachment');
  const priv = ctx.get(att, 'dmabuf');
  yield* k.mmio_access('dma', priv, ctx.get(priv, 'vdev'), ctx.get(priv, 'bar'));
  return 0;
}

/** The importer's device finishes its in-flight DMA: dma_fence_signal() of the fence its callback added (the driver's fence IRQ). */
export function* importer_fence_signal(k: K, att: Ref<'att'>) {
  if (!k.ctx.get(att, 'fence_pending')) return;
  k.ctx.set(att, 'fence_pending', false);
  yield* k.dma_fence_signal(importerFence(att));
}

/**
 * dma_resv_lock() from the importer's thread: while it waits (for the resv the
 * revoker holds across dma_resv_wait_timeout(), say), its device finishes its
 * DMA and signals the fence, whatever the thread is doing. Returns holding resv.
 */
export function* importer_dma_resv_lock(k: K, att: Ref<'att'>) {
  const { ctx } = k;
  const priv = ctx.get(att, 'dmabuf');
  const lock = `${resv(priv)}.lock`;
  for (;;) {
    yield* k.importer_fence_signal(att);
    if (yield* k.dma_resv_trylock(resv(priv))) return;
    yield {
      action: `${ctx.thread}: wait for ${lock} or for its DMA to complete`,
      locs: [lock, att],
      enabled: (w: World) => w.peek(lock, 'owner') === null || w.peek(att, 'fence_pending') === true,
      waitsFor: (w: World) => `${lock} is held by ${String(w.peek(lock, 'owner'))}`,
    };
  }
}

/** The importer stops its DMA (its fence signals) and unmaps: dma_buf_unmap_attachment_unlocked(). */
export function* importer_unmap(k: K, att: Ref<'att'>) {
  const priv = k.ctx.get(att, 'dmabuf');
  yield* k.importer_dma_resv_lock(att);
  if (k.ctx.state(att).startsWith('mapped')) yield* k.dma_buf_unmap_attachment(att);
  yield* k.dma_resv_unlock(resv(priv));
  return 0;
}

/**
 * The importer lets go of its attachment: unmap, unpin (under resv), then
 * dma_buf_detach(), as ib_umem_dmabuf_release() (drivers/infiniband/core/umem_dmabuf.c)
 * does, but with the unmap and the unpin in two resv sections where it takes
 * one; the importer's dma_buf_put() follows, from the caller.
 */
export function* importer_detach(k: K, att: Ref<'att'>) {
  const { ctx } = k;
  if (ctx.state(att).startsWith('mapped')) yield* k.importer_unmap(att);
  if (ctx.state(att) === 'pinned') {
    const priv = ctx.get(att, 'dmabuf');
    yield* k.dma_resv_lock(resv(priv));
    yield* k.dma_buf_unpin(att);
    yield* k.dma_resv_unlock(resv(priv));
  }
  yield* k.dma_buf_detach(att);
}

/** dma_buf_map_attachment_unlocked(). */
export function* importer_map(k: K, att: Ref<'att'>) {
  const priv = k.ctx.get(att, 'dmabuf');
  // a pinning importer only maps what it could pin
  if (k.ctx.get(att, 'kind') === 'pinned' && k.ctx.state(att) === 'attached') return -22;
  yield* k.dma_resv_lock(resv(priv));
  const ret = k.ctx.state(att).startsWith('mapped') ? 0 : yield* k.dma_buf_map_attachment(att);
  yield* k.dma_resv_unlock(resv(priv));
  return ret;
}

/** dma_resv_lock(); dma_buf_pin(); dma_resv_unlock(): what a pinning importer does before mapping. */
export function* importer_pin(k: K, att: Ref<'att'>) {
  const priv = k.ctx.get(att, 'dmabuf');
  yield* k.dma_resv_lock(resv(priv));
  const ret = yield* k.dma_buf_pin(att);
  yield* k.dma_resv_unlock(resv(priv));
  return ret;
}
