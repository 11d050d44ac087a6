import { setup } from 'xstate';

/**
 * An iommufd `iopt_pages` of type IOPT_ADDRESS_DMABUF
 * (drivers/iommu/iommufd/pages.c, kernel-upstream.md §5 and §8.4):
 *
 *   attaching ──PHYS (vfio_pci_dma_buf_iommufd_map ok)──► mapped
 *   attaching ──FAIL──► released
 *   mapped ──FILL (domain populated)──► mapped
 *   mapped ──REVOKE (iopt_revoke_notify: domains unmapped, phys.len = 0)──► revoked
 *   (a revoke in attaching or revoked finds phys.len == 0 and changes nothing)
 *   mapped|revoked ──RELEASE (iopt_release_pages)──► released
 *
 * Revoked is absorbing: nothing re-queries phys when VFIO un-revokes.
 */
export const iommufdMachine = setup({
  types: {
    events: {} as { type: 'PHYS' } | { type: 'FAIL' } | { type: 'FILL' } | { type: 'REVOKE' } | { type: 'RELEASE' },
  },
}).createMachine({
  id: 'iommufd_pages',
  initial: 'attaching',
  states: {
    attaching: { on: { PHYS: 'mapped', FAIL: 'released' } },
    mapped: { on: { FILL: {}, REVOKE: 'revoked', RELEASE: 'released' } },
    revoked: { on: { FILL: {}, RELEASE: 'released' } },
    released: { type: 'final' },
  },
});
