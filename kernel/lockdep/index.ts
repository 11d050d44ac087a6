/** Lockdep: the annotations the primitives make, and the monitors that check them. */
export { lock_acquire, lock_release, lockdep_signal, lockdep_wait } from './annotate.ts';
export { lockdep_assert_held, lockdep_assert_held_read, lockdep_assert_held_write, lockdep_assert_not_held } from './assert.ts';
export { cycleKind, describeCycle, type WitnessLike } from './cycle.ts';
export { analyze, type Dep, type DepMode, type DepType, depType, type LockNode } from './deps.ts';
export type {
  AcquireEvent,
  AllocEvent,
  DowngradeEvent,
  FputEvent,
  FreeEvent,
  KernelEvent,
  RefcountEvent,
  ReleaseEvent,
  SignalEvent,
  WaitEvent,
} from './events.ts';
export { DepGraph, type Hop } from './graph.ts';
export { type LockCycle, type LockEdge, LockGraph, type OrderViolation, shorter, type Witness } from './lockgraph.ts';
export {
  lock_map_acquire,
  lock_map_acquire_kind,
  lock_map_acquire_read,
  lock_map_acquire_tryread,
  lock_map_release,
  lockdep_begin_signalling,
  lockdep_end_signalling,
  mapId,
  might_lock,
  might_lock_nested,
  might_lock_read,
} from './map.ts';
export { type LocalWitness, LockdepMonitor } from './monitor.ts';
export { circularBugReport, heldLocksText, recursiveBugReport } from './report.ts';
