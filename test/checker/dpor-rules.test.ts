/**
 * DPOR (checker/search/dpor.ts) rule by rule, on toys small enough to count
 * by hand: threads that touch nothing in common are explored in one
 * interleaving; threads that race are explored in every order that changes
 * the outcome; backtracking by replay explores what restoring does; the
 * bounds (threads, depth, time) and the stop rules hold; what it reports
 * (states, executions, the counterexample) is what it did.
 */
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../checker/context.ts';
import type { Monitor } from '../../checker/monitor.ts';
import { runPath } from '../../checker/run.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { contextSwitches } from '../../checker/schedule.ts';
import { type ExhaustiveOptions, exploreScenario } from '../../checker/search/exhaustive.ts';
import { lostUpdate, toySystem } from './toy-system.ts';

/** each thread writes an object of its own */
const own: OpFn = function* own(ctx) {
  yield { action: 'write own', locs: [`o.${ctx.thread}`] };
  ctx.set(`o.${ctx.thread}`, 'n', 1);
  return null;
};
/** the last writer wins */
const name: OpFn = function* name(ctx) {
  yield { action: 'write s', locs: ['s'] };
  ctx.set('s', 'by', ctx.thread);
  return null;
};
/** reads s, then writes what it read: order decides what each sees */
const copy: OpFn = function* copy(ctx) {
  yield { action: 'read s', locs: ['s'] };
  const v = ctx.get<string>('s', 'by');
  yield { action: `write o.${ctx.thread}`, locs: [`o.${ctx.thread}`] };
  ctx.set(`o.${ctx.thread}`, 'n', v === '' ? 0 : 1);
  return null;
};
/** never finishes: a livelock whatever the schedule */
const spin: OpFn = function* spin(ctx) {
  for (;;) {
    yield { action: 'look', locs: [`o.${ctx.thread}`] };
    ctx.get(`o.${ctx.thread}`, 'n');
  }
};

const THREADS = Array.from({ length: 32 }, (_, i) => `T${i}`);
const sys: System = {
  name: 'rules',
  setup(w) {
    for (const t of THREADS) w.create('o', { n: 0 }, null, `o.${t}`);
    w.create('s', { by: '' }, null, 's');
  },
  ops: { own, name, copy, spin },
};
const threads = (op: string, k: number): Scenario => ({
  threads: Array.from({ length: k }, (_, i) => ({ name: `T${i}`, ops: [{ op, args: {} }] })),
});

/** every final world, as text */
function finals(system: System, scenario: Scenario, options: ExhaustiveOptions = {}) {
  const seen = new Set<string>();
  const watch: Monitor = {
    name: 'finals',
    atEnd(exec) {
      seen.add(exec.world.key());
      return null;
    },
  };
  const r = exploreScenario(system, scenario, { ...options, monitors: [...(options.monitors ?? []), watch], collectAll: true });
  return { worlds: [...seen].sort(), r };
}

describe('DPOR counts what it does', () => {
  it('explores threads that share nothing in one interleaving: 2k states for k threads of two steps each', () => {
    // each thread: its call step, then its write. Sleep sets visit every combination of
    // the threads' progress (0, 1 or 2 steps) but the final one: 3^k - 1 states
    for (const k of [1, 2, 3, 4]) {
      const d = exploreScenario(sys, threads('own', k), { dpor: true }).coverage;
      expect({ states: d.states, executions: d.executions, transitions: d.transitions, maxDepthSeen: d.maxDepthSeen }).toEqual({
        states: 2 * k,
        executions: 1,
        transitions: 2 * k,
        maxDepthSeen: 2 * k - 1,
      });
      expect(d.prunedBySleepSet).toBe(0);
      expect(d.restores).toBe(0);
      expect(d.replaySteps).toBe(0);
      expect(d.complete).toBe(true);
      expect(d.stopped).toBe(false);
      const s = exploreScenario(sys, threads('own', k), {}).coverage;
      expect(s.states).toBe(3 ** k - 1);
    }
  });

  it('handles 31 threads, and refuses 32', () => {
    const d = exploreScenario(sys, threads('own', 31), { dpor: true }).coverage;
    expect(d.states).toBe(62);
    expect(d.executions).toBe(1);
    expect(() => exploreScenario(sys, threads('own', 32), { dpor: true })).toThrow('DPOR handles at most 31 threads');
  });

  it('says what it reduced with, and that it backtracked by replay when a monitor cannot save its memory', () => {
    const d = exploreScenario(sys, threads('name', 2), { dpor: true }).coverage;
    expect(d.reductions[0]).toMatch(/^dynamic partial-order reduction/);
    expect(d.reductions).not.toContain('backtracking by replay');
    const forgetful: Monitor = { name: 'forgetful', reset() {} };
    const r = exploreScenario(sys, threads('name', 3), { dpor: true, monitors: [forgetful] }).coverage;
    expect(r.reductions).toContain('backtracking by replay');
    expect(r.restores).toBe(0);
    expect(r.replaySteps).toBeGreaterThan(0);
  });
});

describe('DPOR keeps every outcome', () => {
  it('the last writer wins: every thread is last in some explored order', () => {
    for (const k of [2, 3, 4]) {
      const full = finals(sys, threads('name', k));
      const d = finals(sys, threads('name', k), { dpor: true });
      expect(d.worlds).toHaveLength(k);
      expect(d.worlds).toEqual(full.worlds);
      expect(d.r.coverage.states).toBeLessThan(full.r.coverage.states);
    }
  });

  it('a read races with a write of another thread: both orders are explored', () => {
    const sc: Scenario = {
      threads: [
        { name: 'T0', ops: [{ op: 'copy', args: {} }] },
        { name: 'T1', ops: [{ op: 'name', args: {} }] },
        {
          name: 'T2',
          ops: [
            { op: 'own', args: {} },
            { op: 'copy', args: {} },
          ],
        },
      ],
    };
    const full = finals(sys, sc);
    for (const options of [{ dpor: true }, { dpor: true, stateCache: false }, { dpor: true, monitors: [{ name: 'm', reset() {} }] }]) {
      const d = finals(sys, sc, options);
      expect(d.worlds, JSON.stringify(options)).toEqual(full.worlds);
    }
    expect(full.worlds.length).toBe(4);
  });

  it('without the state cache: the same outcomes, no states counted', () => {
    const d = finals(sys, threads('name', 3), { dpor: true, stateCache: false });
    expect(d.worlds).toHaveLength(3);
    expect(d.r.coverage.states).toBe(0);
    expect(d.r.coverage.prunedByCache).toBe(0);
  });

  it('the lost update and the deadlock, with a counterexample that replays and counts its switches', () => {
    const incr = {
      threads: [0, 1].map((i) => ({
        name: `T${i}`,
        ops: [
          { op: 'incr', args: {} },
          { op: 'incr', args: {} },
        ],
      })),
    };
    const r = exploreScenario(toySystem(true), incr, { dpor: true, monitors: [lostUpdate] });
    const f = r.found!;
    expect(f.violation.kind).toBe('lost-update');
    expect(f.switches).toBe(contextSwitches(f.path));
    const again = runPath(toySystem(true), incr, f.path, { monitors: [lostUpdate] });
    expect(again.ok && again.exec.violation?.kind).toBe('lost-update');
    const abba = {
      threads: [
        { name: 'T0', ops: [{ op: 'lock_ab', args: {} }] },
        { name: 'T1', ops: [{ op: 'lock_ba', args: {} }] },
      ],
    };
    const dead = exploreScenario(toySystem(true), abba, { dpor: true });
    expect(dead.found?.violation.kind).toBe('deadlock');
    // each thread takes its first lock: call and lock, call and lock
    expect(dead.found?.path).toHaveLength(4);
    expect(exploreScenario(toySystem(false), abba, { dpor: true }).found).toBeNull();
  });
});

describe('DPOR bounds and stops', () => {
  it('a thread that runs longer than maxDepth (or the step limit) is a livelock', () => {
    const sc: Scenario = {
      threads: [
        { name: 'T0', ops: [{ op: 'spin', args: {} }] },
        { name: 'T1', ops: [{ op: 'own', args: {} }] },
      ],
    };
    const r = exploreScenario(sys, sc, { dpor: true, maxDepth: 6 });
    expect(r.found?.violation.kind).toBe('livelock');
    expect(r.found?.path).toHaveLength(6);
    const s = exploreScenario(sys, sc, { dpor: true, maxDepth: 50, execOptions: { maxSteps: 4 } });
    expect(s.found?.path).toHaveLength(4);
    const t = exploreScenario(sys, sc, { dpor: true, maxDepth: 5, execOptions: { maxSteps: 40 } });
    expect(t.found?.path).toHaveLength(5);
  });

  it('a passed time limit stops it at once, incomplete', () => {
    const r = exploreScenario(sys, threads('name', 3), { dpor: true, timeLimitMs: -1 });
    expect(r.coverage).toMatchObject({ complete: false, stopped: true, states: 0, executions: 0 });
    expect(r.found).toBeNull();
  });

  it('a stop asked every 1,024 states ends it', () => {
    let asked = 0;
    const stop = () => {
      asked++;
      return true;
    };
    const r = exploreScenario(sys, threads('name', 6), { dpor: true, stop });
    expect(asked).toBe(1);
    expect(r.coverage.stopped).toBe(true);
    expect(r.coverage.complete).toBe(false);
    expect(r.coverage.states).toBeLessThanOrEqual(1024);
  });

  it('firstOnly ends at the first counterexample; endsSearch at the first it accepts', () => {
    const incr = { threads: [0, 1, 2].map((i) => ({ name: `T${i}`, ops: [{ op: 'incr', args: {} }] })) };
    const all = exploreScenario(toySystem(true), incr, { dpor: true, monitors: [lostUpdate] });
    const first = exploreScenario(toySystem(true), incr, { dpor: true, monitors: [lostUpdate], firstOnly: true });
    expect(first.found?.violation.kind).toBe('lost-update');
    expect(first.coverage.transitions).toBeLessThan(all.coverage.transitions);
    const ends = exploreScenario(toySystem(true), incr, {
      dpor: true,
      monitors: [lostUpdate],
      endsSearch: (v) => v.kind === 'lost-update',
    });
    expect(ends.coverage.transitions).toBe(first.coverage.transitions);
    const never = exploreScenario(toySystem(true), incr, { dpor: true, monitors: [lostUpdate], endsSearch: () => false });
    expect(never.coverage.transitions).toBe(all.coverage.transitions);
    // isFailure: a violation it refuses is no counterexample
    expect(exploreScenario(toySystem(true), incr, { dpor: true, monitors: [lostUpdate], isFailure: () => false }).found).toBeNull();
  });

  it('keeps the shortest counterexample among those it explored, and with collectAll one of each kind', () => {
    const sc = {
      threads: [
        {
          name: 'T0',
          ops: [
            { op: 'lock_ab', args: {} },
            { op: 'incr', args: {} },
          ],
        },
        {
          name: 'T1',
          ops: [
            { op: 'lock_ba', args: {} },
            { op: 'incr', args: {} },
          ],
        },
      ],
    };
    const r = exploreScenario(toySystem(true), sc, { dpor: true, monitors: [lostUpdate], collectAll: true });
    expect([...r.byKind.keys()].sort()).toEqual(['deadlock', 'lost-update']);
    const shortest = Math.min(...[...r.byKind.values()].map((f) => f.path.length));
    expect(r.found?.path.length).toBe(shortest);
    expect(r.found?.violation.kind).toBe('deadlock');
  });
});
