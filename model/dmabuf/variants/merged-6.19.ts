/**
 * merged-6.19: Leon Romanovsky's "vfio/pci: Add dma-buf export support for MMIO
 * regions" (v9) as merged in 6.19, with 61ceaf236115 (.pin → -EOPNOTSUPP),
 * before the 7.1 "Wait for dma-buf invalidation" series, 702809dabdec,
 * d97708701434, e98137f0a874 and c64a647c84f3 (kernel-upstream.md §2, §10).
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import { EOPNOTSUPP } from '../../errno.ts';
import type { K } from '../functions.ts';
import { dmabufFile, memory_lock, privMem, resv } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

/** 6.19 vfio_pci_dma_buf_move(): set revoked, dma_buf_move_notify(), no wait for fences or unmaps. */
export function* move_notify_no_wait(k: K, vdev: Ref<'vdev'>, revoked: boolean) {
  const { ctx } = k;
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    if (ctx.get(priv, 'revoked') !== revoked) {
      yield* k.dma_resv_lock(resv(priv));
      yield* k.set_revoked(priv, revoked);
      yield* k.dma_buf_invalidate_mappings(priv); // dma_buf_move_notify()
      yield* k.dma_resv_unlock(resv(priv));
    }
    yield* k.fput(dmabufFile(priv));
  }
}

/** 6.19 vfio_pci_dma_buf_cleanup(): orphan under resv and move_notify, no wait. */
export function* cleanup_no_wait(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.down_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    yield* k.dma_resv_lock(resv(priv));
    yield* k.list_del_init_dmabuf(vdev, priv);
    ctx.set(priv, 'vdev', null);
    yield* k.set_revoked(priv, true);
    ctx.send(priv, { type: 'ORPHAN' });
    yield* k.dma_buf_invalidate_mappings(priv);
    yield* k.dma_resv_unlock(resv(priv));
    yield* k.vfio_device_put_registration(vdev);
    yield* k.fput(dmabufFile(priv));
  }
  yield* k.up_write(memory_lock(vdev));
}

/** map without a kref: sg mappings are not counted (no completion to wait on). */
export function* map_uncounted(k: K, priv: Ref<'priv'>, _att: string) {
  yield* k.dma_resv_assert_held(resv(priv));
  if (k.ctx.get(priv, 'revoked')) return -19;
  return 0;
}

export function* unmap_uncounted(k: K, priv: Ref<'priv'>) {
  yield* k.dma_resv_assert_held(resv(priv));
  return 0;
}

/** 6.19 .attach: peer2peer and revoked checks only (no dma_buf_attach_revocable). */
export function* attach_no_revocable_check(k: K, priv: Ref<'priv'>, att: Ref<'att'>) {
  if (!k.ctx.get(att, 'peer2peer')) return EOPNOTSUPP;
  if (yield* k.READ_ONCE(priv, 'revoked')) return -19;
  return 0;
}

/** 61ceaf236115: .pin = -EOPNOTSUPP ("Prevent from pinned DMABUF importers to attach to VFIO DMABUF"). */
export function* pin_eopnotsupp(_k: K, _att: string) {
  return EOPNOTSUPP;
}

/** vfio_pci_core_close_device() before d97708701434: disable the function, then clean up dma-bufs. */
export function* close_disable_then_cleanup(k: K, vdev: Ref<'vdev'>) {
  yield* k.vfio_pci_core_disable(vdev);
  yield* k.vfio_pci_dma_buf_cleanup(vdev);
}

/** The 6.19 export error path: err_dma_buf: dma_buf_put() falls through to err_dev_put and err_free_priv (e98137f0a874). */
export function* install_fd_double_free(k: K, priv: Ref<'priv'>, fd_fail: boolean) {
  const ret = yield* k.dma_buf_fd(priv, fd_fail);
  if (ret < 0) {
    yield* k.dma_buf_put(priv); // err_dma_buf: release() will unlink, put the registration and free priv...
    yield* k.vfio_device_put_registration(k.ctx.get(priv, 'vdev') as Ref<'vdev'>); // ...err_dev_put: and so does this
    yield* k.kfree(privMem(priv)); // err_free_priv
    return ret;
  }
  return ret;
}

export default defineVariant(upstream71, {
  name: 'merged-6.19',
  summary: 'As merged in 6.19: move_notify with no waits, .pin → -EOPNOTSUPP, close = disable then cleanup, err_dma_buf double free',
  source: 'Linux 6.19 (torvalds/linux 1f97d9dcf536): Leon Romanovsky v9 + 61ceaf236115',
  differences: [
    'vfio_pci_dma_buf_move: priv->revoked = revoked; dma_buf_move_notify(); no dma_resv_wait_timeout, no kref put / wait_for_completion',
    'vfio_pci_dma_buf_cleanup: list_del, vdev = NULL, revoked, move_notify under resv; no wait',
    'vfio_pci_dma_buf_map/unmap: no kref per sg mapping',
    'vfio_pci_dma_buf_attach: no dma_buf_attach_revocable() check; .pin returns -EOPNOTSUPP',
    'vfio_pci_core_close_device: vfio_pci_core_disable() before vfio_pci_dma_buf_cleanup()',
    'export: dma_buf_fd() failure falls through err_dma_buf into err_dev_put/err_free_priv (double put, double free)',
  ],
  replace: {
    vfio_pci_dma_buf_move: move_notify_no_wait,
    vfio_pci_dma_buf_cleanup: cleanup_no_wait,
    vfio_pci_dma_buf_map: map_uncounted,
    vfio_pci_dma_buf_unmap: unmap_uncounted,
    vfio_pci_dma_buf_attach: attach_no_revocable_check,
    vfio_pci_dma_buf_pin: pin_eopnotsupp,
    vfio_pci_core_close_device: close_disable_then_cleanup,
    export_install_fd: install_fd_double_free,
  },
  bounds: { sync: 0, fence: 1 },
  focus: ['config_write_command'],
});
