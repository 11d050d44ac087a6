/**
 * A tiny system built from raw points, to test the engine without kernel/:
 * a shared counter, two spin-free locks and a flag.
 */
import type { OpFn } from '../../checker/context.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Point } from '../../checker/point.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { ScenarioSpace } from '../../checker/space.ts';
import type { World } from '../../checker/world.ts';

const lock = (id: string, me: string): Point => ({
  action: `lock(${id})`,
  locs: [id],
  enabled: (w: World) => w.peek(id, 'owner') === null,
  fire: (w: World) => {
    w.set(id, 'owner', me);
    return null;
  },
  waitsFor: (w: World) => `${id} held by ${String(w.peek(id, 'owner'))}`,
});
const unlock = (id: string): Point => ({ action: `unlock(${id})`, locs: [id], fire: (w) => (w.set(id, 'owner', null), null) });
const touch = (what: string): Point => ({ action: what, locs: ['counter'] });

const incrUnlocked: OpFn = function* incr_unlocked(ctx) {
  yield touch('READ_ONCE(counter)');
  const v = ctx.get<number>('counter', 'value');
  yield touch('WRITE_ONCE(counter)');
  ctx.set('counter', 'value', v + 1);
  return null;
};
const incrLocked: OpFn = function* incr_locked(ctx) {
  yield lock('A', ctx.thread);
  const v = ctx.get<number>('counter', 'value');
  yield touch('WRITE_ONCE(counter)');
  ctx.set('counter', 'value', v + 1);
  yield unlock('A');
  return null;
};
const lockAB: OpFn = function* lock_ab(ctx) {
  yield lock('A', ctx.thread);
  yield lock('B', ctx.thread);
  yield unlock('B');
  yield unlock('A');
  return null;
};
const lockBA: OpFn = function* lock_ba(ctx) {
  yield lock('B', ctx.thread);
  yield lock('A', ctx.thread);
  yield unlock('A');
  yield unlock('B');
  return null;
};

export function toySystem(broken: boolean): System {
  return {
    name: broken ? 'toy-broken' : 'toy-fixed',
    setup(w) {
      w.create('counter', { value: 0, expected: 0 }, null, 'counter');
      w.create('lock', { owner: null }, null, 'A');
      w.create('lock', { owner: null }, null, 'B');
    },
    ops: {
      incr: broken ? incrUnlocked : incrLocked,
      lock_ab: lockAB,
      lock_ba: broken ? lockBA : lockAB,
    },
    stepContext: (w, t) => ['A', 'B'].filter((l) => w.peek(l, 'owner') === t),
  };
}

/** At quiescence the counter equals the number of increments the scenario made. */
export const lostUpdate: Monitor = {
  name: 'no-lost-update',
  atEnd(exec) {
    const incs = exec.scenario.threads.flatMap((t) => t.ops).filter((o) => o.op === 'incr').length;
    const v = exec.world.peek('counter', 'value');
    return v === incs ? null : { kind: 'lost-update', message: `counter is ${String(v)} after ${incs} increments` };
  },
};

export const toySpace: ScenarioSpace = {
  roles: [{ role: 'worker', commands: [{ op: 'incr' }, { op: 'lock_ab' }, { op: 'lock_ba' }], min: 1, max: 2 }],
};

/** A thread of the toy's operations, none with arguments. */
export const thread = (name: string, ...ops: string[]) => ({ name, ops: ops.map((op) => ({ op, args: {} })) });

/** Search options with both reductions off: every interleaving runs to its end. */
export const plain = { sleepSets: false, stateCache: false } as const;

/** Two threads, one increment each: the lost update when the system is broken. */
export const twoIncr: Scenario = {
  threads: [
    { name: 'T0', ops: [{ op: 'incr', args: {} }] },
    { name: 'T1', ops: [{ op: 'incr', args: {} }] },
  ],
};

/** A then B against B then A: the deadlock. */
export const abba: Scenario = {
  threads: [
    { name: 'T0', ops: [{ op: 'lock_ab', args: {} }] },
    { name: 'T1', ops: [{ op: 'lock_ba', args: {} }] },
  ],
};
