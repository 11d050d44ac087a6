import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { mutex_init, mutex_lock, mutex_trylock, mutex_unlock } from '../../kernel/mutex.ts';
import { heldLocks } from '../../kernel/task.ts';

/**
 * Taking A under B is fine with mutex_trylock (it cannot block, lockdep adds no
 * B -> A edge), a cycle with mutex_lock.
 */

function setup(w: World): void {
  mutex_init(w, '&a', { id: 'a' });
  mutex_init(w, '&b', { id: 'b' });
}

function* forward(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'a');
  yield* ctx.call(mutex_lock, 'b');
  yield* ctx.call(mutex_unlock, 'b');
  yield* ctx.call(mutex_unlock, 'a');
  return undefined;
}

function* reverse_trylock(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'b');
  if (yield* ctx.call(mutex_trylock, 'a')) yield* ctx.call(mutex_unlock, 'a');
  yield* ctx.call(mutex_unlock, 'b');
  return undefined;
}

function* reverse_lock(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'b');
  yield* ctx.call(mutex_lock, 'a');
  yield* ctx.call(mutex_unlock, 'a');
  yield* ctx.call(mutex_unlock, 'b');
  return undefined;
}

export const withTrylock: System = { name: 'trylock', setup, ops: { forward, reverse: reverse_trylock }, stepContext: heldLocks };
export const withLock: System = { name: 'lock', setup, ops: { forward, reverse: reverse_lock }, stepContext: heldLocks };

export const scenario: Scenario = {
  threads: [
    { name: 'T1', ops: [{ op: 'forward', args: {} }] },
    { name: 'T2', ops: [{ op: 'reverse', args: {} }] },
  ],
};
