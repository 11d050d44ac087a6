/**
 * broken-release-no-unlink: a deliberately broken .release that trusts
 * vfio_pci_dma_buf_cleanup() to take priv off vdev->dmabufs ("Either this or
 * vfio_pci_dma_buf_cleanup() will remove from the list" read as "cleanup
 * will"): it puts the registration and frees priv while priv is still linked,
 * so the next revoke or cleanup walks the list into freed memory.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { privMem } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

export function* release_without_list_del(k: K, priv: Ref<'priv'>) {
  const vdev = k.ctx.get(priv, 'vdev');
  if (vdev) yield* k.vfio_device_put_registration(vdev); // upstream: list_del_init() under memory_lock(W) first
  yield* k.kfree(privMem(priv));
  return 0;
}

export default defineVariant(upstream71, {
  name: 'broken-release-no-unlink',
  summary: 'Deliberately broken: release frees priv without taking it off vdev->dmabufs; the next list walk reads freed memory',
  source: 'deliberately broken design for the property catalog (drops list_del_init() from vfio_pci_dma_buf_release())',
  differences: ['vfio_pci_dma_buf_release: no down_write(memory_lock); list_del_init(); up_write() before kfree(priv)'],
  replace: { vfio_pci_dma_buf_release: release_without_list_del },
  bounds: { sync: 0 },
  focus: ['close_dmabuf_fd', 'config_write_command'],
});
