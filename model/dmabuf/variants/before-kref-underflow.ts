/**
 * before-kref-underflow: 7.1-rc2, before c64a647c84f3 "vfio/pci: fix dma-buf
 * kref underflow after revoke" (7.1-rc3, Cc stable). The kref and completion
 * were re-armed in the un-revoke branch, so after a temporary revoke the kref
 * is 0 and the completion already consumed; cleanup then drains again: a
 * second kref_put (refcount underflow) and a wait_for_completion() that never
 * returns in close(). Reproducer (J. Kylmälä): clear PCI_COMMAND_MEMORY, close.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { comp, dmabufFile, kref, memory_lock, resv } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

/** vfio_pci_dma_buf_move() before c64a647c84f3: kref_init() and reinit_completion() only when un-revoking. */
export function* move_rearm_on_unrevoke(k: K, vdev: Ref<'vdev'>, revoked: boolean) {
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
        yield* k.wait_for_completion(comp(priv));
      } else {
        yield* k.kref_init(kref(priv));
        yield* k.reinit_completion(comp(priv));
        yield* k.dma_resv_lock(resv(priv));
        yield* k.set_revoked(priv, false);
        yield* k.dma_resv_unlock(resv(priv));
      }
    }
    yield* k.fput(dmabufFile(priv));
  }
}

/** vfio_pci_dma_buf_cleanup() of 7.1-rc1/rc2: its own drain under resv, whatever the buffer's revoked state. */
export function* cleanup_inline_drain(k: K, vdev: Ref<'vdev'>) {
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
    yield* k.dma_resv_wait_timeout(resv(priv));
    yield* k.dma_resv_unlock(resv(priv));
    yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv));
    yield* k.wait_for_completion(comp(priv));
    yield* k.vfio_device_put_registration(vdev);
    yield* k.fput(dmabufFile(priv));
  }
  yield* k.up_write(memory_lock(vdev));
}

export default defineVariant(upstream71, {
  name: 'before-kref-underflow',
  summary: 'Before c64a647c84f3: kref re-armed only on un-revoke; close after a temporary revoke underflows the kref and hangs',
  source: 'Linux 7.1-rc2 (intel-lab-lkp/linux 0c8db53a); fixed by c64a647c84f3 (7.1-rc3)',
  differences: [
    'vfio_pci_dma_buf_move: kref_init()/reinit_completion() in the un-revoke branch instead of after the revoke wait',
    'vfio_pci_dma_buf_cleanup: drains inline under resv (kref_put + wait_for_completion) instead of calling move(true)',
  ],
  replace: { vfio_pci_dma_buf_move: move_rearm_on_unrevoke, vfio_pci_dma_buf_cleanup: cleanup_inline_drain },
  bounds: { ops: 2 },
  focus: ['config_write_command', 'close_device_fd'],
});
