/**
 * A user's own design, in one file outside the model, written only against the
 * public API: passed in as `api` at run time, so the file needs no import path
 * to the tool; its types come from an `import type` of the API, which nothing
 * runs (a copy of the file elsewhere points it at the checkout's index.ts).
 *
 * The idea being reviewed: make .attach fail early when the device cannot
 * decode memory, by looking at it under the buffer's reservation lock and
 * memory_lock. That takes dma_resv before memory_lock, the reverse of
 * vfio_pci_dma_buf_move() (memory_lock(W) -> dma_resv, REF E3).
 *
 *   vfio-dmabuf-model check --variant examples/variants/resv-before-memory-lock.ts --property lock-order
 */
import type * as Api from '../../index.ts';

export default function design(api: typeof Api): Api.Design {
  const { defineVariant, designs, errno, objects } = api;

  function* vfio_pci_dma_buf_attach(k: Api.K, priv: string, att: string) {
    if (!k.ctx.get(att, 'peer2peer')) return errno.EOPNOTSUPP;
    yield* k.dma_resv_lock(objects.resv(priv));
    const vdev = k.ctx.get<string | null>(priv, 'vdev');
    let ret = 0;
    if (vdev) {
      yield* k.down_read(objects.memory_lock(vdev)); // dma_resv -> memory_lock: inverts E3
      if (!(yield* k.__vfio_pci_memory_enabled(vdev))) ret = errno.ENODEV;
      yield* k.up_read(objects.memory_lock(vdev));
    }
    if (k.ctx.get(priv, 'revoked')) ret = errno.ENODEV;
    yield* k.dma_resv_unlock(objects.resv(priv));
    if (ret === 0 && !(yield* k.dma_buf_attach_revocable(att))) ret = errno.EOPNOTSUPP;
    return ret;
  }

  return defineVariant(designs['upstream-7.1'] as Api.Design, {
    name: 'user-resv-before-memory-lock',
    summary: 'attach checks memory decode under dma_resv and memory_lock(R)',
    source: 'docs/variants.md worked example',
    differences: ['vfio_pci_dma_buf_attach: dma_resv_lock, then down_read(memory_lock) to read __vfio_pci_memory_enabled()'],
    replace: { vfio_pci_dma_buf_attach },
    focus: ['config_write_command'],
  });
}
