/**
 * Lifecycles of the SVA model (seed 003, docs/sva.md): the VFIO bond
 * (`struct vfio_mm`), the process address space (`struct mm_struct`), a VFIO
 * group's attachment and SVA state, and one PASID binding of a device in the
 * SVA core (`struct iommu_bond`, which decides whether the device's
 * PASID-tagged DMA is translated). An operation changes lifecycle state only
 * through `ctx.send`; an event a machine does not accept is an
 * `illegal-transition`.
 */
import { setup } from 'xstate';
import { compileLifecycle } from '../../checker/lifecycle/index.ts';

/**
 * `struct vfio_mm` (vfio_iommu_type1.c, seed 003):
 *
 *   allocated ──LIST_ADD──► listed ──LIST_DEL──► unlisted ──UNBIND──► unbound ──FREE──► freed
 *   allocated ──UNBIND (bind error path)──► unbound
 *   listed ──UNBIND (unbind ioctl, before list_del)──► listed_unbound ──LIST_DEL──► unbound
 *   listed ──FREE (vfio_iommu_free_all_mm: the list is re-initialised, no list_del)──► freed
 *   unlisted ──FREE (vfio_iommu_mm_exit: the SVA core detaches the bonds itself)──► freed
 *
 * BIND_GROUP / UNBIND_GROUP (one group bound or unbound: bind and replay, and
 * the replay rollback) are accepted while allocated or listed. `freed` is final,
 * so any event on a freed bond is illegal (a double free is caught by kfree first).
 */
export const vfioMmMachine = setup({
  types: {
    events: {} as
      | { type: 'BIND_GROUP' }
      | { type: 'UNBIND_GROUP' }
      | { type: 'UNBIND' }
      | { type: 'LIST_ADD' }
      | { type: 'LIST_DEL' }
      | { type: 'FREE' },
  },
}).createMachine({
  id: 'vfio_mm',
  initial: 'allocated',
  states: {
    allocated: { on: { BIND_GROUP: {}, UNBIND: 'unbound', LIST_ADD: 'listed' } },
    listed: { on: { BIND_GROUP: {}, UNBIND_GROUP: {}, UNBIND: 'listed_unbound', LIST_DEL: 'unlisted', FREE: 'freed' } },
    listed_unbound: { on: { LIST_DEL: 'unbound', FREE: 'freed' } },
    unlisted: { on: { UNBIND: 'unbound', FREE: 'freed' } },
    unbound: { on: { FREE: 'freed' } },
    freed: { type: 'final' },
  },
});

/**
 * `struct mm_struct` (kernel/fork.c, mm/mmap.c): its users count lives in the
 * world (`mm_users`, `mm_count`); the machine says what the address space is.
 *
 *   live ──LAST_USER (mm_users hit 0)──► exiting.pending ──EXIT_MMAP (__mmput runs)──► exiting.notifiers
 *   exiting.notifiers ──TEARDOWN (exit_mmap unmapped and freed the page tables)──► exited
 *   exited ──FREE (the last mmdrop: __mmdrop)──► freed
 *
 * `exiting.pending` is the mmput_async window: the last user is gone and
 * __mmput is queued on a workqueue. mmu_notifier_release runs in
 * `exiting.notifiers`, before the page tables go, so DMA translated then still
 * reaches the process's memory; from `exited` on there is no address space.
 */
export const mmMachine = setup({
  types: { events: {} as { type: 'LAST_USER' } | { type: 'EXIT_MMAP' } | { type: 'TEARDOWN' } | { type: 'FREE' } },
}).createMachine({
  id: 'mm',
  initial: 'live',
  states: {
    live: { on: { LAST_USER: 'exiting' } },
    exiting: {
      initial: 'pending',
      states: {
        pending: { on: { EXIT_MMAP: 'notifiers' } },
        notifiers: { on: { TEARDOWN: '#mm.exited' } },
      },
    },
    exited: { on: { FREE: 'freed' } },
    freed: { type: 'final' },
  },
});

/**
 * A VFIO group in the type1 container, with its SVA state (`group->sva_enabled`):
 *
 *   detached ──ATTACH (iommu_attach_group)──► attached.sva_off ──SVA_INIT──► attached.sva_on
 *   attached.sva_on ──SVA_SHUTDOWN (vfio_iommu_sva_shutdown on every device)──► attached.sva_off
 *   attached.sva_off ──DETACH (iommu_detach_group)──► detached
 *   attached.sva_on ──DETACH──► shutting_down ──SVA_SHUTDOWN──► detached
 *
 * `shutting_down` is the seed's order in vfio_iommu_type1_detach_group():
 * iommu_detach_group() first, then iommu_sva_device_shutdown().
 */
export const groupMachine = setup({
  types: { events: {} as { type: 'ATTACH' } | { type: 'DETACH' } | { type: 'SVA_INIT' } | { type: 'SVA_SHUTDOWN' } },
}).createMachine({
  id: 'vfio_group',
  initial: 'detached',
  states: {
    detached: { on: { ATTACH: 'attached' } },
    attached: {
      initial: 'sva_off',
      states: {
        sva_off: { on: { SVA_INIT: 'sva_on', DETACH: '#vfio_group.detached' } },
        sva_on: { on: { SVA_SHUTDOWN: 'sva_off', DETACH: '#vfio_group.shutting_down' } },
      },
    },
    shutting_down: { on: { SVA_SHUTDOWN: 'detached' } },
  },
});

/**
 * One PASID binding of a device in the SVA core (`struct iommu_bond`,
 * drivers/iommu/iommu-sva.c of the v2 series, patch 05/40): while it is not
 * detached, the device's PASID table entry for the io_mm's PASID is installed.
 *
 *   bound ──EXIT_BEGIN (mm_exit_active = true: the driver's mm_exit runs)──► exiting
 *   exiting ──EXIT_END (mm_exit returned: the device must not use the PASID any more)──► exited
 *   bound ──ABORT (later upstream rule: the mm exited, the entry now aborts DMA)──► aborted
 *   bound|exited|aborted ──DETACH (io_mm_detach_locked: entry cleared, bond freed)──► detached
 *
 * DETACH is refused while `exiting`: unbind waits for mm_exit to finish.
 */
export const pasidBindingMachine = setup({
  types: { events: {} as { type: 'EXIT_BEGIN' } | { type: 'EXIT_END' } | { type: 'ABORT' } | { type: 'DETACH' } },
}).createMachine({
  id: 'pasid_binding',
  initial: 'bound',
  states: {
    bound: { on: { EXIT_BEGIN: 'exiting', ABORT: 'aborted', DETACH: 'detached' } },
    exiting: { on: { EXIT_END: 'exited' } },
    exited: { on: { DETACH: 'detached' } },
    aborted: { on: { DETACH: 'detached' } },
    detached: { type: 'final' },
  },
});

export type VfioMmEvent =
  | { type: 'BIND_GROUP' }
  | { type: 'UNBIND_GROUP' }
  | { type: 'UNBIND' }
  | { type: 'LIST_ADD' }
  | { type: 'LIST_DEL' }
  | { type: 'FREE' };
export type MmEvent = { type: 'LAST_USER' } | { type: 'EXIT_MMAP' } | { type: 'TEARDOWN' } | { type: 'FREE' };
export type GroupEvent = { type: 'ATTACH' } | { type: 'DETACH' } | { type: 'SVA_INIT' } | { type: 'SVA_SHUTDOWN' };
export type PasidBindingEvent = { type: 'EXIT_BEGIN' } | { type: 'EXIT_END' } | { type: 'ABORT' } | { type: 'DETACH' };

/** The XState definitions: the single source of truth for each object's lifecycle. */
export const svaMachines = {
  vfio_mm: vfioMmMachine,
  mm: mmMachine,
  group: groupMachine,
  pasid_binding: pasidBindingMachine,
} as const;

/** Their compiled (memoized) forms, shared by every execution. */
export const svaLifecycles = {
  vfio_mm: compileLifecycle<VfioMmEvent>(vfioMmMachine),
  mm: compileLifecycle<MmEvent>(mmMachine),
  group: compileLifecycle<GroupEvent>(groupMachine),
  pasid_binding: compileLifecycle<PasidBindingEvent>(pasidBindingMachine),
} as const;
