/**
 * An importer that maps again from inside its invalidate_mappings callback:
 * the sync importer unmaps, as mlx5_ib_dmabuf_invalidate_cb() does, then asks
 * for a new mapping straight away through its ordinary map path,
 * dma_buf_map_attachment_unlocked() (the table's importer_map), as if the
 * invalidation were a move. The exporter calls the callback with the buffer's
 * reservation lock held, and the unlocked map takes it again. One replacement:
 * sync_importer_invalidate_mappings.
 *
 *   vfio-dmabuf-model check --variant examples/variants/importer-remap-in-invalidate.ts
 */
import type * as Api from '../../index.ts';

export default function design(api: typeof Api): Api.Design {
  const { defineVariant, designs } = api;

  /** the sync importer's callback, resv held by the exporter (dma_buf_invalidate_mappings) */
  function* sync_importer_invalidate_mappings(k: Api.K, att: string) {
    if (!k.ctx.state(att).startsWith('mapped')) return;
    yield* k.dma_buf_unmap_attachment(att);
    // map again at once, through the importer's own dma_buf_map_attachment_unlocked()
    yield* k.importer_map(att);
  }

  return defineVariant(designs['upstream-7.1'] as Api.Design, {
    name: 'user-importer-remap-in-invalidate',
    summary: 'a sync importer that maps again (dma_buf_map_attachment_unlocked) from inside its invalidate_mappings callback',
    source: 'docs/variants.md importer example',
    differences: ['sync_importer_invalidate_mappings: unmap, then dma_buf_map_attachment_unlocked() of the same attachment'],
    replace: { sync_importer_invalidate_mappings },
  });
}
