import { setup } from 'xstate';

/**
 * Lifecycle of one `struct vfio_pci_dma_buf` and its `struct dma_buf`
 * (kernel-upstream.md §8.2; drivers/vfio/pci/vfio_pci_dmabuf.c, 7.1).
 *
 *   allocated ──EXPORT──► exported ──LINK──► linked
 *   linked ──ORPHAN (cleanup)──► orphan
 *   exported, linked, orphan ──LAST_PUT (file refcount 0)──► dying.{linked,unlinked}
 *   dying.* ──RELEASE (vfio_pci_dma_buf_release)──► freed
 *   allocated ──ABORT (error path before dma_buf_export)──► freed
 *
 * Revocation is not a stage of this lifecycle but one field, priv->status
 * (priv->revoked is its view, model/dmabuf/kinds.ts): stored once, so no code
 * keeps copies in step. REVOKE, REVOKE_PERM and UNREVOKE are still accepted
 * while linked, changing nothing, so that designs written when the machine
 * kept a copy of revocation still run; LINK's `revoked` is ignored likewise.
 */
export const dmabufMachine = setup({
  types: {
    events: {} as
      | { type: 'EXPORT' }
      | { type: 'LINK' /** ignored: revocation is priv->status */; revoked?: boolean }
      | { type: 'UNLINK' }
      | { type: 'REVOKE' }
      | { type: 'REVOKE_PERM' }
      | { type: 'UNREVOKE' }
      | { type: 'ORPHAN' }
      | { type: 'LAST_PUT' }
      | { type: 'RELEASE' }
      | { type: 'ABORT' },
  },
}).createMachine({
  id: 'dmabuf',
  initial: 'allocated',
  states: {
    allocated: { on: { EXPORT: 'exported', ABORT: 'freed' } },
    exported: {
      on: {
        LINK: 'linked',
        LAST_PUT: 'dying.unlinked',
      },
    },
    linked: {
      on: { ORPHAN: 'orphan', LAST_PUT: 'dying.linked', REVOKE: {}, REVOKE_PERM: {}, UNREVOKE: {} },
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
