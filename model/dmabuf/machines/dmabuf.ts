import { setup } from 'xstate';

/**
 * Lifecycle of one `struct vfio_pci_dma_buf` and its `struct dma_buf`
 * (kernel-upstream.md §8.2; drivers/vfio/pci/vfio_pci_dmabuf.c, 7.1).
 *
 *   allocated ──EXPORT──► exported ──LINK──► linked.{active,revoked,perm_revoked}
 *   linked.* ──ORPHAN (cleanup)──► orphan
 *   exported, linked.*, orphan ──LAST_PUT (file refcount 0)──► dying.{linked,unlinked}
 *   dying.* ──RELEASE (vfio_pci_dma_buf_release)──► freed
 *   allocated ──ABORT (error path before dma_buf_export)──► freed
 *
 * Revocation is a sub-state of "linked" so that REVOKE/UNREVOKE on an orphan,
 * a dying or a freed buffer is an illegal transition. `perm_revoked` exists
 * only in designs with a permanent revoke (Evans RFC v2): the machine lets it
 * be left (UNREVOKE) so that the revoke-sticky property, not this machine, is
 * what judges whether a design may do that.
 */
export const dmabufMachine = setup({
  types: {
    events: {} as
      | { type: 'EXPORT' }
      | { type: 'LINK'; revoked: boolean }
      | { type: 'UNLINK' }
      | { type: 'REVOKE' }
      | { type: 'REVOKE_PERM' }
      | { type: 'UNREVOKE' }
      | { type: 'ORPHAN' }
      | { type: 'LAST_PUT' }
      | { type: 'RELEASE' }
      | { type: 'ABORT' },
  },
  guards: {
    revokedAtLink: ({ event }) => event.type === 'LINK' && event.revoked,
  },
}).createMachine({
  id: 'dmabuf',
  initial: 'allocated',
  states: {
    allocated: { on: { EXPORT: 'exported', ABORT: 'freed' } },
    exported: {
      on: {
        LINK: [{ guard: 'revokedAtLink', target: 'linked.revoked' }, { target: 'linked.active' }],
        LAST_PUT: 'dying.unlinked',
      },
    },
    linked: {
      initial: 'active',
      states: {
        active: { on: { REVOKE: 'revoked', REVOKE_PERM: 'perm_revoked' } },
        revoked: { on: { UNREVOKE: 'active', REVOKE_PERM: 'perm_revoked' } },
        perm_revoked: { on: { UNREVOKE: 'active' } },
      },
      on: { ORPHAN: 'orphan', LAST_PUT: 'dying.linked' },
    },
    orphan: { on: { LAST_PUT: 'dying.unlinked' } },
    dying: {
      initial: 'linked',
      states: {
        linked: { on: { UNLINK: 'unlinked' } },
        unlinked: {},
      },
      on: { RELEASE: 'freed' },
    },
    freed: { type: 'final' },
  },
});
