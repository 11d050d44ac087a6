import type { Ctx } from '../../checker/context.ts';
import { callerOf } from '../primitive.ts';
import type { HeldLock } from '../task.ts';
import type { AcquireEvent, ReleaseEvent, SignalEvent, WaitEvent } from './events.ts';

/**
 * The annotation calls the primitives make, named as in include/linux/lockdep.h.
 * They only emit events: lockdep itself is a monitor (lockdep/monitor.ts).
 */

export function lock_acquire(ctx: Ctx, h: HeldLock, fn: string, might = false): void {
  const ev: AcquireEvent = {
    type: 'acquire',
    lock: h.lock,
    class: h.class,
    lockType: h.type,
    kind: h.kind,
    trylock: h.trylock,
    might,
    at: h.at,
    fn,
  };
  ctx.emit(ev);
}

export function lock_release(ctx: Ctx, h: HeldLock, fn: string): void {
  const ev: ReleaseEvent = { type: 'release', lock: h.lock, class: h.class, at: callerOf(ctx.stack), fn };
  ctx.emit(ev);
}

/** Before a task blocks on `object`; `cls` is the wait's pseudo-lock class. */
export function lockdep_wait(ctx: Ctx, object: string, cls: string | null, fn: string): void {
  const ev: WaitEvent = { type: 'wait', object, class: cls, at: callerOf(ctx.stack), fn };
  ctx.emit(ev);
}

/** Before a task signals `object` (complete, dma_fence_signal). */
export function lockdep_signal(ctx: Ctx, object: string, cls: string, fn: string): void {
  const ev: SignalEvent = { type: 'signal', object, class: cls, at: callerOf(ctx.stack), fn };
  ctx.emit(ev);
}
