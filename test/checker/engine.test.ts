import { describe, expect, it } from 'vitest';
import { CounterexampleFormatError, makeCounterexample, parseCounterexample, replayCounterexample } from '../../checker/counterexample.ts';
import type { Monitor } from '../../checker/monitor.ts';
import { runPath, runScenario } from '../../checker/run.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { ChoiceScheduler, PctScheduler, SEQUENTIAL } from '../../checker/schedule.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { randomSearch } from '../../checker/search/random.ts';
import { exploreSpace } from '../../checker/search/space-search.ts';
import { traceDigest } from '../../checker/trace.ts';
import { abba, lostUpdate, toySpace, toySystem, twoIncr } from './toy-system.ts';

describe('executor', () => {
  it('is deterministic: same scenario and schedule, same trace', () => {
    const digests = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const e = runScenario(toySystem(true), twoIncr, new ChoiceScheduler([1, 0, 1, 1]), { record: 'full', monitors: [lostUpdate] });
      digests.add(traceDigest(e.steps));
    }
    expect(digests.size).toBe(1);
  });

  it('consults the schedule only where more than one thread can run', () => {
    const e = runScenario(toySystem(false), { threads: [twoIncr.threads[0]!] }, new ChoiceScheduler([5, 5, 5]), { record: 'full' });
    expect(e.violation).toBeNull();
    expect(e.steps.map((s) => s.thread)).toEqual(['T0', 'T0', 'T0', 'T0']);
  });

  it('records thread, stack, action, changes, context and footprint per step', () => {
    const e = runScenario(toySystem(false), twoIncr, SEQUENTIAL, { record: 'full' });
    const s = e.steps[1]!;
    expect(s.thread).toBe('T0');
    expect(s.stack).toEqual(['incr']);
    expect(s.action).toBe('lock(A)');
    expect(s.context).toEqual(['A']);
    expect(s.writes).toContain('A');
    expect(s.changes).toContainEqual({ obj: 'A', field: 'owner', from: null, to: 'T0' });
    expect(e.steps.find((x) => x.returned)?.returned).toEqual({ op: 'incr', value: null });
  });

  it('does not run a blocked thread and reports a deadlock with what each thread waits for', () => {
    // T0 takes A, T1 takes B, then both block.
    const out = runPath(toySystem(true), abba, [0, 0, 1, 1]);
    expect(out.ok).toBe(true);
    expect(out.exec.runnable()).toEqual([]);
    const v = out.exec.stuck();
    expect(v?.kind).toBe('deadlock');
    expect(v?.report).toContain('T0: blocked in lock_ab at lock(B) — B held by T1');
    expect(v?.report).toContain('T1: blocked in lock_ba at lock(A) — A held by T0');
  });

  it('PCT schedules are deterministic and can expose the race', () => {
    const e = runScenario(toySystem(true), twoIncr, new PctScheduler([10, 5], [2]), { monitors: [lostUpdate] });
    expect(e.violation?.kind).toBe('lost-update');
  });
});

describe('exhaustive search', () => {
  it('finds the lost update that the sequential schedule misses, shortest first', () => {
    expect(runScenario(toySystem(true), twoIncr, SEQUENTIAL, { monitors: [lostUpdate] }).violation).toBeNull();
    const r = exploreScenario(toySystem(true), twoIncr, { monitors: [lostUpdate] });
    expect(r.found?.violation.kind).toBe('lost-update');
    // call, read, (switch) call, read, write, (switch) write
    expect(r.found?.path.length).toBe(6);
    expect(r.coverage.complete).toBe(true);
    expect(exploreScenario(toySystem(false), twoIncr, { monitors: [lostUpdate] }).found).toBeNull();
  });

  it('finds the ABBA deadlock and not in the fixed order', () => {
    const r = exploreScenario(toySystem(true), abba);
    expect(r.found?.violation.kind).toBe('deadlock');
    // T0: call (runs to its first point), lock(A); T1: call, lock(B); both now blocked
    expect(r.found?.path).toEqual([0, 0, 1, 1]);
    expect(exploreScenario(toySystem(false), abba).found).toBeNull();
  });

  it('reductions keep every reachable final state (sleep sets and caching are sound here)', () => {
    const scenarios: Scenario[] = [
      twoIncr,
      abba,
      {
        threads: [
          {
            name: 'T0',
            ops: [
              { op: 'incr', args: {} },
              { op: 'lock_ab', args: {} },
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
      },
    ];
    for (const sc of scenarios) {
      const finals = (sleepSets: boolean, stateCache: boolean) => {
        const seen = new Set<string>();
        const m: Monitor = { name: 'collect', atEnd: (e) => (seen.add(e.world.key()), null) };
        const r = exploreScenario(toySystem(true), sc, { monitors: [m], sleepSets, stateCache, isFailure: () => false });
        return { seen: [...seen].sort(), r };
      };
      const full = finals(false, false);
      for (const [ss, sc2] of [
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const red = finals(ss, sc2);
        expect(red.seen).toEqual(full.seen);
        expect(red.r.coverage.transitions).toBeLessThanOrEqual(full.r.coverage.transitions);
      }
    }
  });

  it('a preemption bound of 0 cannot see the race; 1 can', () => {
    expect(exploreScenario(toySystem(true), twoIncr, { monitors: [lostUpdate], preemptionBound: 0 }).found).toBeNull();
    expect(exploreScenario(toySystem(true), twoIncr, { monitors: [lostUpdate], preemptionBound: 1 }).found).not.toBeNull();
  });

  it('over a bounded space, returns the shortest counterexample of all scenarios and states its coverage', () => {
    const all = exploreSpace(toySystem(true), toySpace, { threads: 2, opsPerThread: 2 }, { monitors: [lostUpdate] });
    expect(all.found?.violation.kind).toBe('deadlock');
    expect(all.found?.path.length).toBe(4);
    const lost = (v: { kind: string }) => v.kind === 'lost-update';
    const r = exploreSpace(toySystem(true), toySpace, { threads: 2, opsPerThread: 2 }, { monitors: [lostUpdate], isFailure: lost });
    expect(r.found?.violation.kind).toBe('lost-update');
    expect(r.found?.path.length).toBe(6);
    expect(r.scenarios).toBeGreaterThan(10);
    expect(r.coverage.states).toBeGreaterThan(0);
    expect(r.coverage.complete).toBe(true);
  });
});

describe('random search', () => {
  it('finds the same bug, and the exhaustive one is no longer than the shrunk random one', () => {
    const bounds = { threads: 2, opsPerThread: 3 };
    const random = randomSearch(toySystem(true), toySpace, bounds, {
      runs: 500,
      seed: 42,
      monitors: [lostUpdate],
      isFailure: (v) => v.kind === 'lost-update',
    });
    expect(random.found?.violation.kind).toBe('lost-update');
    expect(random.found?.scenario.threads).toHaveLength(2);
    const ex = exploreSpace(toySystem(true), toySpace, bounds, { monitors: [lostUpdate], isFailure: (v) => v.kind === 'lost-update' });
    expect(ex.found!.path.length).toBeLessThanOrEqual(random.found!.path.length);
  });

  it('shrinks to the operations the bug needs', () => {
    const r = randomSearch(toySystem(true), toySpace, { threads: 2, opsPerThread: 4 }, { runs: 300, seed: 7, monitors: [lostUpdate] });
    const ops = r.found!.scenario.threads.flatMap((t) => t.ops.map((o) => o.op));
    expect(ops.length, JSON.stringify(r.found)).toBeLessThanOrEqual(2);
  });

  it('PCT schedules find the deadlock too', () => {
    const r = randomSearch(toySystem(true), toySpace, { threads: 2, opsPerThread: 2 }, { runs: 500, seed: 3, schedule: 'pct' });
    expect(r.found).not.toBeNull();
  });

  it('the fixed design passes', () => {
    const r = randomSearch(toySystem(false), toySpace, { threads: 2, opsPerThread: 3 }, { runs: 300, seed: 1, monitors: [lostUpdate] });
    expect(r.found).toBeNull();
    expect(r.runs).toBe(300);
  });
});

describe('counterexample files', () => {
  const save = () => {
    const r = exploreScenario(toySystem(true), twoIncr, { monitors: [lostUpdate] });
    const exec = runPath(toySystem(true), twoIncr, r.found!.path, { record: 'full', monitors: [lostUpdate] }).exec;
    return makeCounterexample({
      design: { name: 'toy-broken', digest: '0'.repeat(64) },
      property: 'no-lost-update',
      found: { mode: 'exhaustive' },
      exec,
    });
  };

  it('round-trips and replays to the identical trace, 100 times', () => {
    const cx = parseCounterexample(JSON.stringify(save(), null, 2));
    expect(cx.schedule.length).toBeGreaterThan(1);
    // the shortest lost update: T0 reads, T1 reads and writes (and returns), T0 writes: T0→T1→T0, two switches in six steps
    expect(cx.trace.steps).toBe(6);
    expect(cx.trace.contextSwitches).toBe(2);
    for (let i = 0; i < 100; i++) {
      const r = replayCounterexample(toySystem(true), cx, [lostUpdate]);
      expect(r.reproduced).toBe(true);
      expect(r.sameTrace).toBe(true);
    }
  });

  it('says plainly when a fixed design no longer reproduces it', () => {
    const r = replayCounterexample(toySystem(false), save(), [lostUpdate]);
    expect(r.reproduced).toBe(false);
    expect(r.reason).toMatch(/cannot run|without a violation|no longer fits/);
  });

  it('rejects malformed files with one clear message', () => {
    const good = JSON.stringify(save());
    const bad = (mut: (o: Record<string, unknown>) => void) => {
      const o = JSON.parse(good);
      mut(o);
      return () => parseCounterexample(JSON.stringify(o));
    };
    expect(() => parseCounterexample(good.slice(0, 40))).toThrow(/not valid JSON/);
    expect(() => parseCounterexample('[]')).toThrow(CounterexampleFormatError);
    expect(bad((o) => (o.version = 9))).toThrow(/^version: expected 1 or 2/);
    expect(bad((o) => (o.schedule = [['nobody', 1]]))).toThrow(/schedule\[0\].*"nobody" is not one/);
    expect(bad((o) => ((o.scenario as { threads: unknown[] }).threads = []))).toThrow(/scenario.threads/);
    expect(bad((o) => ((o.trace as { steps: number }).steps = 999))).toThrow(/trace.steps/);
    expect(bad((o) => delete o.property)).toThrow(/^property:/);
  });
});
