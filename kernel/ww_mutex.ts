import type { Ctx } from '../checker/context.ts';
import type { Handle, Ref } from '../checker/kind.ts';
import { type LockInit, lockInit } from './lock.ts';
import { lockExclusive, trylockExclusive, unlockExclusive } from './mutex.ts';
import { primitives } from './primitive.ts';
import type { Gen, Where } from './types.ts';

/**
 * struct ww_mutex (kernel/locking/ww_mutex.h, Documentation/locking/ww-mutex-design.rst)
 * used without an acquire context (`ww_mutex_lock(lock, NULL)`): then it is a
 * plain mutex of its class, and taking two of the same class is lockdep
 * recursion, since no ww_acquire_ctx is there to be the nest_lock. The
 * wound/wait backoff (-EDEADLK) of a real acquire context is not modelled.
 */

/** The lockdep class of every dma_resv lock (drivers/dma-buf/dma-resv.c: reservation_ww_class). */
export const RESERVATION_WW_CLASS_MUTEX = 'reservation_ww_class_mutex';

/** Stands for `struct ww_acquire_ctx *`; only NULL is modelled. */
export type WwAcquireCtx = null;

export function ww_mutex_init(where: Where, className: string, init: LockInit = {}): Ref<'ww_mutex'> {
  return lockInit(where, 'ww_mutex', className, init);
}

function noCtx(acquire: WwAcquireCtx): void {
  if (acquire !== null) throw new Error('ww_acquire_ctx is not modelled: pass null');
}

/** ww_mutex_lock(lock, NULL): returns 0 (a NULL context never gets -EDEADLK or -EALREADY). */
export function* ww_mutex_lock(ctx: Ctx, lock: Handle<'ww_mutex'>, acquire: WwAcquireCtx = null): Gen<number> {
  noCtx(acquire);
  yield* lockExclusive(ctx, lock, 'ww_mutex_lock');
  return 0;
}

export function* ww_mutex_lock_interruptible(ctx: Ctx, lock: Handle<'ww_mutex'>, acquire: WwAcquireCtx = null): Gen<number> {
  noCtx(acquire);
  yield* lockExclusive(ctx, lock, 'ww_mutex_lock_interruptible');
  return 0;
}

export function* ww_mutex_trylock(ctx: Ctx, lock: Handle<'ww_mutex'>, acquire: WwAcquireCtx = null): Gen<boolean> {
  noCtx(acquire);
  return yield* trylockExclusive(ctx, lock, 'ww_mutex_trylock');
}

export function* ww_mutex_unlock(ctx: Ctx, lock: Handle<'ww_mutex'>): Gen<void> {
  yield* unlockExclusive(ctx, lock, 'ww_mutex_unlock');
}

primitives(ww_mutex_lock, ww_mutex_lock_interruptible, ww_mutex_trylock, ww_mutex_unlock);
