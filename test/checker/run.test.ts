/**
 * Driving an execution (checker/run.ts): under a scheduler, consulted only
 * where more than one thread can run and told who ran last; along a fixed
 * path, failing at the first step that does not fit; and back to the end of a
 * path for a search, which must replay or the model is not deterministic.
 */
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../checker/monitor.ts';
import { replayTo, runPath, runScenario } from '../../checker/run.ts';
import type { Scheduler } from '../../checker/schedule.ts';
import { abba, lostUpdate, toySystem, twoIncr } from './toy-system.ts';

describe('runScenario', () => {
  it('asks the scheduler only at a choice, with who ran last, and ends a deadlock as stuck', () => {
    const asked: [number[], number][] = [];
    const lastFirst: Scheduler = {
      choose(runnable, last) {
        asked.push([[...runnable], last]);
        return runnable[runnable.length - 1] as number;
      },
    };
    const e = runScenario(toySystem(true), twoIncr, lastFirst, { monitors: [lostUpdate] });
    expect(e.path).toEqual([1, 1, 1, 0, 0, 0]);
    // the first choice has nobody before it; once T1 is done T0 runs alone, unasked
    expect(asked).toEqual([
      [[0, 1], -1],
      [[0, 1], 1],
      [[0, 1], 1],
    ]);
    expect(e.violation).toBeNull();
    const d = runScenario(toySystem(true), abba, { choose: (r, last) => (r.find((t) => t !== last) ?? r[0]) as number });
    expect(d.violation?.kind).toBe('deadlock');
    expect(d.path).toEqual([0, 1, 0, 1]);
  });
});

describe('runPath', () => {
  it('follows the path, and says where it stops fitting', () => {
    const ok = runPath(toySystem(true), twoIncr, [0, 0, 1, 1, 1, 0], { monitors: [lostUpdate] });
    expect(ok.ok).toBe(true);
    expect(ok.exec.violation?.kind).toBe('lost-update');
    const long = runPath(toySystem(true), twoIncr, [0, 0, 0, 1, 1, 1, 1]);
    expect(long).toMatchObject({ ok: false, at: 6, reason: 'the execution ended after 6 of 7 steps' });
    const blocked = runPath(toySystem(true), abba, [0, 0, 1, 1, 0]);
    expect(blocked).toMatchObject({ ok: false, at: 4, reason: 'step 4: thread T0 cannot run (lock(B))' });
    expect(() => runPath(toySystem(true), twoIncr, [2])).toThrow('no thread 2');
  });

  it('a path that ends where no thread can run ends the execution as stuck', () => {
    const d = runPath(toySystem(true), abba, [0, 0, 1, 1]);
    expect(d.ok).toBe(true);
    expect(d.exec.violation?.kind).toBe('deadlock');
    const half = runPath(toySystem(true), twoIncr, [0, 0]);
    expect(half.exec.isOver()).toBe(false);
    expect(half.exec.violation).toBeNull();
  });
});

describe('replayTo', () => {
  it('brings an execution to the end of the path, soft violations cleared, recording what the search asks from there', () => {
    const soft: Monitor = { name: 'soft', afterStep: (x) => (x.stepCount === 1 ? { kind: 's', message: 'one' } : null) };
    const e = replayTo(toySystem(true), twoIncr, [0, 0, 1], { record: 'footprint', softMonitors: true, monitors: [soft] });
    expect(e.path).toEqual([0, 0, 1]);
    expect(e.soft).toEqual([]);
    // footprints from here on
    expect(e.step(1).writes.length).toBeGreaterThan(0);
    const plain = replayTo(toySystem(true), twoIncr, [0], {});
    expect(plain.step(0)).toEqual({ reads: [], writes: [], counts: [] });
  });

  it('a path that does not replay means the model is not deterministic', () => {
    expect(() => replayTo(toySystem(true), abba, [0, 0, 1, 1, 0], {})).toThrow(
      'nondeterministic model: replay diverged (step 4: thread T0 cannot run (lock(B)))',
    );
  });
});
