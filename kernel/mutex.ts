import type { Ctx } from '../checker/context.ts';
import { type Handle, peekField, type Ref } from '../checker/kind.ts';
import type { Mover } from '../checker/point.ts';
import type { World } from '../checker/world.ts';
import { type ExclusiveLock, lockObject } from './kinds.ts';
import { annotateAcquire, checkRelease, heldEntry, type LockInit, lockInit, lockLocs, lockName, lockType } from './lock.ts';
import { lock_acquire } from './lockdep/annotate.ts';
import { primitives } from './primitive.ts';
import { useAfterFree } from './slab.ts';
import { popHeld, pushHeld, taskId } from './task.ts';
import { type Gen, isFreed, type Where } from './types.ts';

/**
 * struct mutex (kernel/locking/mutex.c): one owner, sleeping waiters. Waiters are
 * not queued in the model: Linux gives no FIFO guarantee (optimistic spinning and
 * lock stealing), so any blocked task may get the lock when it is free, and the
 * search tries every order. Also the exclusive core shared by ww_mutex.
 */

export function mutex_init(where: Where, className: string, init: LockInit = {}): Ref<'mutex'> {
  return lockInit(where, 'mutex', className, init);
}

function owner(w: World, lock: ExclusiveLock): string | null {
  return peekField(w, lockObject(lock), 'owner');
}

/**
 * A mutex embedded in freed memory (a dma_buf's resv after kfree(dmabuf)):
 * touching it is a use after free, checked when the call is reached and when
 * its point fires (a blocked locker is let through to report it).
 */
const GONE = '__freed';
function live(ctx: Ctx, lock: ExclusiveLock, fn: string, r?: unknown): void {
  if (r === GONE || isFreed(ctx.world, lock)) useAfterFree(ctx, lock, `${fn} of ${lock}`);
}

/**
 * Lipton's movers for transaction reduction: no other task can take the mutex
 * while this one owns it (a blocked locker takes no step), so taking it moves
 * right and releasing it moves left, as long as nothing else touches it
 * (a trylock, mutex_is_locked, freeing its memory: the search checks the lock's
 * type was proven free of those).
 */
function mover(ctx: Ctx, lock: ExclusiveLock, side: Mover['side']): Mover {
  const me = ctx.thread;
  return {
    side,
    lock,
    own: [taskId(me)],
    group: lockType(ctx.world, lock),
    held: (w) => !isFreed(w, lock) && owner(w, lock) === me,
  };
}

/** The exclusive acquisition of mutex_lock_nested(): annotate (lockdep may report here), then block until free. */
export function* lockExclusive(ctx: Ctx, lock: ExclusiveLock, fn: string, subclass = 0): Gen<void> {
  const me = ctx.thread;
  const h = heldEntry(ctx, lock, 'W', false, subclass);
  const name = lockName(ctx.world, lock);
  live(ctx, lock, fn);
  annotateAcquire(ctx, h, fn);
  const r = yield {
    action: `${fn}(${name})`,
    locs: lockLocs(ctx, lock),
    enabled: (w) => isFreed(w, lock) || owner(w, lock) === null,
    fire: (w) => {
      if (isFreed(w, lock)) return GONE;
      w.set(lock, 'owner', me);
      pushHeld(w, me, h);
      return undefined;
    },
    waitsFor: (w) => `${name} is held by ${owner(w, lock)}${owner(w, lock) === me ? ' (itself)' : ''}`,
    mover: mover(ctx, lock, 'right'),
  };
  live(ctx, lock, fn, r);
}

/** mutex_trylock(): never blocks; annotated only when it succeeds, as a trylock (no dependency edge). */
export function* trylockExclusive(ctx: Ctx, lock: ExclusiveLock, fn: string): Gen<boolean> {
  const me = ctx.thread;
  const h = heldEntry(ctx, lock, 'W', true);
  live(ctx, lock, fn);
  const ok = yield {
    action: `${fn}(${lockName(ctx.world, lock)})`,
    locs: lockLocs(ctx, lock),
    fire: (w) => {
      if (isFreed(w, lock)) return GONE;
      if (owner(w, lock) !== null) return false;
      w.set(lock, 'owner', me);
      pushHeld(w, me, h);
      return true;
    },
  };
  live(ctx, lock, fn, ok);
  if (ok) lock_acquire(ctx, h, fn);
  return ok === true;
}

/** mutex_unlock(): only the owner may unlock (DEBUG_MUTEXES, lockdep's bad unlock balance). */
export function* unlockExclusive(ctx: Ctx, lock: ExclusiveLock, fn: string): Gen<void> {
  const me = ctx.thread;
  live(ctx, lock, fn);
  // Stryker disable next-line ConditionalExpression: equivalent, checkRelease first needs the task's held entry, which exists exactly while it owns the lock
  checkRelease(ctx, lock, fn, () => owner(ctx.world, lock) === me);
  const r = yield {
    action: `${fn}(${lockName(ctx.world, lock)})`,
    locs: lockLocs(ctx, lock),
    fire: (w) => {
      if (isFreed(w, lock)) return GONE;
      w.set(lock, 'owner', null);
      popHeld(w, me, lock);
      return undefined;
    },
    mover: mover(ctx, lock, 'left'),
  };
  live(ctx, lock, fn, r);
}

export function* mutex_lock(ctx: Ctx, lock: Handle<'mutex'>): Gen<void> {
  yield* lockExclusive(ctx, lock, 'mutex_lock');
}

/** mutex_lock_nested(): the subclass makes a distinct lockdep class (`&x->lock/1`). */
export function* mutex_lock_nested(ctx: Ctx, lock: Handle<'mutex'>, subclass: number): Gen<void> {
  yield* lockExclusive(ctx, lock, 'mutex_lock_nested', subclass);
}

/** mutex_lock_interruptible()/_killable(): modelled without signals, so it always returns 0. */
export function* mutex_lock_interruptible(ctx: Ctx, lock: Handle<'mutex'>): Gen<number> {
  yield* lockExclusive(ctx, lock, 'mutex_lock_interruptible');
  return 0;
}

export function* mutex_trylock(ctx: Ctx, lock: Handle<'mutex'>): Gen<boolean> {
  return yield* trylockExclusive(ctx, lock, 'mutex_trylock');
}

export function* mutex_unlock(ctx: Ctx, lock: Handle<'mutex'>): Gen<void> {
  yield* unlockExclusive(ctx, lock, 'mutex_unlock');
}

/** mutex_is_locked(): a racy read, so a scheduling point. */
export function* mutex_is_locked(ctx: Ctx, lock: Handle<'mutex'>): Gen<boolean> {
  const v = yield {
    action: `mutex_is_locked(${lockName(ctx.world, lock)})`,
    locs: [lock],
    fire: (w) => owner(w, lock) !== null,
  };
  return v === true;
}

primitives(
  lockExclusive,
  trylockExclusive,
  unlockExclusive,
  mutex_lock,
  mutex_lock_nested,
  mutex_lock_interruptible,
  mutex_trylock,
  mutex_unlock,
  mutex_is_locked,
);
