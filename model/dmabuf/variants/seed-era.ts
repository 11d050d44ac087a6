/**
 * Functions of the 2022/2024 posted series (seeds 001 and 000, docs/seeds.md
 * §000.2–000.4, §001.2–001.4) that differ from 7.1 in the same way in both.
 * Revoke itself is the 6.19 one (merged-6.19.ts: move_notify, no waits).
 */

import type { Ref } from '../../../checker/kind.ts';
import { EINVAL, ENODEV, EPERM } from '../../errno.ts';
import type { DmaBufRequest } from '../arguments.ts';
import type { FunctionTable, K } from '../functions.ts';
import { lifecycles } from '../machines/index.ts';
import { comp, kref, memory_lock, privKind, privMem, resv } from '../objects.ts';
import { cleanup_no_wait, close_disable_then_cleanup, move_notify_no_wait, unmap_uncounted } from './merged-6.19.ts';

/**
 * .attach: pci_p2pdma_distance_many() against priv->vdev->pdev; on failure it
 * clears attachment->peer2peer and returns 0 (the importer falls back). No
 * revoked check, and priv->vdev is dereferenced even after cleanup NULLed it.
 */
export function* attach_p2p_distance(k: K, priv: Ref<'priv'>, att: Ref<'att'>) {
  const { ctx } = k;
  const vdev = yield* k.READ_ONCE(priv, 'vdev');
  if (vdev === null)
    ctx.fail(
      'use-after-free',
      `vfio_pci_dma_buf_attach: NULL pointer dereference of priv->vdev (${priv} was orphaned by vfio_pci_dma_buf_cleanup)`,
    );
  if (!ctx.get(att, 'peer2peer')) return 0; // distance < 0: attachment->peer2peer = false, still 0
  return 0;
}

/** .map_dma_buf: !peer2peer → -EPERM; revoked → -ENODEV; no kref per mapping. */
export function* map_eperm(k: K, priv: Ref<'priv'>, att: Ref<'att'>) {
  yield* k.dma_resv_assert_held(resv(priv));
  if (!k.ctx.get(att, 'peer2peer')) return EPERM;
  if (k.ctx.get(priv, 'revoked')) return ENODEV;
  return 0;
}

/** .pin: -EINVAL, "must always allow for dma_buf_move_notify() to do revoke". */
export function* pin_einval(_k: K, _att: string) {
  return EINVAL;
}

/** vfio_lock_and_set_power_state(): the pre-dma-buf PM_CTRL path, which zaps BARs but never revokes dma-bufs. */
export function* set_power_no_revoke(k: K, vdev: Ref<'vdev'>, d3: boolean) {
  if (d3) yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
  else yield* k.down_write(memory_lock(vdev));
  yield* k.vfio_pci_set_power_state(vdev, d3 ? 'D3hot' : 'D0');
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** FLR through config space: zap and reset, no dma-buf revoke. */
export function* flr_no_revoke(k: K, vdev: Ref<'vdev'>) {
  yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
  yield* k.pci_try_reset_function(vdev);
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** LOW_POWER_ENTRY: zap only. */
export function* pm_entry_no_revoke(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
  if (ctx.get(vdev, 'pm_runtime_engaged')) {
    yield* k.up_write(memory_lock(vdev));
    return EINVAL;
  }
  ctx.set(vdev, 'pm_runtime_engaged', true);
  ctx.send(vdev, { type: 'PM_ENGAGE', on: true });
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** Hot reset undo without the open_count guard (added in v9 review): vconfig of an unopened member is NULL. */
export function* hot_reset_unguarded(k: K, vdev: Ref<'vdev'>) {
  return yield* k.__vfio_pci_memory_enabled(vdev);
}

/**
 * The seeds' export: the device reference is taken inside memory_lock and resv,
 * after dma_buf_export (2022: vfio_device_get(); 2024: try_get_registration
 * with its result ignored); no BAR check; a dma_buf_fd() failure leaks.
 */
export function* feature_dma_buf_seed(k: K, vdev: Ref<'vdev'>, req: DmaBufRequest) {
  const { ctx } = k;
  if (!req.nr_ranges || req.flags) return -34; // -ERANGE for bad input in the seeds
  const priv = ctx.create(
    privKind,
    { vdev, revoked: false, nr_ranges: req.nr_ranges, bar: req.bar, attachments: [], status: 'OK' },
    lifecycles.dmabuf,
  ) as Ref<'priv'>;
  yield* k.kzalloc(privMem(priv), 'vfio_pci_dma_buf');
  yield* k.dma_buf_export(priv);
  yield* k.kref_init(kref(priv));
  yield* k.init_completion(comp(priv));
  yield* k.down_write(memory_lock(vdev));
  yield* k.dma_resv_lock(resv(priv));
  const revoked = !(yield* k.__vfio_pci_memory_enabled(vdev));
  yield* k.set_revoked(priv, revoked);
  yield* k.list_add_tail_dmabuf(vdev, priv);
  ctx.send(priv, { type: 'LINK' });
  yield* k.vfio_device_try_get_registration(vdev); // result ignored
  yield* k.dma_resv_unlock(resv(priv));
  yield* k.up_write(memory_lock(vdev));
  const ret = yield* k.dma_buf_fd(priv, req.fd_fail);
  return ret; // on failure: nothing puts the buffer (leak)
}

/** What seeds 000 and 001 both replace in the 7.1 table (docs/seeds.md §000.3, §001.3). */
export const SEED_ERA: Partial<FunctionTable> = {
  vfio_pci_core_feature_dma_buf: feature_dma_buf_seed,
  vfio_pci_dma_buf_attach: attach_p2p_distance,
  vfio_pci_dma_buf_map: map_eperm,
  vfio_pci_dma_buf_unmap: unmap_uncounted,
  vfio_pci_dma_buf_pin: pin_einval,
  vfio_pci_dma_buf_move: move_notify_no_wait,
  vfio_pci_dma_buf_cleanup: cleanup_no_wait,
  vfio_pci_core_close_device: close_disable_then_cleanup,
  vfio_lock_and_set_power_state: set_power_no_revoke,
  vfio_exp_config_write_flr: flr_no_revoke,
  vfio_pci_runtime_pm_entry: pm_entry_no_revoke,
  hot_reset_may_unrevoke: hot_reset_unguarded,
};
