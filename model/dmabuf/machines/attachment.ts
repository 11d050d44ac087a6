import { assign, setup } from 'xstate';

/**
 * One importer's `struct dma_buf_attachment` (drivers/dma-buf/dma-buf.c,
 * kernel-upstream.md §8.3):
 *
 *   attaching ──LINKED (added to dmabuf->attachments under resv)──► attached
 *   attaching ──REJECTED (ops->attach failed)──► detached
 *   attached ──PIN──► pinned ──UNPIN──► attached
 *   attached|pinned ──MAP──► mapped (an sg table or iommufd phys is live)
 *   mapped ──INVALIDATE──► mapped.invalidated (importer must stop and unmap)
 *   mapped.* ──UNMAP──► attached|pinned (per context.pinned)
 *   attached ──DETACH──► detached
 *
 * INVALIDATE outside `mapped` is accepted and changes nothing: the exporter
 * calls every importer's callback whether it maps or not.
 */
export const attachmentMachine = setup({
  types: {
    context: {} as { pinned: boolean },
    events: {} as
      | { type: 'LINKED' }
      | { type: 'REJECTED' }
      | { type: 'PIN' }
      | { type: 'UNPIN' }
      | { type: 'MAP' }
      | { type: 'INVALIDATE' }
      | { type: 'UNMAP' }
      | { type: 'DETACH' },
  },
  guards: { pinned: ({ context }) => context.pinned },
  actions: {
    pin: assign({ pinned: true }),
    unpin: assign({ pinned: false }),
  },
}).createMachine({
  id: 'attachment',
  initial: 'attaching',
  context: { pinned: false },
  states: {
    attaching: { on: { LINKED: 'attached', REJECTED: 'detached' } },
    attached: {
      on: {
        PIN: { target: 'pinned', actions: 'pin' },
        MAP: 'mapped',
        INVALIDATE: {},
        DETACH: 'detached',
      },
    },
    pinned: { on: { UNPIN: { target: 'attached', actions: 'unpin' }, MAP: 'mapped', INVALIDATE: {} } },
    mapped: {
      initial: 'valid',
      states: {
        valid: { on: { INVALIDATE: 'invalidated' } },
        invalidated: { on: { INVALIDATE: {} } },
      },
      on: { UNMAP: [{ guard: 'pinned', target: 'pinned' }, { target: 'attached' }] },
    },
    detached: { type: 'final' },
  },
});
