import type { Ctx } from '../../checker/context.ts';
import type { LockRef } from '../kinds.ts';
import { checkRelease, classKey, lockType } from '../lock.ts';
import { callerOf, primitives } from '../primitive.ts';
import { findHeld, type HeldLock, type LockKind, popHeld, pushHeld } from '../task.ts';
import { lock_acquire } from './annotate.ts';

/**
 * Lockdep-only annotations (include/linux/lockdep.h): `struct lockdep_map`
 * pseudo-locks that nothing really takes, might_lock(), and signalling sections.
 * They change only the task's held stack, which no other thread reads, so they
 * are not scheduling points.
 */

/** The held-stack id of a lockdep map. */
export function mapId(cls: string): string {
  return `map:${cls}`;
}

function mapEntry(ctx: Ctx, cls: string, kind: LockKind, trylock: boolean): HeldLock {
  return { lock: mapId(cls), class: cls, type: 'map', kind, trylock, at: callerOf(ctx.stack) };
}

/** lock_acquire() on a map with an explicit kind (W, r: read=1, R: read=2) and trylock flag. */
export function lock_map_acquire_kind(ctx: Ctx, cls: string, kind: LockKind, trylock: boolean, fn = 'lock_acquire'): void {
  const h = mapEntry(ctx, cls, kind, trylock);
  if (!trylock) lock_acquire(ctx, h, fn);
  pushHeld(ctx.world, ctx.thread, h);
  if (trylock) lock_acquire(ctx, h, fn);
}

/** lock_map_acquire(): take a map exclusively (read=0). */
export function lock_map_acquire(ctx: Ctx, cls: string): void {
  lock_map_acquire_kind(ctx, cls, 'W', false, 'lock_map_acquire');
}

/** lock_map_acquire_read(): recursive read (read=2). */
export function lock_map_acquire_read(ctx: Ctx, cls: string): void {
  lock_map_acquire_kind(ctx, cls, 'R', false, 'lock_map_acquire_read');
}

/** lock_map_acquire_tryread(): non-recursive read trylock (read=1, trylock=1); adds no edge into the map. */
export function lock_map_acquire_tryread(ctx: Ctx, cls: string): void {
  lock_map_acquire_kind(ctx, cls, 'r', true, 'lock_map_acquire_tryread');
}

export function lock_map_release(ctx: Ctx, cls: string): void {
  const id = mapId(cls);
  checkRelease(ctx, id, 'lock_map_release', () => true);
  popHeld(ctx.world, ctx.thread, id);
}

/**
 * might_lock(): lockdep checks the acquisition as if it happened (include/linux/lockdep.h:
 * lock_acquire + lock_release), nothing is taken.
 */
export function might_lock_nested(ctx: Ctx, lock: LockRef, subclass: number, kind: LockKind = 'W'): void {
  const w = ctx.world;
  const h: HeldLock = { lock, class: classKey(w, lock, subclass), type: lockType(w, lock), kind, trylock: false, at: callerOf(ctx.stack) };
  lock_acquire(ctx, h, kind === 'W' ? 'might_lock' : 'might_lock_read', true);
}

export function might_lock(ctx: Ctx, lock: LockRef): void {
  might_lock_nested(ctx, lock, 0, 'W');
}

export function might_lock_read(ctx: Ctx, lock: LockRef): void {
  might_lock_nested(ctx, lock, 0, 'r');
}

/**
 * Opens a signalling section for a wait class, as dma_fence_begin_signalling()
 * does for dma_fence_map (drivers/dma-buf/dma-fence.c): a read trylock of the
 * class, so locks taken inside get edges class -> lock, and a wait on the class
 * under such a lock closes a cycle. Returns the cookie: true when the section was
 * already open (nesting), then end does nothing.
 */
export function lockdep_begin_signalling(ctx: Ctx, cls: string): boolean {
  const h = findHeld(ctx.world, ctx.thread, mapId(cls));
  if (h && h.kind !== 'W') return true;
  lock_map_acquire_tryread(ctx, cls);
  return false;
}

export function lockdep_end_signalling(ctx: Ctx, cls: string, cookie: boolean): void {
  if (cookie) return;
  lock_map_release(ctx, cls);
}

primitives(
  lock_map_acquire_kind,
  lock_map_acquire,
  lock_map_acquire_read,
  lock_map_acquire_tryread,
  lock_map_release,
  might_lock,
  might_lock_read,
  might_lock_nested,
  lockdep_begin_signalling,
  lockdep_end_signalling,
);
