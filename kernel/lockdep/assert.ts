import type { Ctx } from '../../checker/context.ts';
import { lockName } from '../lock.ts';
import { callerOf } from '../primitive.ts';
import { findHeld, type HeldLock } from '../task.ts';
import { assertHeldReport } from './report.ts';

/**
 * Held-lock assertions (include/linux/lockdep.h lockdep_assert_held*, which
 * WARN when lockdep_is_held() says the current task does not hold the lock
 * instance in the required mode). Checked against the task's held stack in the
 * world; not scheduling points (they read only the thread's own state).
 */

function check(ctx: Ctx, lock: string, fn: string, ok: (h: HeldLock | null) => boolean): void {
  const h = findHeld(ctx.world, ctx.thread, lock);
  if (ok(h)) return;
  const name = ctx.world.has(lock) ? lockName(ctx.world, lock) : lock;
  const at = callerOf(ctx.stack);
  const how = h ? `holds it as ${h.kind}` : 'does not hold it';
  ctx.fail(
    'held-lock-assertion',
    `${fn}(${name}) failed in ${at}: ${ctx.thread} ${how}`,
    assertHeldReport(ctx.world, ctx.thread, `${fn}(${name})`, at, ctx.stack),
  );
}

export function lockdep_assert_held(ctx: Ctx, lock: string): void {
  check(ctx, lock, 'lockdep_assert_held', (h) => h !== null);
}

export function lockdep_assert_held_write(ctx: Ctx, lock: string): void {
  check(ctx, lock, 'lockdep_assert_held_write', (h) => h !== null && h.kind === 'W');
}

export function lockdep_assert_held_read(ctx: Ctx, lock: string): void {
  check(ctx, lock, 'lockdep_assert_held_read', (h) => h !== null && h.kind !== 'W');
}

export function lockdep_assert_not_held(ctx: Ctx, lock: string): void {
  check(ctx, lock, 'lockdep_assert_not_held', (h) => h === null);
}
