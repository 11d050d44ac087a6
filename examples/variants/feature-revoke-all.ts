/**
 * A variant that ADDS an ioctl: a (hypothetical) VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE_ALL
 * on the device fd that revokes every dma-buf the device exported, as the
 * memory-disable path does: memory_lock(W), vfio_pci_dma_buf_move(vdev, true).
 * It adds one table function (the feature handler, so a further variant can
 * replace it) and one operation of the primary process (so scenarios and
 * `list ops` know it).
 *
 *   vfio-dmabuf-model run examples/scenarios/revoke-all.json --variant examples/variants/feature-revoke-all.ts
 */
import type * as Api from '../../index.ts';

/** The bound table of this design: the model's functions plus the one it adds. */
type K = Api.K & { vfio_pci_core_feature_dma_buf_revoke_all(vdev: string): Api.Gen<number> };

export default function design(api: typeof Api): Api.Design {
  const { defineVariant, designs, errno, objects } = api;

  /** the feature handler: what the kernel patch would add to vfio_pci_dmabuf.c */
  function* vfio_pci_core_feature_dma_buf_revoke_all(k: K, vdev: string) {
    yield* k.down_write(objects.memory_lock(vdev));
    yield* k.vfio_pci_dma_buf_move(vdev, true);
    yield* k.up_write(objects.memory_lock(vdev));
    return 0;
  }

  const revoke_all: Api.AddedOperation = {
    actor: 'primary',
    signature: {
      help: 'VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE_ALL: revoke every dma-buf of the device',
      args: { dev: { help: 'the device (vdev<n>) of the dev_set', accepts: [{ type: 'integer', min: 0, max: 0 }], default: 0 } },
      takes: ['device fd'],
      creates: [],
    },
    // the ioctl holds the device file for the call (fdget), as every device ioctl does
    *run(k: K, args) {
      const vdev = `vdev${typeof args.dev === 'number' ? args.dev : 0}`;
      const file = objects.deviceFile(vdev);
      if (!(yield* k.fget(objects.procId('primary'), file, file))) return errno.EBADF;
      const ret = yield* k.vfio_pci_core_feature_dma_buf_revoke_all(vdev);
      yield* k.fput(file);
      return ret;
    },
  };

  return defineVariant(designs['upstream-7.1'] as Api.Design, {
    name: 'user-feature-revoke-all',
    summary: 'a device feature that revokes every dma-buf of the device',
    source: 'docs/variants.md add-an-operation example',
    differences: ['adds VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE_ALL (operation revoke_all)'],
    add: { functions: { vfio_pci_core_feature_dma_buf_revoke_all }, operations: { revoke_all } },
  });
}
