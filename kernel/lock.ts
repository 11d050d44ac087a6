import type { Ctx } from '../checker/context.ts';
import { type Fields, type KindDecl, peekField, type Ref } from '../checker/kind.ts';
import type { World } from '../checker/world.ts';
import { type HeldLock, type LockKind, type LockObject, type LockRef, type LockType, lockObject, mutex, rwsem, wwMutex } from './kinds.ts';
import { lock_acquire, lock_release } from './lockdep/annotate.ts';
import { unlockImbalanceReport } from './lockdep/report.ts';
import { callerOf, stackText } from './primitive.ts';
import { findHeld, taskId } from './task.ts';
import { allocKind, type Where } from './types.ts';

/**
 * Lock instances: world objects carrying their lockdep class name (the string
 * lockdep prints, e.g. `&vdev->memory_lock`; the kernel derives it from the
 * expression given to mutex_init/init_rwsem), independent of the instance, as
 * lock classes are keyed by static `lock_class_key`s (Documentation/locking/lockdep-design.rst
 * "Lock-class"). Class, type and name never change after init, so model code may
 * read them with `peek` without logging them.
 */
export interface LockInit {
  /** object id (default: `<type><n>`) */
  readonly id?: string;
  /** how actions show the instance (default: the class name) */
  readonly name?: string;
}

const LOCK_KINDS = { mutex, ww_mutex: wwMutex, rwsem } as const;

/** A new lock instance of `type` (its declaration in kinds.ts), unowned. */
export function lockInit<T extends keyof typeof LOCK_KINDS>(where: Where, type: T, className: string, init: LockInit = {}): Ref<T> {
  // the table's keys are the kinds' names, so the declaration found is T's
  const decl = LOCK_KINDS[type] as unknown as KindDecl<T, Fields, { type: string }>;
  return allocKind(where, decl, { class: className, name: init.name ?? className }, init.id);
}

/** Every lockdep class a world's objects carry (locks, completions, lockdep maps): the names a declared order may use. */
export function lockClasses(w: World): string[] {
  const out = new Set<string>();
  for (const id of w.ids()) {
    const c = w.describe(id).fields.class;
    if (typeof c === 'string') out.add(c);
  }
  return [...out];
}

/** The object a lock id names, or null for a lockdep map (`map:<class>`), which is not an object. */
function asLock(w: World, lock: string): LockObject | null {
  return w.has(lock) ? lockObject(lock) : null;
}

export function lockName(w: World, lock: string): string {
  const l = asLock(w, lock);
  return l !== null ? peekField(w, l, 'name') : lock.replace(/^map:/, '');
}

export function lockType(w: World, lock: LockRef): LockType {
  return peekField(w, lockObject(lock), 'type');
}

/** The lockdep class of an acquisition: `name/subclass` for a nested one (lockdep.c __print_lock_name). */
export function classKey(w: World, lock: string, subclass = 0): string {
  const l = asLock(w, lock);
  const c = l !== null ? peekField(w, l, 'class') : lock.replace(/^map:/, '');
  return subclass > 0 ? `${c}/${subclass}` : c;
}

/** The held-lock entry a thread will push when it gets the lock. */
export function heldEntry(ctx: Ctx, lock: LockRef, kind: LockKind, trylock: boolean, subclass = 0): HeldLock {
  const w = ctx.world;
  return { lock, class: classKey(w, lock, subclass), type: lockType(w, lock), kind, trylock, at: callerOf(ctx.stack) };
}

/** Objects a lock point touches: the lock and the thread's own held stack. */
export function lockLocs(ctx: Ctx, lock: LockRef): string[] {
  return [lock, taskId(ctx.thread)];
}

/** Lockdep annotation for a blocking acquisition, made before blocking, as mutex_acquire() before __mutex_lock(). */
export function annotateAcquire(ctx: Ctx, h: HeldLock, fn: string): void {
  lock_acquire(ctx, h, fn);
}

/**
 * The checks of lock_release() (kernel/locking/lockdep.c print_unlock_imbalance_bug)
 * and of DEBUG_MUTEXES/DEBUG_RWSEMS: releasing a lock this task does not hold
 * ("bad unlock balance") is a violation. Returns the held entry to drop.
 */
export function checkRelease(ctx: Ctx, lock: string, fn: string, held: (h: HeldLock) => boolean): HeldLock {
  const h = findHeld(ctx.world, ctx.thread, lock);
  if (!h || !held(h)) {
    const name = lockName(ctx.world, lock);
    ctx.fail(
      'unlock-not-held',
      `${fn}(${name}) in ${stackText(ctx.stack)}: ${ctx.thread} releases a lock it does not hold${h ? ` in that mode (holds it as ${h.kind})` : ''}`,
      unlockImbalanceReport(ctx.world, ctx.thread, classKey(ctx.world, lock), callerOf(ctx.stack), ctx.stack),
    );
  }
  lock_release(ctx, h, fn);
  return h;
}
