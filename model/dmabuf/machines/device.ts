import { assign, setup } from 'xstate';

/**
 * A `vfio_pci_core_device`, projected on what dma-bufs depend on
 * (kernel-upstream.md §8.1; vfio_main.c, vfio_pci_core.c, vfio_pci_config.c):
 *
 *   closed ──OPEN──► open (first open: vconfig allocated)  ;  open ──CLOSE──► closed
 *   registered.{closed, open} ──UNREGISTER──► the same, unregistering (no new open)
 *   registered.closed, unregistering ──UNREGISTERED──► unregistered
 *
 * Unregistering is context, not a state: vfio_unregister_group_dev() may start
 * while the device is open, and the device stays usable until its last file
 * and linked dma-buf drop their registrations (kernel-upstream.md §6).
 *
 * Memory decode (virtual COMMAND.MEM, D-state), runtime-PM engagement and
 * "in reset" are context, changed only while open.
 */
export const deviceMachine = setup({
  types: {
    context: {} as { mem: boolean; d3: boolean; pm: boolean; reset: boolean; unregistering: boolean },
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
    registering: ({ context }) => !context.unregistering,
    unregistering: ({ context }) => context.unregistering,
  },
  actions: {
    setMem: assign({ mem: ({ event }) => (event.type === 'SET_MEM' ? event.on : false) }),
    setD3: assign({ d3: ({ event }) => (event.type === 'SET_D3' ? event.on : false) }),
    setPm: assign({ pm: ({ event }) => (event.type === 'PM_ENGAGE' ? event.on : false) }),
    beginReset: assign({ reset: true }),
    endReset: assign({ reset: false }),
    powerOnDefaults: assign({ mem: true, d3: false, pm: false, reset: false }),
    unregister: assign({ unregistering: true }),
  },
}).createMachine({
  id: 'device',
  initial: 'registered',
  context: { mem: true, d3: false, pm: false, reset: false, unregistering: false },
  states: {
    registered: {
      initial: 'closed',
      on: { UNREGISTER: { guard: 'registering', actions: 'unregister' } },
      states: {
        closed: {
          on: {
            OPEN: { target: 'open', guard: 'registering', actions: 'powerOnDefaults' },
            UNREGISTERED: { target: '#device.unregistered', guard: 'unregistering' },
          },
        },
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
    unregistered: { type: 'final' },
  },
});
