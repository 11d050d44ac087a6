import type { Ctx } from '../../checker/context.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { READ_ONCE, WRITE_ONCE } from '../../kernel/once.ts';
import { kzalloc, load, store } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';

/** A counter incremented by two threads: unlocked read-then-write loses updates; under a mutex it does not. */

function setup(w: World): void {
  kzalloc(w, 'counter', { n: 0 }, 'counter');
  mutex_init(w, '&counter->lock', { id: 'lock' });
}

function* counter_inc_racy(ctx: Ctx) {
  const n = yield* ctx.call(READ_ONCE<number>, 'counter', 'n');
  yield* ctx.call(WRITE_ONCE, 'counter', 'n', n + 1);
  return undefined;
}

function* counter_inc_locked(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'lock');
  const n = load<number>(ctx, 'counter', 'n');
  store(ctx, 'counter', 'n', n + 1);
  yield* ctx.call(mutex_unlock, 'lock');
  return undefined;
}

/** At quiescence every increment must be there. */
export function counterMonitor(expected: number): Monitor {
  return {
    name: 'counter',
    atEnd(exec) {
      const n = exec.world.peek('counter', 'n') as number;
      return n === expected ? null : { kind: 'lost-update', message: `counter is ${n}, expected ${expected}: an increment was lost` };
    },
  };
}

export const broken: System = { name: 'lost-update-broken', setup, ops: { counter_inc: counter_inc_racy }, stepContext: heldLocks };
export const fixed: System = { name: 'lost-update-fixed', setup, ops: { counter_inc: counter_inc_locked }, stepContext: heldLocks };

export const scenario: Scenario = {
  threads: [
    { name: 'T1', ops: [{ op: 'counter_inc', args: {} }] },
    { name: 'T2', ops: [{ op: 'counter_inc', args: {} }] },
  ],
};
