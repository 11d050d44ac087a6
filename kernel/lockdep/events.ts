import type { LockKind, LockType } from '../task.ts';

/**
 * Events the kernel primitives send to monitors (checker/monitor.ts). Lockdep is
 * one such monitor; nothing in the primitives depends on it being there.
 * All are plain data (ModelEvent).
 */

/**
 * lock_acquire(): a task is about to take a lock (blocking kinds: before it blocks,
 * as mutex_acquire() precedes __mutex_lock()), or has just taken it (trylock:
 * only a successful trylock is annotated, kernel/locking/mutex.c mutex_trylock).
 * `might` marks might_lock(): lockdep checks without taking anything.
 */
export type AcquireEvent = {
  readonly type: 'acquire';
  readonly lock: string;
  readonly class: string;
  readonly lockType: LockType;
  readonly kind: LockKind;
  readonly trylock: boolean;
  readonly might: boolean;
  /** the caller that takes the lock (acquire_ip) */
  readonly at: string;
  /** the kernel function, e.g. down_write */
  readonly fn: string;
};

/** lock_release(): emitted before the lock is given up. */
export type ReleaseEvent = {
  readonly type: 'release';
  readonly lock: string;
  readonly class: string;
  readonly at: string;
  readonly fn: string;
};

/** lock_downgrade(): a write hold becomes a read hold (downgrade_write). */
export type DowngradeEvent = { readonly type: 'downgrade'; readonly lock: string; readonly class: string; readonly at: string };

/**
 * A task is about to wait for a completion, a fence or a condition (emitted before
 * it blocks). `class` is the wait's pseudo-lock class, as __dma_fence_might_wait()
 * takes dma_fence_lockdep_map (drivers/dma-buf/dma-fence.c); absent for an
 * unannotated wait_event.
 */
export type WaitEvent = {
  readonly type: 'wait';
  readonly object: string;
  readonly class: string | null;
  readonly at: string;
  readonly fn: string;
};

/** A task signals what others wait for: complete(), complete_all(), dma_fence_signal(). */
export type SignalEvent = {
  readonly type: 'signal';
  readonly object: string;
  readonly class: string;
  readonly at: string;
  readonly fn: string;
};

/** A refcount operation (refcount_t, kref, file references): its old and new values. */
export type RefcountEvent = {
  readonly type: 'refcount';
  readonly obj: string;
  readonly field: string;
  readonly op: string;
  readonly from: number;
  readonly to: number;
  readonly fn: string;
};

/** Memory: kzalloc()/kfree(). */
export type AllocEvent = { readonly type: 'alloc'; readonly obj: string; readonly kind: string };
export type FreeEvent = { readonly type: 'free'; readonly obj: string; readonly fn: string };

/** fput() dropped the last reference: __fput() runs now (sync) or as task work. */
export type FputEvent = { readonly type: 'fput'; readonly file: string; readonly deferred: boolean };

export type KernelEvent =
  | AcquireEvent
  | ReleaseEvent
  | DowngradeEvent
  | WaitEvent
  | SignalEvent
  | RefcountEvent
  | AllocEvent
  | FreeEvent
  | FputEvent;
