import { assign, setup } from 'xstate';

/**
 * A `vfio_pci_core_device`, projected on what dma-bufs depend on
 * (kernel-upstream.md §8.1; vfio_main.c, vfio_pci_core.c, vfio_pci_config.c):
 *
 *   registered.{closed, open} ──UNREGISTER──► unregistering ──UNREGISTERED──► unregistered
 *   closed ──OPEN──► open (first open: vconfig allocated)  ;  open ──CLOSE──► closed
 *
 * Memory decode (virtual COMMAND.MEM, D-state), runtime-PM engagement and
 * "in reset" are context, changed only while open.
 */
export const deviceMachine = setup({
  types: {
    context: {} as { mem: boolean; d3: boolean; pm: boolean; reset: boolean },
    events: {} as
      | { type: 'OPEN' }
      | { type: 'CLOSE' }
      | { type: 'SET_MEM'; on: boolean }
      | { type: 'SET_D3'; on: boolean }
      | { type: 'PM_ENGAGE'; on: boolean }
      | { type: 'RESET_BEGIN' }
      | { type: 'RESET_END' }
      | { type: 'UNREGISTER' }
      | { type: 'UNREGISTERED' },
  },
  guards: {
    notInReset: ({ context }) => !context.reset,
    inReset: ({ context }) => context.reset,
  },
  actions: {
    setMem: assign({ mem: ({ event }) => (event.type === 'SET_MEM' ? event.on : false) }),
    setD3: assign({ d3: ({ event }) => (event.type === 'SET_D3' ? event.on : false) }),
    setPm: assign({ pm: ({ event }) => (event.type === 'PM_ENGAGE' ? event.on : false) }),
    beginReset: assign({ reset: true }),
    endReset: assign({ reset: false }),
    powerOnDefaults: assign({ mem: true, d3: false, pm: false, reset: false }),
  },
}).createMachine({
  id: 'device',
  initial: 'registered',
  context: { mem: true, d3: false, pm: false, reset: false },
  states: {
    registered: {
      initial: 'closed',
      states: {
        closed: { on: { OPEN: { target: 'open', actions: 'powerOnDefaults' }, UNREGISTER: '#device.unregistering' } },
        open: {
          on: {
            CLOSE: { target: 'closed', guard: 'notInReset' },
            SET_MEM: { actions: 'setMem' },
            SET_D3: { actions: 'setD3' },
            PM_ENGAGE: { actions: 'setPm' },
            RESET_BEGIN: { target: 'open', guard: 'notInReset', actions: 'beginReset' },
            RESET_END: { guard: 'inReset', actions: 'endReset' },
          },
        },
      },
    },
    unregistering: { on: { UNREGISTERED: 'unregistered' } },
    unregistered: { type: 'final' },
  },
});
