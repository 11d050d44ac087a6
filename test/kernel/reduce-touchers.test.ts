/**
 * Transaction reduction with the kernel's own mutex: mutex_lock and
 * mutex_unlock claim to be movers, and the static analysis of touchers
 * (kernel/touchers.ts through checker/reduce/touchers.ts) is what keeps a
 * trylock's failure reachable. Proving the mutex free of trylocks anyway (the
 * unsound setting) loses the world where the trylock failed: the comparison
 * the built-in designs' soundness test makes has teeth.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../checker/context.ts';
import type { Monitor } from '../../checker/monitor.ts';
import { unprovenGroups } from '../../checker/reduce/touchers.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { mutex_init, mutex_lock, mutex_trylock, mutex_unlock } from '../../kernel/mutex.ts';
import { LOCK_TOUCHERS } from '../../kernel/touchers.ts';

function* warm_up(ctx: Ctx) {
  // the first lock a task takes creates its held-lock record, a step others may see: no mover
  yield* ctx.call(mutex_lock, 'z');
  yield* ctx.call(mutex_unlock, 'z');
  return undefined;
}
function* hold(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'a');
  yield* ctx.call(mutex_unlock, 'a');
  return undefined;
}
function* probe(ctx: Ctx) {
  const got = yield* ctx.call(mutex_trylock, 'a');
  ctx.set('seen', ctx.thread, got);
  if (got) yield* ctx.call(mutex_unlock, 'a');
  return undefined;
}
const system: System = {
  name: 'trylock-probe',
  setup(w) {
    mutex_init(w, '&a', { id: 'a' });
    mutex_init(w, '&z', { id: 'z' });
    w.create('seen', { T1: null, T2: null }, null, 'seen');
  },
  ops: { warm_up, hold, probe },
};
const scenario: Scenario = {
  threads: [
    {
      name: 'T1',
      ops: [
        { op: 'warm_up', args: {} },
        { op: 'hold', args: {} },
      ],
    },
    { name: 'T2', ops: [{ op: 'probe', args: {} }] },
  ],
};

function finals(unproven: ReadonlySet<string> | null) {
  const seen = new Set<string>();
  const monitor: Monitor = {
    name: 'trylock-results',
    atEnd: (exec) => (seen.add(String(exec.world.peek('seen', 'T2'))), null),
  };
  const r = exploreScenario(system, scenario, { monitors: [monitor], collectAll: true, ...(unproven ? { reduce: { unproven } } : {}) });
  return { results: [...seen].sort(), states: r.coverage.states };
}

describe('the kernel mutex under transaction reduction', () => {
  const sources = Object.entries(system.ops).map(([name, f]) => ({ name, source: String(f) }));

  it('the analysis finds the trylock, and the reduced search still sees it fail', () => {
    const unproven = unprovenGroups(sources, LOCK_TOUCHERS);
    expect([...unproven]).toEqual(['mutex']);
    expect(finals(unproven).results).toEqual(finals(null).results);
    expect(finals(null).results).toEqual(['false', 'true']);
  });

  it('proving the mutex free of trylocks anyway loses the failed trylock', () => {
    expect(finals(new Set()).results).toEqual(['true']);
  });

  it('without a trylock in the table, the mutex is proven and the reduction saves states', () => {
    const withoutProbe = sources.filter((s) => s.name !== 'probe');
    expect([...unprovenGroups(withoutProbe, LOCK_TOUCHERS)]).toEqual([]);
    const lockers: Scenario = {
      threads: ['T1', 'T2', 'T3'].map((name) => ({
        name,
        ops: [
          { op: 'warm_up', args: {} },
          { op: 'hold', args: {} },
        ],
      })),
    };
    const plain = exploreScenario(system, lockers, { collectAll: true });
    const reduced = exploreScenario(system, lockers, { collectAll: true, reduce: { unproven: new Set() } });
    expect(reduced.coverage.states).toBeLessThan(plain.coverage.states);
  });
});
