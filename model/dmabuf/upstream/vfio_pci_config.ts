/**
 * The revoke / un-revoke call sites in drivers/vfio/pci/vfio_pci_config.c
 * (pre-image of Evans' "Clean up BAR zap and revocation", 2026 vfio-next;
 * kernel-upstream.md §3). Every revoke site is paired with a conditional
 * un-revoke before up_write.
 */

import type { Ref } from '../../../checker/kind.ts';
import type { K } from '../functions.ts';
import { i_mmap_rwsem, memory_lock } from '../objects.ts';

/** __vfio_pci_memory_enabled(): "Caller should hold memory_lock semaphore"; reads the VIRTUAL command register. */
export function* __vfio_pci_memory_enabled(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  // vdev->vconfig is NULL while the device is not open: a NULL dereference here
  if (!ctx.get(vdev, 'vconfig')) ctx.fail('use-after-free', `__vfio_pci_memory_enabled: ${vdev}->vconfig is NULL (device not open)`);
  return ctx.get(vdev, 'power') === 'D0' && (ctx.get(vdev, 'no_command_memory') || ctx.get(vdev, 'cmd_mem'));
}

/** vfio_pci_zap_and_down_write_memory_lock(): lock first, then zap (the name is misleading, seed 002). */
export function* vfio_pci_zap_and_down_write_memory_lock(k: K, vdev: Ref<'vdev'>) {
  yield* k.down_write(memory_lock(vdev));
  yield* k.vfio_pci_zap_bars(vdev);
}

/** vfio_pci_zap_bars(): unmap_mapping_range() on the per-device inode mapping (takes i_mmap_rwsem). */
export function* vfio_pci_zap_bars(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.i_mmap_lock_read(i_mmap_rwsem(vdev));
  for (const vma of ctx.ids('vma')) {
    if (ctx.get(vma, 'vdev') !== vdev || ctx.get(vma, 'backing') !== 'device') continue;
    if (ctx.state(vma) === 'populated') ctx.send(vma, { type: 'ZAP' });
  }
  yield* k.i_mmap_unlock_read(i_mmap_rwsem(vdev));
}

/** vfio_basic_config_write(), PCI_COMMAND: clearing MEM revokes first; setting it un-revokes after. */
export function* vfio_basic_config_write_command(k: K, vdev: Ref<'vdev'>, mem: boolean) {
  const { ctx } = k;
  if (!mem) {
    yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
    yield* k.vfio_pci_dma_buf_move(vdev, true);
  } else {
    yield* k.down_write(memory_lock(vdev));
  }
  // vfio_default_config_write(); update vconfig MEM
  ctx.set(vdev, 'cmd_mem', mem);
  ctx.send(vdev, { type: 'SET_MEM', on: mem });
  if (yield* k.__vfio_pci_memory_enabled(vdev)) yield* k.vfio_pci_dma_buf_move(vdev, false);
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** vfio_lock_and_set_power_state(): PM_CTRL writes; D3hot revokes, D0 may un-revoke. */
export function* vfio_lock_and_set_power_state(k: K, vdev: Ref<'vdev'>, d3: boolean) {
  if (d3) {
    yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
    yield* k.vfio_pci_dma_buf_move(vdev, true);
  } else {
    yield* k.down_write(memory_lock(vdev));
  }
  yield* k.vfio_pci_set_power_state(vdev, d3 ? 'D3hot' : 'D0');
  if (yield* k.__vfio_pci_memory_enabled(vdev)) yield* k.vfio_pci_dma_buf_move(vdev, false);
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** vfio_pci_set_power_state(): memory_lock(W) held by every caller that matters here. */
export function* vfio_pci_set_power_state(k: K, vdev: Ref<'vdev'>, state: 'D0' | 'D3hot') {
  k.ctx.set(vdev, 'power', state);
  k.ctx.send(vdev, { type: 'SET_D3', on: state === 'D3hot' });
}

/** vfio_exp_config_write() (DEVCTL BCR_FLR) and vfio_af_config_write() (AF FLR): both revoke around pci_try_reset_function(). */
export function* vfio_exp_config_write_flr(k: K, vdev: Ref<'vdev'>) {
  yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
  yield* k.vfio_pci_dma_buf_move(vdev, true);
  yield* k.pci_try_reset_function(vdev);
  if (yield* k.__vfio_pci_memory_enabled(vdev)) yield* k.vfio_pci_dma_buf_move(vdev, false);
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** pci_try_reset_function(): the function is in reset, MMIO unreachable, until it returns. */
export function* pci_try_reset_function(k: K, vdev: Ref<'vdev'>) {
  k.ctx.send(vdev, { type: 'RESET_BEGIN' });
  k.ctx.set(vdev, 'in_reset', true);
  yield* k.reset_in_progress(vdev);
  k.ctx.set(vdev, 'in_reset', false);
  k.ctx.send(vdev, { type: 'RESET_END' });
}
