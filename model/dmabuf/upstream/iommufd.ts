/**
 * iommufd as a dma-buf importer (drivers/iommu/iommufd/pages.c, 7.1 with
 * "iommufd: Add dma_buf_pin()"; kernel-upstream.md §5; seed 004).
 */

import type { Ref } from '../../../checker/kind.ts';
import type { K } from '../functions.ts';
import * as kinds from '../kinds.ts';
import { domainsRwsem, pagesMutex, resv } from '../objects.ts';

/** IOMMU_IOAS_MAP_FILE on a dma-buf fd: iopt_map_file_pages() → iopt_alloc_dmabuf_pages() → iopt_map_dmabuf(). */
export function* iopt_map_file_pages(k: K, priv: Ref<'priv'>) {
  const { ctx } = k;
  const got = yield* k.dma_buf_get(priv); // +1 file reference held by the iopt_pages for its life
  if (got !== 0) return { ret: got, pages: null };
  const pages = ctx.make(kinds.pages, { dmabuf: priv, att: null, domain_mapped: false });
  yield* k.mutex_init(pagesMutex(pages), 'pages_dmabuf_mutex_key');
  const ret = yield* k.iopt_map_dmabuf(pages, priv);
  if (ret !== 0) {
    ctx.send(pages, { type: 'FAIL' });
    yield* k.dma_buf_put(priv);
    return { ret, pages: null };
  }
  yield* k.iopt_area_fill_domains(pages);
  return { ret: 0, pages };
}

/** iopt_map_dmabuf(): attach, then pin and get phys under resv ("the mutex [is] taken inside the reservation"). */
export function* iopt_map_dmabuf(k: K, pages: Ref<'pages'>, priv: Ref<'priv'>) {
  const { ctx } = k;
  const { ret, att } = yield* k.dma_buf_dynamic_attach(priv, 'iommufd', pages);
  if (ret !== 0 || att === null) return ret;
  ctx.set(pages, 'att', att);
  yield* k.dma_resv_lock(resv(priv));
  // IS_ENABLED(CONFIG_LOCKDEP): teach lockdep dma_resv -> pages->mutex
  yield* k.mutex_lock(pagesMutex(pages));
  yield* k.mutex_unlock(pagesMutex(pages));
  let rc = yield* k.dma_buf_pin(att);
  if (rc === 0) {
    rc = yield* k.vfio_pci_dma_buf_iommufd_map(priv);
    if (rc === 0) {
      ctx.send(att, { type: 'MAP' });
      ctx.send(pages, { type: 'PHYS' });
    } else yield* k.dma_buf_unpin(att);
  }
  yield* k.dma_resv_unlock(resv(priv));
  if (rc !== 0) yield* k.dma_buf_detach(att);
  return rc;
}

/** iopt_area_fill_domains(): domains_rwsem → pages->mutex; a revoked buffer is tracked but not mapped. */
export function* iopt_area_fill_domains(k: K, pages: Ref<'pages'>) {
  yield* k.down_read(domainsRwsem);
  yield* k.mutex_lock(pagesMutex(pages));
  if (k.ctx.state(pages) === 'mapped') {
    k.ctx.set(pages, 'domain_mapped', true); // iommu_map() of phys into the domain
    k.ctx.send(pages, { type: 'FILL' });
  }
  yield* k.mutex_unlock(pagesMutex(pages));
  yield* k.up_read(domainsRwsem);
}

/**
 * iopt_revoke_notify(): the invalidate_mappings callback; resv held by the
 * exporter (inside memory_lock(W)). iopt_dmabuf_revoked() is "phys.len == 0",
 * which is also true before iopt_map_dmabuf() has set phys: a revoke between
 * dma_buf_dynamic_attach() and the map does nothing, and the map then finds the
 * buffer revoked (or un-revoked) for itself.
 */
export function* iopt_revoke_notify(k: K, pages: Ref<'pages'>) {
  const { ctx } = k;
  yield* k.mutex_lock(pagesMutex(pages));
  if (ctx.state(pages) === 'mapped') {
    // iopt_area_unmap_domain_range() for every tracked domain; phys.len = 0, permanently
    ctx.set(pages, 'domain_mapped', false);
    ctx.send(pages, { type: 'REVOKE' });
    // with phys gone the attachment maps nothing (iommufd never held an sg table); it stays pinned until release
    const att = ctx.get(pages, 'att') as Ref<'att'>; // set by iopt_map_dmabuf() before the pages are mapped
    if (ctx.state(att).startsWith('mapped')) ctx.send(att, { type: 'UNMAP' });
  }
  yield* k.mutex_unlock(pagesMutex(pages));
}

/** Device DMA through the IOMMU domain: reaches MMIO only while the domain maps the buffer. */
export function* iommufd_dma_access(k: K, pages: Ref<'pages'>) {
  const { ctx } = k;
  yield* k.schedule(`${ctx.thread}: device DMA through the IOMMU domain mapping ${pages}`, [pages]);
  if (!ctx.get(pages, 'domain_mapped')) return -14; // IOMMU fault: nothing reaches the BAR
  const priv = ctx.get(pages, 'dmabuf');
  yield* k.mmio_access('iommu', priv, ctx.get(priv, 'vdev'), ctx.get(priv, 'bar'));
  return 0;
}

/** IOAS unmap → iopt_release_pages(): unmap domains, dma_buf_unpin, dma_buf_detach, dma_buf_put. */
export function* iopt_release_pages(k: K, pages: Ref<'pages'>) {
  const { ctx } = k;
  const priv = ctx.get(pages, 'dmabuf');
  const att = ctx.get(pages, 'att') as Ref<'att'>; // released pages were mapped: iopt_map_dmabuf() set it
  yield* k.down_read(domainsRwsem);
  yield* k.mutex_lock(pagesMutex(pages));
  if (ctx.get(pages, 'domain_mapped')) ctx.set(pages, 'domain_mapped', false); // iopt_area_unfill_domains()
  yield* k.mutex_unlock(pagesMutex(pages));
  yield* k.up_read(domainsRwsem);
  yield* k.dma_resv_lock(resv(priv));
  if (ctx.state(att).startsWith('mapped')) ctx.send(att, { type: 'UNMAP' });
  yield* k.dma_buf_unpin(att);
  yield* k.dma_resv_unlock(resv(priv));
  yield* k.dma_buf_detach(att);
  ctx.send(pages, { type: 'RELEASE' });
  yield* k.dma_buf_put(priv);
  return 0;
}
