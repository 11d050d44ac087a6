/**
 * Random search and the screen (checker/search/random.ts): run i is a function
 * of (seed, i) alone, so a search started at the run a screen saw fail finds
 * what a search from the first run finds; the kind found first is the kind the
 * shrunk run shows; shrinking and minimizing only ever shorten it; the counts,
 * the progress reports and the time limit say what was done.
 */
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../checker/monitor.ts';
import type { Violation } from '../../checker/point.ts';
import { runPath } from '../../checker/run.ts';
import { type RandomProgress, randomScreen, randomSearch } from '../../checker/search/random.ts';
import type { ScenarioSpace } from '../../checker/space.ts';
import { lostUpdate, toySpace, toySystem } from './toy-system.ts';

const broken = toySystem(true);
const fixed = toySystem(false);
const bounds = { threads: 2, opsPerThread: 3 };
const lost = (v: Violation) => v.kind === 'lost-update';
const kinds = (vs: readonly Violation[]) => vs.map((v) => v.kind);

describe('randomSearch', () => {
  it('is a function of the seed: the same seed, the same result', () => {
    const a = randomSearch(broken, toySpace, bounds, { runs: 300, seed: 11, monitors: [lostUpdate] });
    const b = randomSearch(broken, toySpace, bounds, { runs: 300, seed: 11, monitors: [lostUpdate] });
    expect(a.seed).toBe(11);
    expect(a.found).not.toBeNull();
    expect(b.found).toEqual(a.found);
    expect(b.runs).toBe(a.runs);
    expect(b.steps).toBe(a.steps);
    expect(a.cut).toBe(false);
  });

  it('counts the runs up to the first failure, and the steps of every run it made', () => {
    const r = randomSearch(broken, toySpace, bounds, { runs: 300, seed: 5, monitors: [lostUpdate], isFailure: lost });
    const f = r.found!;
    expect(f.violation.kind).toBe('lost-update');
    expect(r.runs).toBe(f.runsToFailure);
    expect(f.runsToFailure).toBeGreaterThanOrEqual(1);
    // at least one step per run made
    expect(r.steps).toBeGreaterThanOrEqual(r.runs);
    // the returned path replays to the violation it names
    const replay = runPath(broken, f.scenario, f.path, { monitors: [lostUpdate] });
    expect(replay.ok).toBe(true);
    expect(replay.exec.violation?.kind).toBe('lost-update');
    // minimized: no longer than fast-check's shrunk run, and the shortest of its scenario
    expect(f.path.length).toBeLessThanOrEqual(f.shrunkLength);
    expect(f.shortest).toBe(true);
    expect(f.path.length).toBe(6);
  });

  it('passes a design without the bug, making every run asked', () => {
    const r = randomSearch(fixed, toySpace, bounds, { runs: 250, seed: 1, monitors: [lostUpdate] });
    expect(r.found).toBeNull();
    expect(r.runs).toBe(250);
    expect(r.cut).toBe(false);
    expect(r.steps).toBeGreaterThan(250);
    expect(r.seed).toBe(1);
  });

  it('counts only the failures isFailure accepts, and keeps the kind it found first while shrinking', () => {
    // without the monitor the broken toy fails only by deadlock (lock_ab against lock_ba)
    const dead = randomSearch(broken, toySpace, bounds, { runs: 500, seed: 9 });
    expect(dead.found?.violation.kind).toBe('deadlock');
    const none = randomSearch(broken, toySpace, bounds, { runs: 200, seed: 9, isFailure: () => false });
    expect(none.found).toBeNull();
    expect(none.runs).toBe(200);
    // with the monitor: whatever kind shows first stays the kind of the result
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const r = randomSearch(broken, toySpace, bounds, { runs: 300, seed, monitors: [lostUpdate], shrink: false });
      const s = randomSearch(broken, toySpace, bounds, { runs: 300, seed, monitors: [lostUpdate] });
      expect(s.found?.violation.kind, `seed ${seed}`).toBe(r.found?.violation.kind);
      expect(s.found?.runsToFailure).toBe(r.found?.runsToFailure);
    }
  });

  it('without shrinking returns the first failing run as generated; shrinking only makes it smaller', () => {
    const b4 = { threads: 2, opsPerThread: 4 };
    const size = (x: { scenario: { threads: readonly { ops: readonly unknown[] }[] } }) =>
      x.scenario.threads.reduce((n, t) => n + t.ops.length, 0);
    let smaller = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const raw = randomSearch(broken, toySpace, b4, { runs: 300, seed, monitors: [lostUpdate], shrink: false });
      const shrunk = randomSearch(broken, toySpace, b4, { runs: 300, seed, monitors: [lostUpdate] });
      const f = raw.found!;
      const g = shrunk.found!;
      expect(f.shrinks).toBe(0);
      expect(f.shortest).toBe(false);
      expect(f.path.length).toBe(f.shrunkLength);
      expect(f.runsToFailure).toBe(g.runsToFailure);
      expect(raw.runs).toBe(shrunk.runs);
      expect(size(g)).toBeLessThanOrEqual(size(f));
      expect(g.path.length).toBeLessThanOrEqual(f.path.length);
      if (size(g) < size(f)) {
        smaller++;
        expect(g.shrinks).toBeGreaterThan(0);
      }
    }
    expect(smaller).toBeGreaterThan(0);
  });

  it("with minimize off keeps fast-check's shrunk run", () => {
    const r = randomSearch(
      broken,
      toySpace,
      { threads: 2, opsPerThread: 4 },
      { runs: 300, seed: 7, monitors: [lostUpdate], minimize: false },
    );
    expect(r.found!.shortest).toBe(false);
    expect(r.found!.path.length).toBe(r.found!.shrunkLength);
    expect(r.found!.shrinks).toBeGreaterThan(0);
  });

  it('started at the failing run, finds what a search from the first run finds', () => {
    for (const seed of [3, 8, 21]) {
      const full = randomSearch(broken, toySpace, bounds, { runs: 400, seed, monitors: [lostUpdate], isFailure: lost });
      const at = full.found!.runsToFailure;
      const from = randomSearch(broken, toySpace, bounds, { runs: 1, startAt: at, seed, monitors: [lostUpdate], isFailure: lost });
      expect(from.found, `seed ${seed}`).toEqual(full.found);
      expect(from.runs).toBe(at);
      // one run before it: that run passes, and so does the run after it on its own
      if (at > 1) {
        const before = randomSearch(broken, toySpace, bounds, {
          runs: 1,
          startAt: at - 1,
          seed,
          monitors: [lostUpdate],
          isFailure: lost,
          shrink: false,
        });
        expect(before.found?.runsToFailure ?? null).not.toBe(at - 1);
      }
      // asked for more runs than there are from startAt on, it goes on after the start
      const more = randomSearch(broken, toySpace, bounds, { runs: at + 5, startAt: at, seed, monitors: [lostUpdate], isFailure: lost });
      expect(more.found).toEqual(full.found);
    }
  });

  it('passes the execution options through: a step limit below the bug makes every run a livelock', () => {
    const r = randomSearch(broken, toySpace, bounds, { runs: 50, seed: 2, monitors: [lostUpdate], execOptions: { maxSteps: 1 } });
    expect(r.found?.violation.kind).toBe('livelock');
    const m = randomSearch(broken, toySpace, bounds, {
      runs: 300,
      seed: 2,
      monitors: [lostUpdate],
      isFailure: lost,
      execOptions: { maxSteps: 5 },
    });
    expect(m.found).toBeNull();
  });

  it('reports progress every 500 runs', () => {
    const seen: RandomProgress[] = [];
    const r = randomSearch(fixed, toySpace, { threads: 2, opsPerThread: 1 }, { runs: 1200, seed: 4, onProgress: (p) => seen.push(p) });
    expect(r.runs).toBe(1200);
    expect(seen.map((p) => p.runs)).toEqual([500, 1000]);
    expect(seen[0]!.steps).toBeGreaterThan(0);
    expect(seen[1]!.steps).toBeGreaterThan(seen[0]!.steps);
    expect(seen.every((p) => p.millis >= 0)).toBe(true);
    expect(r.steps).toBeGreaterThan(seen[1]!.steps);
  });

  it('a time limit cuts the runs short and says so; a generous one does not', () => {
    const cut = randomSearch(fixed, toySpace, bounds, { runs: 1_000_000, seed: 1, timeLimitMs: 0 });
    expect(cut.cut).toBe(true);
    expect(cut.found).toBeNull();
    expect(cut.runs).toBeLessThan(1_000_000);
    const whole = randomSearch(fixed, toySpace, bounds, { runs: 100, seed: 1, timeLimitMs: 600_000 });
    expect(whole.cut).toBe(false);
    expect(whole.runs).toBe(100);
  });

  it('draws PCT schedules with a priority for each thread the space may have', () => {
    // one role of up to 3 threads, only 2 of which the bounds allow: PCT still finds the deadlock and the lost update
    const space: ScenarioSpace = {
      roles: [{ role: 'w', commands: [{ op: 'lock_ab' }, { op: 'lock_ba' }, { op: 'incr' }], min: 2, max: 3 }],
    };
    const dead = randomSearch(broken, space, { threads: 2, opsPerThread: 1 }, { runs: 300, seed: 3, schedule: 'pct' });
    expect(dead.found?.violation.kind).toBe('deadlock');
    expect(dead.found?.scenario.threads.map((t) => t.name)).toEqual(['w0', 'w1']);
    const uni = randomSearch(broken, space, { threads: 2, opsPerThread: 1 }, { runs: 300, seed: 3, schedule: 'uniform' });
    expect(uni.found?.violation.kind).toBe('deadlock');
  });
});

describe('randomSearch and randomScreen, further', () => {
  it('without a seed, draws one: a non-negative 31-bit integer; every time is a duration', () => {
    const r = randomSearch(fixed, toySpace, bounds, { runs: 20 });
    const s = randomScreen(fixed, toySpace, bounds, { runs: 20, monitors: [], onRun: () => false });
    for (const x of [r, s]) {
      expect(Number.isInteger(x.seed)).toBe(true);
      expect(x.seed).toBeGreaterThanOrEqual(0);
      expect(x.seed).toBeLessThan(2 ** 31);
      expect(x.millis).toBeGreaterThanOrEqual(0);
      expect(x.millis).toBeLessThan(600_000);
    }
    const found = randomSearch(broken, toySpace, bounds, { runs: 300, seed: 1, monitors: [lostUpdate] });
    expect(found.found).not.toBeNull();
    expect(found.millis).toBeLessThan(600_000);
    const progress: number[] = [];
    randomScreen(
      fixed,
      toySpace,
      { threads: 2, opsPerThread: 1 },
      { runs: 500, seed: 1, monitors: [], onRun: () => false, onProgress: (p) => progress.push(p.millis) },
    );
    randomSearch(fixed, toySpace, { threads: 2, opsPerThread: 1 }, { runs: 500, seed: 1, onProgress: (p) => progress.push(p.millis) });
    expect(progress).toHaveLength(2);
    for (const m of progress) expect(m).toBeLessThan(600_000);
  });

  it('started at a later run of a passing design, makes the runs from there to the last asked', () => {
    const r = randomSearch(fixed, toySpace, bounds, { runs: 10, startAt: 4, seed: 1, monitors: [lostUpdate] });
    expect(r.found).toBeNull();
    expect(r.runs).toBe(10);
    const past = randomSearch(fixed, toySpace, bounds, { runs: 3, startAt: 8, seed: 1, monitors: [lostUpdate] });
    // at least the run it starts at
    expect(past.runs).toBe(8);
  });

  it("the screen's monitors do not end a run: a monitor's early violation and the lost update at the end, both", () => {
    const early: Monitor = { name: 'early', afterStep: (x) => (x.stepCount === 2 ? { kind: 'early', message: 'step 2' } : null) };
    const runs: string[][] = [];
    randomScreen(broken, toySpace, bounds, {
      runs: 200,
      seed: 5,
      monitors: [early, lostUpdate],
      onRun: (vs) => (runs.push(kinds(vs)), false),
    });
    expect(runs.some((k) => k.includes('early') && k.includes('lost-update'))).toBe(true);
  });

  it('a PCT run of the screen is the same run of the search, whatever the roles allow', () => {
    const spaces: ScenarioSpace[] = [
      { roles: [{ role: 'w', commands: [{ op: 'incr' }], min: 1, max: 3 }] },
      { roles: [{ role: 'w', commands: [{ op: 'incr' }], min: 1 }] },
    ];
    for (const space of spaces)
      for (const seed of [1, 2, 3, 4]) {
        let first = 0;
        randomScreen(broken, space, bounds, {
          runs: 300,
          seed,
          schedule: 'pct',
          monitors: [lostUpdate],
          onRun: (vs, run) => {
            if (first === 0 && vs.some(lost)) first = run;
            return first !== 0;
          },
        });
        const r = randomSearch(broken, space, bounds, {
          runs: 300,
          seed,
          schedule: 'pct',
          monitors: [lostUpdate],
          isFailure: lost,
          shrink: false,
        });
        expect(r.found?.runsToFailure ?? 0, `seed ${seed}`).toBe(first);
        expect(first).toBeGreaterThan(0);
      }
  });
});

describe('randomScreen', () => {
  it("gives each run's violations, monitors' first and the model's own last, and its runs are randomSearch's", () => {
    const seen: { run: number; kinds: string[] }[] = [];
    const s = randomScreen(broken, toySpace, bounds, {
      runs: 300,
      seed: 13,
      monitors: [lostUpdate],
      onRun: (vs, run) => {
        if (vs.length > 0) seen.push({ run, kinds: kinds(vs) });
        return false;
      },
    });
    expect(s).toMatchObject({ runs: 300, cut: false, seed: 13 });
    expect(s.steps).toBeGreaterThan(300);
    expect(seen.length).toBeGreaterThan(0);
    // a deadlock ends a run; a lost update, seen at the end, comes before it
    for (const r of seen) {
      expect(r.kinds.slice(0, -1).every((k) => k === 'lost-update')).toBe(true);
      expect(r.kinds.filter((k) => k === 'deadlock').length).toBeLessThanOrEqual(1);
    }
    const firstLost = seen.find((r) => r.kinds.includes('lost-update'))!.run;
    const search = randomSearch(broken, toySpace, bounds, { runs: 300, seed: 13, monitors: [lostUpdate], isFailure: lost, shrink: false });
    expect(search.found!.runsToFailure).toBe(firstLost);
    const firstAny = seen[0]!.run;
    const any = randomSearch(broken, toySpace, bounds, { runs: 300, seed: 13, monitors: [lostUpdate], shrink: false });
    expect(any.found!.runsToFailure).toBe(firstAny);
  });

  it('stops after the run onRun says is enough, and that is no cut', () => {
    const s = randomScreen(broken, toySpace, bounds, { runs: 300, seed: 13, monitors: [lostUpdate], onRun: (_, run) => run === 17 });
    expect(s.runs).toBe(17);
    expect(s.cut).toBe(false);
    const t = randomScreen(broken, toySpace, bounds, {
      runs: 300,
      seed: 13,
      monitors: [lostUpdate],
      timeLimitMs: 600_000,
      onRun: () => true,
    });
    expect(t).toMatchObject({ runs: 1, cut: false });
  });

  it('reports progress every 500 runs, and is cut by a time limit', () => {
    const seen: number[] = [];
    const s = randomScreen(
      fixed,
      toySpace,
      { threads: 2, opsPerThread: 1 },
      {
        runs: 1100,
        seed: 2,
        monitors: [lostUpdate],
        onRun: (vs) => {
          expect(vs).toEqual([]);
          return false;
        },
        onProgress: (p) => seen.push(p.runs),
      },
    );
    expect(s.runs).toBe(1100);
    expect(seen).toEqual([500, 1000]);
    const cut = randomScreen(fixed, toySpace, bounds, { runs: 1_000_000, seed: 2, monitors: [], timeLimitMs: 0, onRun: () => false });
    expect(cut.cut).toBe(true);
    expect(cut.runs).toBeLessThan(1_000_000);
    const whole = randomScreen(fixed, toySpace, bounds, { runs: 50, seed: 2, monitors: [], timeLimitMs: 600_000, onRun: () => false });
    expect(whole).toMatchObject({ runs: 50, cut: false });
  });
});
