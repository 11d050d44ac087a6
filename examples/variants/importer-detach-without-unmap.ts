/**
 * An importer that detaches without unmapping first: its teardown calls
 * dma_buf_detach() on an attachment that may still be mapped (and pinned),
 * skipping the dma_buf_unmap_attachment_unlocked() and dma_buf_unpin() that
 * ib_umem_dmabuf_release() does before it. One replacement: importer_detach.
 *
 *   vfio-dmabuf-model check --variant examples/variants/importer-detach-without-unmap.ts
 */
import type * as Api from '../../index.ts';

export default function design(api: typeof Api): Api.Design {
  const { defineVariant, designs } = api;

  /** the importer's teardown before its dma_buf_put(): straight to dma_buf_detach() */
  function* importer_detach(k: Api.K, att: string) {
    yield* k.dma_buf_detach(att);
  }

  return defineVariant(designs['upstream-7.1'] as Api.Design, {
    name: 'user-importer-detach-without-unmap',
    summary: 'an importer that calls dma_buf_detach() without unmapping (or unpinning) its attachment first',
    source: 'docs/variants.md importer example',
    differences: ['importer_detach: dma_buf_detach() alone, no unmap or unpin before it'],
    replace: { importer_detach },
  });
}
