/**
 * kasireddy-2024-v1: Vivek Kasireddy, "[PATCH v1 2/2] vfio/pci: Allow MMIO
 * regions to be exported through dma-buf", 22 Apr 2024 (seed 000;
 * docs/seeds.md §000): multiple areas, a .mmap whose fault inserts PFNs
 * without looking at revoked, try_get_registration's result ignored.
 */
import { defineVariant } from '../design.ts';
import type { K } from '../functions.ts';
import { upstream71 } from '../upstream/index.ts';
import { cleanup_no_wait, close_disable_then_cleanup, move_notify_no_wait, unmap_uncounted } from './merged-6.19.ts';
import {
  attach_p2p_distance,
  feature_dma_buf_seed,
  flr_no_revoke,
  hot_reset_unguarded,
  map_eperm,
  pin_einval,
  pm_entry_no_revoke,
  set_power_no_revoke,
} from './seed-era.ts';

/** .mmap = vfio_pci_dma_buf_mmap(): VM_SHARED only; no revoked check. */
export function* dma_buf_mmap_unguarded(_k: K, _priv: string, _vma: string) {
  return 0;
}

/** vfio_pci_dma_buf_fault(): vmf_insert_pfn() with no lock and no look at revoked or vdev. */
export function* dma_buf_fault_unguarded(k: K, vma: string) {
  k.ctx.send(vma, { type: 'FAULT_INSERT' });
  return 'VM_FAULT_NOPAGE';
}

export default defineVariant(upstream71, {
  name: 'kasireddy-2024-v1',
  summary: 'Seed 000: multiple areas, dma-buf .mmap whose fault never checks revoked, try_get_registration result ignored',
  source: 'seed 000 (Vivek Kasireddy, v1 2/2, 2024-04-22, not merged)',
  differences: [
    'export: vfio_device_try_get_registration() inside the locks, result ignored; dma_buf_fd() failure leaks; -ERANGE for bad input',
    '.mmap + fault: vmf_insert_pfn() without lock or revoked check; nothing zaps dma-buf VMAs on revoke',
    '.attach, .map, .pin, move, cleanup, close order and unhooked revoke sites as in seed 001 (move uses get_file_rcu)',
  ],
  replace: {
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
    vfio_pci_dma_buf_mmap: dma_buf_mmap_unguarded,
    vfio_pci_dma_buf_mmap_fault: dma_buf_fault_unguarded,
  },
  bounds: { sync: 0, dmabuf_mmappers: 1 },
  focus: ['config_write_command', 'close_device_fd'],
});
