/**
 * drivers/vfio/pci/vfio_pci_dmabuf.c as of 7.1 (gregkh/linux 2519003dd5fb:
 * the "Wait for dma-buf invalidation" series, 702809dabdec, c64a647c84f3),
 * function by function; see kernel-upstream.md §2. Each function keeps the C
 * order of locks, checks and refcount operations.
 */

import type { Ref } from '../../../checker/kind.ts';
import { kzalloc, load, store } from '../../../kernel/slab.ts';
import { EINVAL, ENODEV, EOPNOTSUPP } from '../../errno.ts';
import type { DmaBufRequest } from '../arguments.ts';
import type { K } from '../functions.ts';
import * as kinds from '../kinds.ts';
import { comp, dmabufFile, kref, memory_lock, privMem, resv } from '../objects.ts';
import { ranges_fit_bar, VFIO_PCI_ROM_REGION_INDEX, validate_dmabuf_input } from '../resources.ts';
import { list_entry_reached } from './list.ts';

/** vfio_pci_core_feature_dma_buf() — the export ioctl (§2.1), steps 1..15. */
export function* vfio_pci_core_feature_dma_buf(k: K, vdev: Ref<'vdev'>, req: DmaBufRequest) {
  const { ctx } = k;
  // 4. !nr_ranges || flags
  if (!req.nr_ranges || req.flags) return EINVAL;
  // 5. region_index >= VFIO_PCI_ROM_REGION_INDEX || vfio_pci_core_setup_barmap() (702809dabdec)
  if (req.bar >= VFIO_PCI_ROM_REGION_INDEX || (yield* k.vfio_pci_core_setup_barmap(vdev, req.bar)) !== 0) return ENODEV;
  // 6.-7. memdup_array_user(dma_ranges); validate_dmabuf_input(): empty or unaligned ranges → -EINVAL
  if (req.ranges && !validate_dmabuf_input(req.ranges)) return EINVAL;
  // 8.-9. kzalloc priv; priv->vdev = vdev; priv->size; get_dmabuf_phys
  const size = req.ranges ? { size: req.ranges.reduce((n, r) => n + r.length, 0) } : {};
  const priv = ctx.make(kinds.priv, { vdev, nr_ranges: req.nr_ranges, bar: req.bar, ...size });
  yield* k.kzalloc(privMem(priv), 'vfio_pci_dma_buf');
  // vfio_pci_core_fill_phys_vec(): a range past the end of the BAR → -EINVAL (err_free_phys, err_free_priv)
  if (req.ranges && !ranges_fit_bar(ctx, vdev, req.bar, req.ranges)) {
    yield* k.kfree(privMem(priv));
    ctx.send(priv, { type: 'ABORT' });
    return EINVAL;
  }
  // 11. the registration reference is owned by the dma-buf from here on
  if (!(yield* k.vfio_device_try_get_registration(vdev))) {
    yield* k.kfree(privMem(priv)); // err_free_phys, err_free_priv
    ctx.send(priv, { type: 'ABORT' });
    return ENODEV;
  }
  // 12. dma_buf_export(): dmabuf->file with one reference, embedded resv
  yield* k.dma_buf_export(priv);
  // 13. kref_init(&priv->kref); init_completion(&priv->comp)
  yield* k.kref_init(kref(priv));
  yield* k.init_completion(comp(priv));
  // 14. publish, revoked computed under memory_lock(W) and resv
  yield* k.down_write(memory_lock(vdev));
  yield* k.dma_resv_lock(resv(priv));
  const revoked = !(yield* k.__vfio_pci_memory_enabled(vdev));
  yield* k.set_revoked(priv, revoked);
  yield* k.list_add_tail_dmabuf(vdev, priv);
  ctx.send(priv, { type: 'LINK' });
  yield* k.dma_resv_unlock(resv(priv));
  yield* k.up_write(memory_lock(vdev));
  // 15. dma_buf_fd() consumes the reference; on failure dma_buf_put() frees priv via release
  return yield* k.export_install_fd(priv, req.fd_fail);
}

/** The tail of the export ioctl: dma_buf_fd(), and the 7.1 error path (e98137f0a874: no err_dma_buf fall-through). */
export function* export_install_fd(k: K, priv: Ref<'priv'>, fd_fail: boolean) {
  const ret = yield* k.dma_buf_fd(priv, fd_fail);
  if (ret < 0) {
    yield* k.dma_buf_put(priv);
    return ret;
  }
  return ret;
}

/** .attach = vfio_pci_dma_buf_attach() (§2.3): runs without resv, before the attachment is linked. */
export function* vfio_pci_dma_buf_attach(k: K, priv: Ref<'priv'>, att: Ref<'att'>) {
  const { ctx } = k;
  if (!ctx.get(att, 'peer2peer')) return EOPNOTSUPP;
  // priv->revoked read with no lock: racy but benign, map re-checks under resv
  if (yield* k.READ_ONCE(priv, 'revoked')) return ENODEV;
  if (!(yield* k.dma_buf_attach_revocable(att))) return EOPNOTSUPP;
  return 0;
}

/** .map_dma_buf = vfio_pci_dma_buf_map() (§2.4): resv held by the caller; the sg table it returns is the attachment's `sgt`. */
export function* vfio_pci_dma_buf_map(k: K, priv: Ref<'priv'>, att: Ref<'att'>) {
  yield* k.dma_resv_assert_held(resv(priv));
  if (load(k.ctx, priv, 'revoked')) return ENODEV;
  // dma_buf_phys_vec_to_sgt(): kzalloc of the sg table; its addresses are pure computation here
  store(k.ctx, att, 'sgt', kzalloc(k.ctx, 'sg_table', { attachment: att }));
  yield* k.kref_get(kref(priv));
  return 0;
}

/** .unmap_dma_buf = vfio_pci_dma_buf_unmap() (§2.5): resv held. */
export function* vfio_pci_dma_buf_unmap(k: K, priv: Ref<'priv'>, sgt: string | null) {
  yield* k.dma_resv_assert_held(resv(priv));
  if (sgt) yield* k.kfree(sgt); // dma_buf_free_sgt(attachment, sgt, dir)
  // one kref per live sg mapping
  yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv));
  return 0;
}

/** vfio_pci_dma_buf_done(): the kref release: completes, frees nothing. */
export function* vfio_pci_dma_buf_done(k: K, priv: Ref<'priv'>) {
  yield* k.complete(comp(priv));
}

/** .release = vfio_pci_dma_buf_release() (§2.6): from __fput of the last file reference. */
export function* vfio_pci_dma_buf_release(k: K, priv: Ref<'priv'>) {
  const { ctx } = k;
  // "Either this or vfio_pci_dma_buf_cleanup() will remove from the list. The refcount prevents both."
  const vdev = load(ctx, priv, 'vdev');
  if (vdev) {
    yield* k.down_write(memory_lock(vdev));
    yield* k.list_del_init_dmabuf(vdev, priv);
    yield* k.up_write(memory_lock(vdev));
    yield* k.vfio_device_put_registration(vdev);
  }
  yield* k.kfree(privMem(priv)); // kfree(priv->phys_vec); kfree(priv): priv->kref and priv->comp with it
  return 0;
}

/** vfio_pci_dma_buf_iommufd_map() (§2.7, seed 004): the private interconnect; resv held; no kref. */
export function* vfio_pci_dma_buf_iommufd_map(k: K, priv: Ref<'priv'>) {
  yield* k.dma_resv_assert_held(resv(priv));
  // attachment->dmabuf->ops != &vfio_pci_dmabuf_ops: every buffer here is a VFIO one
  if (load(k.ctx, priv, 'revoked')) return ENODEV;
  if (load(k.ctx, priv, 'nr_ranges') !== 1) return EOPNOTSUPP;
  return 0;
}

/** vfio_pci_dma_buf_move() (§2.8): temporary revoke and un-revoke, memory_lock held for write. */
export function* vfio_pci_dma_buf_move(k: K, vdev: Ref<'vdev'>, revoked: boolean) {
  const { ctx } = k;
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    list_entry_reached(ctx, vdev, priv); // list_for_each_entry()
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue; // dying dmabuf: release() unlinks it
    if (load(ctx, priv, 'revoked') !== revoked) {
      yield* k.dma_resv_lock(resv(priv));
      if (revoked) yield* k.set_revoked(priv, true); // set BEFORE invalidate
      yield* k.dma_buf_invalidate_mappings(priv);
      yield* k.dma_resv_wait_timeout(resv(priv));
      yield* k.dma_resv_unlock(resv(priv));
      if (revoked) {
        yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv)); // drop the registered reference
        yield* k.wait_for_completion(comp(priv)); // every sg mapping unmapped
        yield* k.kref_init(kref(priv)); // re-arm: post-revoke state = post-creation state (c64a647c84f3)
        yield* k.reinit_completion(comp(priv));
      } else {
        yield* k.dma_resv_lock(resv(priv));
        yield* k.set_revoked(priv, false); // cleared only AFTER invalidate and kref re-arm
        yield* k.dma_resv_unlock(resv(priv));
      }
    }
    yield* k.fput(dmabufFile(priv));
  }
}

/** vfio_pci_dma_buf_cleanup() (§2.9): permanent detach at device close. */
export function* vfio_pci_dma_buf_cleanup(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.down_write(memory_lock(vdev));
  yield* k.vfio_pci_dma_buf_move(vdev, true); // drain via the revoke path; idempotent
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    list_entry_reached(ctx, vdev, priv); // list_for_each_entry()
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue; // dying: release() unlinks and puts the registration
    yield* k.list_del_init_dmabuf(vdev, priv);
    store(ctx, priv, 'vdev', null);
    ctx.send(priv, { type: 'ORPHAN' });
    yield* k.vfio_device_put_registration(vdev);
    yield* k.fput(dmabufFile(priv));
  }
  yield* k.up_write(memory_lock(vdev));
}

/** priv->revoked = v (writes happen under resv and memory_lock(W)); a store to freed priv is a use-after-free. */
export function* set_revoked(k: K, priv: Ref<'priv'>, v: boolean) {
  store(k.ctx, priv, 'revoked', v);
}

/** list_add_tail(&priv->dmabufs_elm, &vdev->dmabufs): memory_lock(W) held. */
export function* list_add_tail_dmabuf(k: K, vdev: Ref<'vdev'>, priv: Ref<'priv'>) {
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  k.ctx.set(vdev, 'dmabufs', [...k.ctx.get(vdev, 'dmabufs'), priv]);
}

/**
 * list_del_init(&priv->dmabufs_elm): memory_lock(W) held. A node already
 * deleted with list_del_init() points at itself, so deleting it again is a
 * no-op (and passes CONFIG_DEBUG_LIST's checks), not a corruption.
 */
export function* list_del_init_dmabuf(k: K, vdev: Ref<'vdev'>, priv: Ref<'priv'>) {
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  const list = k.ctx.get(vdev, 'dmabufs');
  if (!list.includes(priv)) return;
  k.ctx.set(
    vdev,
    'dmabufs',
    list.filter((p) => p !== priv),
  );
  if (k.ctx.state(priv) === 'dying.linked') k.ctx.send(priv, { type: 'UNLINK' });
}

/** VFIO_DEVICE_PCI_DMABUF_REVOKE: not in 7.1 (Evans' series adds it). */
export function* vfio_pci_core_ioctl_dmabuf_revoke(_k: K, _vdev: string, _fd: string) {
  return -25; // -ENOTTY: unknown ioctl
}
