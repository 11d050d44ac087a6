import type { Ctx } from '../checker/context.ts';
import { type Handle, peekField, type Ref, refTo } from '../checker/kind.ts';
import type { World } from '../checker/world.ts';
import type { RwsemWaiter } from './kinds.ts';
import { annotateAcquire, checkRelease, heldEntry, type LockInit, lockInit, lockLocs, lockName } from './lock.ts';
import { lock_acquire } from './lockdep/annotate.ts';
import type { DowngradeEvent } from './lockdep/events.ts';
import { callerOf, primitives } from './primitive.ts';
import { patchHeld, popHeld, pushHeld } from './task.ts';
import type { Gen, Where } from './types.ts';

/**
 * struct rw_semaphore (kernel/locking/rwsem.c). World fields: `owner` (the
 * writer or null), `readers` (one entry per read hold), `waiters` (the wait
 * queue, FIFO: `{t: thread, k: 'W' | 'r'}`).
 *
 * The rule that matters: once a waiter is queued, new readers do not get the
 * lock but queue behind it (the fast path fails on RWSEM_FLAG_WAITERS: rwsem.c
 * rwsem_read_trylock / RWSEM_READ_FAILED_MASK, and the slow path does not steal
 * from a reader-owned lock: rwsem_down_read_slowpath). So read, queued write,
 * read again by the first reader deadlocks. A down_read or down_write that
 * cannot take the lock at once first enqueues (a step others see), then sleeps
 * until it is granted: a queued writer when it is first and the lock is free; a
 * queued reader when no writer owns it and no writer is queued ahead of it.
 * Optimistic spinning and handoff are not modelled. Trylocks never queue, and
 * fail while anyone is queued, as __down_read_trylock/__down_write_trylock.
 */

type Waiter = RwsemWaiter;

export function init_rwsem(where: Where, className: string, init: LockInit = {}): Ref<'rwsem'> {
  return lockInit(where, 'rwsem', className, init);
}

function owner(w: World, sem: Handle<'rwsem'>): string | null {
  return peekField(w, refTo('rwsem', sem), 'owner');
}
function readers(w: World, sem: Handle<'rwsem'>): readonly string[] {
  return peekField(w, refTo('rwsem', sem), 'readers');
}
function waiters(w: World, sem: Handle<'rwsem'>): readonly Waiter[] {
  return peekField(w, refTo('rwsem', sem), 'waiters');
}

function removeWaiter(w: World, sem: Handle<'rwsem'>, me: string): void {
  const q = waiters(w, sem);
  const i = q.findIndex((x) => x.t === me);
  w.set(sem, 'waiters', [...q.slice(0, i), ...q.slice(i + 1)]);
}

function readerGranted(w: World, sem: Handle<'rwsem'>, me: string): boolean {
  if (owner(w, sem) !== null) return false;
  for (const x of waiters(w, sem)) {
    if (x.t === me) return true;
    if (x.k === 'W') return false;
  }
  return false;
}

function writerGranted(w: World, sem: Handle<'rwsem'>, me: string): boolean {
  // Stryker disable next-line OptionalChaining: equivalent, only a queued writer asks, so the queue is never empty here
  return owner(w, sem) === null && readers(w, sem).length === 0 && waiters(w, sem)[0]?.t === me;
}

function describe(w: World, sem: Handle<'rwsem'>): string {
  const o = owner(w, sem);
  const r = readers(w, sem);
  const q = waiters(w, sem);
  const parts = [o ? `writer ${o}` : r.length ? `readers ${r.join(',')}` : 'free'];
  if (q.length) parts.push(`queue ${q.map((x) => `${x.t}(${x.k})`).join(',')}`);
  return `${lockName(w, sem)}: ${parts.join(', ')}`;
}

/** How a reader or a writer takes the semaphore: its fast path, when a queued one is granted, and the taking. */
interface Side {
  readonly kind: 'r' | 'W';
  /** the lock can be taken at once: no writer (and for a writer no reader) holds it, and nobody is queued */
  free(w: World, sem: Handle<'rwsem'>): boolean;
  granted(w: World, sem: Handle<'rwsem'>, me: string): boolean;
  take(w: World, sem: Handle<'rwsem'>, me: string): void;
}

const READER: Side = {
  kind: 'r',
  free: (w, sem) => owner(w, sem) === null && waiters(w, sem).length === 0,
  granted: readerGranted,
  take: (w, sem, me) => w.set(sem, 'readers', [...readers(w, sem), me]),
};

const WRITER: Side = {
  kind: 'W',
  free: (w, sem) => owner(w, sem) === null && readers(w, sem).length === 0 && waiters(w, sem).length === 0,
  granted: writerGranted,
  take: (w, sem, me) => w.set(sem, 'owner', me),
};

/** down_read()/down_write(): the fast path, or enqueue (a step others see) and sleep until granted. */
function* lockSleeping(ctx: Ctx, sem: Handle<'rwsem'>, fn: string, subclass: number, side: Side): Gen<void> {
  const me = ctx.thread;
  const name = lockName(ctx.world, sem);
  const h = heldEntry(ctx, sem, side.kind, false, subclass);
  annotateAcquire(ctx, h, fn);
  const locs = lockLocs(ctx, sem);
  const got = yield {
    action: `${fn}(${name})`,
    locs,
    fire: (w) => {
      if (side.free(w, sem)) {
        side.take(w, sem, me);
        pushHeld(w, me, h);
        return true;
      }
      w.set(sem, 'waiters', [...waiters(w, sem), { t: me, k: side.kind }]);
      return false;
    },
  };
  if (got) return;
  yield {
    action: `${fn}(${name}) [queued]`,
    locs,
    enabled: (w) => side.granted(w, sem, me),
    fire: (w) => {
      removeWaiter(w, sem, me);
      side.take(w, sem, me);
      pushHeld(w, me, h);
      return undefined;
    },
    waitsFor: (w) => describe(w, sem),
  };
}

/** down_read_trylock()/down_write_trylock(): never queue; fail unless the fast path would succeed. */
function* trylock(ctx: Ctx, sem: Handle<'rwsem'>, fn: string, side: Side): Gen<boolean> {
  const me = ctx.thread;
  const h = heldEntry(ctx, sem, side.kind, true);
  const ok = yield {
    action: `${fn}(${lockName(ctx.world, sem)})`,
    locs: lockLocs(ctx, sem),
    fire: (w) => {
      if (!side.free(w, sem)) return false;
      side.take(w, sem, me);
      pushHeld(w, me, h);
      return true;
    },
  };
  if (ok) lock_acquire(ctx, h, fn);
  return ok === true;
}

export function* down_read(ctx: Ctx, sem: Handle<'rwsem'>): Gen<void> {
  yield* lockSleeping(ctx, sem, 'down_read', 0, READER);
}

export function* down_read_nested(ctx: Ctx, sem: Handle<'rwsem'>, subclass: number): Gen<void> {
  yield* lockSleeping(ctx, sem, 'down_read_nested', subclass, READER);
}

export function* down_write(ctx: Ctx, sem: Handle<'rwsem'>): Gen<void> {
  yield* lockSleeping(ctx, sem, 'down_write', 0, WRITER);
}

export function* down_write_nested(ctx: Ctx, sem: Handle<'rwsem'>, subclass: number): Gen<void> {
  yield* lockSleeping(ctx, sem, 'down_write_nested', subclass, WRITER);
}

/** down_read_trylock(): 1 on success; fails while a writer owns the lock or anyone is queued. */
export function* down_read_trylock(ctx: Ctx, sem: Handle<'rwsem'>): Gen<boolean> {
  return yield* trylock(ctx, sem, 'down_read_trylock', READER);
}

/** down_write_trylock(): 1 on success; fails unless the lock is free and nobody is queued. */
export function* down_write_trylock(ctx: Ctx, sem: Handle<'rwsem'>): Gen<boolean> {
  return yield* trylock(ctx, sem, 'down_write_trylock', WRITER);
}

export function* up_read(ctx: Ctx, sem: Handle<'rwsem'>): Gen<void> {
  const me = ctx.thread;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, each half implies the other (a read entry is held exactly while the task is among the readers)
  checkRelease(ctx, sem, 'up_read', (h) => h.kind !== 'W' && readers(ctx.world, sem).includes(me));
  yield {
    action: `up_read(${lockName(ctx.world, sem)})`,
    locs: lockLocs(ctx, sem),
    fire: (w) => {
      const r = readers(w, sem);
      const i = r.indexOf(me);
      w.set(sem, 'readers', [...r.slice(0, i), ...r.slice(i + 1)]);
      popHeld(w, me, sem);
      return undefined;
    },
  };
}

export function* up_write(ctx: Ctx, sem: Handle<'rwsem'>): Gen<void> {
  const me = ctx.thread;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, each half implies the other (a write entry is held exactly while the task owns the rwsem)
  checkRelease(ctx, sem, 'up_write', (h) => h.kind === 'W' && owner(ctx.world, sem) === me);
  yield {
    action: `up_write(${lockName(ctx.world, sem)})`,
    locs: lockLocs(ctx, sem),
    fire: (w) => {
      w.set(sem, 'owner', null);
      popHeld(w, me, sem);
      return undefined;
    },
  };
}

/** downgrade_write(): the writer becomes a reader atomically (lock_downgrade in lockdep). */
export function* downgrade_write(ctx: Ctx, sem: Handle<'rwsem'>): Gen<void> {
  const me = ctx.thread;
  if (owner(ctx.world, sem) !== me)
    ctx.fail('unlock-not-held', `downgrade_write(${lockName(ctx.world, sem)}) in ${callerOf(ctx.stack)}: ${me} does not hold it for write`);
  const ev: DowngradeEvent = {
    type: 'downgrade',
    lock: sem,
    class: peekField(ctx.world, refTo('rwsem', sem), 'class'),
    at: callerOf(ctx.stack),
  };
  ctx.emit(ev);
  yield {
    action: `downgrade_write(${lockName(ctx.world, sem)})`,
    locs: lockLocs(ctx, sem),
    fire: (w) => {
      w.set(sem, 'owner', null);
      w.set(sem, 'readers', [...readers(w, sem), me]);
      patchHeld(w, me, sem, { kind: 'r' });
      return undefined;
    },
  };
}

/** rwsem_is_locked(): a racy read, so a scheduling point. */
export function* rwsem_is_locked(ctx: Ctx, sem: Handle<'rwsem'>): Gen<boolean> {
  const v = yield {
    action: `rwsem_is_locked(${lockName(ctx.world, sem)})`,
    locs: [sem],
    fire: (w) => owner(w, sem) !== null || readers(w, sem).length > 0,
  };
  return v === true;
}

primitives(
  lockSleeping,
  trylock,
  down_read,
  down_read_nested,
  down_write,
  down_write_nested,
  down_read_trylock,
  down_write_trylock,
  up_read,
  up_write,
  downgrade_write,
  rwsem_is_locked,
);
