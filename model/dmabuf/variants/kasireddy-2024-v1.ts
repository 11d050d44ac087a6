/**
 * kasireddy-2024-v1: Vivek Kasireddy, "[PATCH v1 2/2] vfio/pci: Allow MMIO
 * regions to be exported through dma-buf", 22 Apr 2024 (seed 000;
 * docs/seeds.md §000): multiple areas, a .mmap whose fault inserts PFNs
 * without looking at revoked, try_get_registration's result ignored.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { upstream71 } from '../upstream/index.ts';
import { SEED_ERA } from './seed-era.ts';

/** .mmap = vfio_pci_dma_buf_mmap(): VM_SHARED only; no revoked check. */
export function* dma_buf_mmap_unguarded(_k: K, _priv: string, _vma: string) {
  return 0;
}

/** vfio_pci_dma_buf_fault(): vmf_insert_pfn() with no lock and no look at revoked or vdev. */
export function* dma_buf_fault_unguarded(k: K, vma: Ref<'vma'>) {
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
    ...SEED_ERA,
    vfio_pci_dma_buf_mmap: dma_buf_mmap_unguarded,
    vfio_pci_dma_buf_mmap_fault: dma_buf_fault_unguarded,
  },
  bounds: { sync: 0, dmabuf_mmappers: 1 },
  focus: ['config_write_command', 'close_device_fd'],
});
