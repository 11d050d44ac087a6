import { setup } from 'xstate';

/**
 * A BAR mmap VMA of the device fd (vfio_pci_core_mmap, vfio_pci_mmap_huge_fault,
 * vfio_pci_zap_bars; kernel-upstream.md §3.1 and §8.5), or of a dma-buf fd in
 * designs that have dma-buf mmap:
 *
 *   empty ──FAULT_INSERT──► populated ──ZAP──► empty
 *   empty|populated ──ZAP──► empty ;  any ──MUNMAP──► unmapped
 */
export const vmaMachine = setup({
  types: { events: {} as { type: 'FAULT_INSERT' } | { type: 'ZAP' } | { type: 'MUNMAP' } },
}).createMachine({
  id: 'vma',
  initial: 'empty',
  states: {
    empty: { on: { FAULT_INSERT: 'populated', ZAP: {}, MUNMAP: 'unmapped' } },
    populated: { on: { FAULT_INSERT: {}, ZAP: 'empty', MUNMAP: 'unmapped' } },
    unmapped: { type: 'final' },
  },
});
