/**
 * What DPOR (checker/search/dpor.ts) costs on toys, counter by counter: a
 * change that explores more (a weaker race check, a lost sleep set, a cache
 * that never prunes) or less (a missed race) moves one of them. The two-writer
 * case is counted by hand below; the others are this implementation's figures
 * (measured at the commit that added this file, with soundness checked by
 * dpor.test.ts and dpor-rules.test.ts): any change to them needs a reason.
 * Also: soft violations while collecting, the empty scenario, a race with the
 * very first step, the defaults, and a stop that holds.
 */
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../checker/context.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { type Coverage, type ExhaustiveOptions, exploreScenario } from '../../checker/search/exhaustive.ts';
import { lostUpdate, toySystem } from './toy-system.ts';

/** the last writer wins */
const name: OpFn = function* name(ctx) {
  yield { action: 'write s', locs: ['s'] };
  ctx.set('s', 'by', ctx.thread);
  return null;
};
/** writes s in its call step, before its first point */
const early: OpFn = function* early(ctx) {
  ctx.set('s', 'by', ctx.thread);
  yield { action: 'done' };
  return null;
};
const sys: System = {
  name: 'costs',
  setup(w) {
    w.create('s', { by: '' }, null, 's');
  },
  ops: { name, early },
};
const threads = (op: string, k: number): Scenario => ({
  threads: Array.from({ length: k }, (_, i) => ({ name: `T${i}`, ops: [{ op, args: {} }] })),
});
const counts = (c: Coverage) => ({
  states: c.states,
  transitions: c.transitions,
  executions: c.executions,
  prunedByCache: c.prunedByCache,
  prunedBySleepSet: c.prunedBySleepSet,
  restores: c.restores,
  replaySteps: c.replaySteps,
  maxDepthSeen: c.maxDepthSeen,
});
const dpor = (system: System, sc: Scenario, options: ExhaustiveOptions = {}) => exploreScenario(system, sc, { ...options, dpor: true });

describe('DPOR costs', () => {
  it('two writers of one object: both orders, 6 states, 7 steps, counted by hand', () => {
    // T0 call, T0 write, T1 call, T1 write: T1's write races with T0's, so T1 is tried at the state after T0's
    // call; there T1 calls with T0 asleep (its write did not conflict with the call), T1 writes (waking T0), T0 writes.
    // States: 00, 10, 20, 21, 11, 12 (threads' steps taken); one restore (to 10); T0 asleep once (at 11)
    expect(counts(dpor(sys, threads('name', 2)).coverage)).toEqual({
      states: 6,
      transitions: 7,
      executions: 2,
      prunedByCache: 0,
      prunedBySleepSet: 1,
      restores: 1,
      replaySteps: 0,
      maxDepthSeen: 3,
    });
  });

  it('three writers; and the same by replay, with replayed steps for restores', () => {
    const want = {
      states: 21,
      transitions: 26,
      executions: 7,
      prunedByCache: 0,
      prunedBySleepSet: 9,
      restores: 6,
      replaySteps: 0,
      maxDepthSeen: 5,
    };
    expect(counts(dpor(sys, threads('name', 3)).coverage)).toEqual(want);
    const forgetful: Monitor = { name: 'forgetful', reset() {} };
    expect(counts(dpor(sys, threads('name', 3), { monitors: [forgetful] }).coverage)).toEqual({ ...want, restores: 0, replaySteps: 14 });
  });

  it('the ABBA deadlock: its path, T0 first', () => {
    const abba = {
      threads: [
        { name: 'T0', ops: [{ op: 'lock_ab', args: {} }] },
        { name: 'T1', ops: [{ op: 'lock_ba', args: {} }] },
      ],
    };
    const r = dpor(toySystem(true), abba, { collectAll: true });
    expect(r.found?.path).toEqual([0, 0, 1, 1]);
    expect(counts(r.coverage)).toEqual({
      states: 23,
      transitions: 25,
      executions: 6,
      prunedByCache: 0,
      prunedBySleepSet: 7,
      restores: 5,
      replaySteps: 0,
      maxDepthSeen: 9,
    });
  });

  it('two increments in each of two threads: the lost update, through the cache', () => {
    const incr = {
      threads: [0, 1].map((i) => ({
        name: `T${i}`,
        ops: [
          { op: 'incr', args: {} },
          { op: 'incr', args: {} },
        ],
      })),
    };
    const r = dpor(toySystem(true), incr, { monitors: [lostUpdate] });
    // not the shortest there is (6 steps): the first DPOR reaches, running T0 first
    expect(r.found?.path).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0]);
    expect(counts(r.coverage)).toEqual({
      states: 91,
      transitions: 133,
      executions: 39,
      prunedByCache: 25,
      prunedBySleepSet: 23,
      restores: 38,
      replaySteps: 0,
      maxDepthSeen: 11,
    });
    expect(r.coverage.collisionProbability).toBeGreaterThan(0);
    expect(r.coverage.millis).toBeGreaterThanOrEqual(0);
    expect(r.coverage.millis).toBeLessThan(600_000);
    // exact keys: no collision can hide a state
    expect(dpor(toySystem(true), incr, { monitors: [lostUpdate], exactKeys: true }).coverage.collisionProbability).toBe(0);
  });

  it('a race with the very first step: writes in the call steps, both orders kept', () => {
    const seen = new Set<string>();
    const watch: Monitor = { name: 'w', atEnd: (x) => (seen.add(String(x.world.peek('s', 'by'))), null) };
    const r = dpor(sys, threads('early', 2), { monitors: [watch], collectAll: true });
    expect([...seen].sort()).toEqual(['T0', 'T1']);
    expect(counts(r.coverage)).toEqual({
      states: 7,
      transitions: 8,
      executions: 2,
      prunedByCache: 0,
      prunedBySleepSet: 0,
      restores: 1,
      replaySteps: 0,
      maxDepthSeen: 3,
    });
  });
});

describe('DPOR, further rules', () => {
  it('a scenario without threads is one execution that ends at once', () => {
    const r = dpor(sys, { threads: [] });
    expect(r.found).toBeNull();
    expect(counts(r.coverage)).toMatchObject({ states: 0, transitions: 0, executions: 1 });
  });

  it('keeps each kind only when collecting: not by default', () => {
    const abba = {
      threads: [
        { name: 'T0', ops: [{ op: 'lock_ab', args: {} }] },
        { name: 'T1', ops: [{ op: 'lock_ba', args: {} }] },
      ],
    };
    expect(dpor(toySystem(true), abba).byKind.size).toBe(0);
    expect(dpor(toySystem(true), abba, { collectAll: true }).byKind.size).toBe(1);
  });

  it("collecting, a monitor's violation is noted and the execution goes on, also where it is stuck", () => {
    const early2: Monitor = { name: 'early', afterStep: (x) => (x.stepCount === 2 ? { kind: 'second-step', message: 'two steps' } : null) };
    const stuck: Monitor = { name: 'stuck', atStuck: () => ({ kind: 'stuck-for-good', message: 'stuck' }) };
    const abba = {
      threads: [
        { name: 'T0', ops: [{ op: 'lock_ab', args: {} }] },
        { name: 'T1', ops: [{ op: 'lock_ba', args: {} }] },
      ],
    };
    const r = dpor(toySystem(true), abba, { monitors: [early2, stuck], collectAll: true });
    expect([...r.byKind.keys()].sort()).toEqual(['deadlock', 'second-step', 'stuck-for-good']);
    expect(r.byKind.get('second-step')?.path).toHaveLength(2);
    expect(r.byKind.get('deadlock')?.path).toEqual([0, 0, 1, 1]);
    // the noted ones end no execution: as many as without them
    expect(r.coverage.executions).toBe(dpor(toySystem(true), abba, { collectAll: true }).coverage.executions);
  });

  it('a stop holds: asked once, the search ends and is not asked again', () => {
    let asked = 0;
    const r = dpor(sys, threads('name', 7), {
      stop: () => {
        asked++;
        return true;
      },
    });
    expect(asked).toBe(1);
    expect(r.coverage.stopped).toBe(true);
    // without the stop it goes on to 3,400 states
    expect(r.coverage.states).toBeLessThan(1100);
  });

  it('firstOnly stops at the first counterexample, and says how far it went', () => {
    const incr = { threads: [0, 1, 2].map((i) => ({ name: `T${i}`, ops: [{ op: 'incr', args: {} }] })) };
    const r = dpor(toySystem(true), incr, { monitors: [lostUpdate], firstOnly: true });
    expect(r.found?.violation.kind).toBe('lost-update');
    // measured: the first lost update DPOR meets, 13 steps into the search
    expect(r.found?.path).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 1]);
    expect(r.coverage.transitions).toBe(13);
  });
});
