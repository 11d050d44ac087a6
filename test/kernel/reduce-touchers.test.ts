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
function* hold_and_work(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'a');
  // steps that touch shared state: the transaction ends after the first, with a held, at a state the search
  // branches at, and the second is no left mover that would run alone there
  for (const part of [1, 2]) {
    yield { action: `work ${part}`, locs: ['seen'] };
    ctx.set('seen', 'work', part);
  }
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
    w.create('seen', { T1: null, T2: null, work: 0 }, null, 'seen');
  },
  ops: { warm_up, hold, hold_and_work, probe },
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

describe('the premise of the static pass, checked by the reduced search', () => {
  it('a trylock the pass did not read, met while the lock is held, stops the reduced search as a broken design', () => {
    // the pass is shown every operation but the probe: as if a helper outside the table called mutex_trylock
    const unproven = unprovenGroups(
      Object.entries(system.ops)
        .filter(([name]) => name !== 'probe')
        .map(([name, f]) => ({ name, source: String(f) })),
      LOCK_TOUCHERS,
    );
    expect([...unproven]).toEqual([]);
    const working: Scenario = {
      threads: [
        {
          name: 'T1',
          ops: [
            { op: 'warm_up', args: {} },
            { op: 'hold_and_work', args: {} },
          ],
        },
        { name: 'T2', ops: [{ op: 'probe', args: {} }] },
      ],
    };
    const r = exploreScenario(system, working, { collectAll: true, reduce: { unproven } });
    const v = r.byKind.get('model-error')?.violation;
    expect(v?.message).toBe(
      "--reduce: T2's mutex_trylock(&a) touches a, which T1 holds, although the static pass proved its type (mutex) free of such touchers: a function it does not read calls it; run without --reduce",
    );
    // the plain search has nothing to object to
    expect(exploreScenario(system, working, { collectAll: true }).byKind.has('model-error')).toBe(false);
    // a critical section with no other step in it is one transaction: no state has a held, and nothing is seen
    expect(exploreScenario(system, scenario, { collectAll: true, reduce: { unproven } }).byKind.has('model-error')).toBe(false);
  });
});
