import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { heldLocks } from '../../kernel/task.ts';

/** ABBA: two mutexes taken in opposite orders by two threads; the fix takes them in one order. */

function setup(w: World): void {
  mutex_init(w, '&dev->a_lock', { id: 'a' });
  mutex_init(w, '&dev->b_lock', { id: 'b' });
}

function* take_a_then_b(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'a');
  yield* ctx.call(mutex_lock, 'b');
  yield* ctx.call(mutex_unlock, 'b');
  yield* ctx.call(mutex_unlock, 'a');
  return undefined;
}

function* take_b_then_a(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'b');
  yield* ctx.call(mutex_lock, 'a');
  yield* ctx.call(mutex_unlock, 'a');
  yield* ctx.call(mutex_unlock, 'b');
  return undefined;
}

export const broken: System = {
  name: 'abba-broken',
  setup,
  ops: { take_a_then_b, other: take_b_then_a },
  stepContext: heldLocks,
};

export const fixed: System = {
  name: 'abba-fixed',
  setup,
  ops: { take_a_then_b, other: take_a_then_b },
  stepContext: heldLocks,
};

export const scenario: Scenario = {
  threads: [
    { name: 'T1', ops: [{ op: 'take_a_then_b', args: {} }] },
    { name: 'T2', ops: [{ op: 'other', args: {} }] },
  ],
};
