/**
 * The exhaustive search's options, each by what it changes, on interleavings
 * small enough to count by hand: two threads of one unlocked increment are 3
 * steps each (read, write, return), so C(6,3) = 20 interleavings and, as a
 * tree, Σ C(i+j, i) over 0 ≤ i, j ≤ 3 less the root = C(8,4) − 2 = 68 steps.
 */
import { describe, expect, it } from 'vitest';
import { Execution } from '../../checker/execution.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { addCoverage, emptyCoverage, exploreScenario } from '../../checker/search/exhaustive.ts';
import { lostUpdate, plain, thread, toySystem, twoIncr } from './toy-system.ts';

const system = toySystem(true);

describe('exploreScenario options', () => {
  it('without reductions, every interleaving: 20 executions, 68 steps, depth 6, no states', () => {
    const r = exploreScenario(system, twoIncr, plain);
    expect(r.coverage.executions).toBe(20);
    expect(r.coverage.transitions).toBe(68);
    // the deepest state opened: the step out of it ends the execution
    expect(r.coverage.maxDepthSeen).toBe(5);
    expect(r.coverage.states).toBe(0);
    expect(r.coverage.prunedByCache).toBe(0);
    expect(r.coverage.prunedBySleepSet).toBe(0);
    expect(r.coverage.complete).toBe(true);
    expect(r.coverage.stopped).toBe(false);
    expect(r.coverage.reductions).toEqual([]);
    expect(r.found).toBeNull();
  });

  it('collectAll counts every execution as well, and keeps the shortest of each kind', () => {
    const r = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], collectAll: true });
    expect(r.coverage.executions).toBe(20);
    expect([...r.byKind.keys()]).toEqual(['lost-update']);
    expect(r.byKind.get('lost-update')?.path).toHaveLength(6);
    // the fewest switches among the shortest: read, read… needs two (T0 T1 T0 or T0 T1 … T0)
    expect(r.byKind.get('lost-update')?.switches).toBe(2);
    expect(r.found?.path).toEqual(r.byKind.get('lost-update')?.path);
  });

  it('the reductions explore less and find the same shortest counterexample', () => {
    const full = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate] });
    const cached = exploreScenario(system, twoIncr, { sleepSets: false, monitors: [lostUpdate] });
    const sleep = exploreScenario(system, twoIncr, { stateCache: false, monitors: [lostUpdate] });
    const both = exploreScenario(system, twoIncr, { monitors: [lostUpdate] });
    for (const r of [cached, sleep, both]) {
      expect(r.found?.path).toEqual(full.found?.path);
      expect(r.coverage.transitions).toBeLessThan(full.coverage.transitions);
    }
    expect(cached.coverage.prunedByCache).toBeGreaterThan(0);
    expect(cached.coverage.states).toBeGreaterThan(0);
    expect(cached.coverage.reductions).toEqual([
      'state caching (64-bit fingerprints of world + thread frames (logs for code outside the compiled subset))',
    ]);
    const onLogs = exploreScenario(system, twoIncr, { sleepSets: false, monitors: [lostUpdate], execOptions: { engine: 'generators' } });
    expect(onLogs.coverage.reductions).toEqual(['state caching (64-bit fingerprints of world + thread-local logs)']);
    expect(sleep.coverage.prunedBySleepSet).toBeGreaterThan(0);
    expect(sleep.coverage.reductions).toEqual(['sleep sets']);
    const exact = exploreScenario(system, twoIncr, { exactKeys: true, monitors: [lostUpdate] });
    expect(exact.coverage.reductions).toEqual([
      'sleep sets',
      'state caching (full keys of world + thread frames (logs for code outside the compiled subset), with their 64-bit fingerprints)',
    ]);
    expect(exact.coverage.states).toBe(both.coverage.states);
  });

  it('shorterThan: only counterexamples shorter than it (the shortest lost update is 6 steps)', () => {
    expect(exploreScenario(system, twoIncr, { monitors: [lostUpdate], shorterThan: 6 }).found).toBeNull();
    expect(exploreScenario(system, twoIncr, { monitors: [lostUpdate], shorterThan: 7 }).found?.path).toHaveLength(6);
  });

  it('firstOnly and endsSearch stop at the first; endsSearch leaves the search incomplete only when it fires', () => {
    const first = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], firstOnly: true });
    expect(first.found?.violation.kind).toBe('lost-update');
    expect(first.coverage.executions).toBeLessThan(20);
    const ends = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], endsSearch: (v) => v.kind === 'lost-update' });
    expect(ends.coverage.executions).toBe(first.coverage.executions);
    const never = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], endsSearch: () => false });
    expect(never.coverage.executions).toBe(20);
  });

  it('isFailure: other violations end their execution but are not counterexamples', () => {
    const r = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], isFailure: (v) => v.kind !== 'lost-update' });
    expect(r.found).toBeNull();
    expect(r.coverage.executions).toBe(20);
  });

  it('maxDepth: a longer execution is cut (a livelock), shorter limits find nothing longer', () => {
    const r = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], maxDepth: 5, collectAll: true });
    expect(r.byKind.has('lost-update')).toBe(false);
    expect(r.coverage.maxDepthSeen).toBeLessThanOrEqual(5);
    expect([...r.byKind.keys()].length).toBeGreaterThan(0);
  });

  it('a preemption bound of 0 runs each thread to its end: two executions, four cuts, incomplete', () => {
    const r = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], preemptionBound: 0, collectAll: true });
    expect(r.byKind.size).toBe(0);
    // each order cuts the switch after the first thread's read and after its write: 2 × 2
    expect(r.coverage.cutByPreemption).toBe(4);
    expect(r.coverage.executions).toBe(2);
    expect(r.coverage.complete).toBe(false);
    expect(r.coverage.reductions).toEqual(['preemption bound 0']);
    const one = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate], preemptionBound: 1, collectAll: true });
    expect([...one.byKind.keys()]).toEqual(['lost-update']);
  });

  it('replay explores what restore explores, with replayed steps instead of restores', () => {
    const restore = exploreScenario(system, twoIncr, { monitors: [lostUpdate], collectAll: true });
    const replay = exploreScenario(system, twoIncr, { monitors: [lostUpdate], collectAll: true, backtrack: 'replay' });
    expect(replay.coverage.states).toBe(restore.coverage.states);
    expect(replay.coverage.transitions).toBe(restore.coverage.transitions);
    expect(replay.coverage.executions).toBe(restore.coverage.executions);
    expect(replay.coverage.replaySteps).toBeGreaterThan(0);
    expect(replay.coverage.restores).toBe(0);
    expect(restore.coverage.restores).toBeGreaterThan(0);
    expect(replay.coverage.reductions).toContain('backtracking by replay');
    expect(restore.coverage.reductions).not.toContain('backtracking by replay');
  });

  it('a caller’s stop, asked every 1,024 states, ends the search incomplete', () => {
    const big: Scenario = {
      threads: [thread('T0', 'incr', 'incr', 'incr'), thread('T1', 'incr', 'incr', 'incr'), thread('T2', 'incr', 'incr')],
    };
    let asked = 0;
    const r = exploreScenario(system, big, {
      ...plain,
      stop: () => {
        asked++;
        return true;
      },
    });
    expect(asked).toBe(1);
    expect(r.coverage.stopped).toBe(true);
    expect(r.coverage.complete).toBe(false);
    expect(r.coverage.executions).toBeGreaterThan(0);
    const fine = exploreScenario(system, twoIncr, { ...plain, stop: () => false });
    expect(fine.coverage.complete).toBe(true);
  });
  it('sleeps threads by a 32-bit mask: thread 31 sleeps as thread 0 does, and a 33rd thread is refused', () => {
    const idle = (n: number) => Array.from({ length: n }, (_, i) => thread(`idle${i}`));
    const ends = (first: string, last: string, n: number): Scenario => ({
      threads: [thread(first, 'incr'), ...idle(n), thread(last, 'incr')],
    });
    const small = exploreScenario(system, ends('T0', 'T1', 0), { monitors: [lostUpdate] }).coverage;
    const wide = exploreScenario(system, ends('T0', 'T31', 30), { monitors: [lostUpdate] }).coverage;
    expect(wide.prunedBySleepSet).toBe(small.prunedBySleepSet);
    expect(wide.states).toBe(small.states);
    expect(wide.prunedBySleepSet).toBeGreaterThan(0);
    expect(() => exploreScenario(system, ends('T0', 'T32', 31), {})).toThrow('the sleep-set search handles at most 32 threads');
    expect(exploreScenario(system, ends('T0', 'T32', 31), { sleepSets: false, monitors: [lostUpdate] }).found?.violation.kind).toBe(
      'lost-update',
    );
  });
  it('shortest: false visits every state the shortest-path search does, each fewer times, and finds every kind it finds', () => {
    const three: Scenario = { threads: ['T0', 'T1', 'T2'].map((t) => thread(t, 'incr', 'incr')) };
    const full = exploreScenario(system, three, { monitors: [lostUpdate], collectAll: true });
    const once = exploreScenario(system, three, { monitors: [lostUpdate], collectAll: true, shortest: false });
    expect(once.coverage.states).toBe(full.coverage.states);
    expect(once.coverage.transitions).toBeLessThan(full.coverage.transitions);
    expect([...once.byKind.keys()]).toEqual([...full.byKind.keys()]);
    expect(once.byKind.get('lost-update')?.path.length).toBeGreaterThanOrEqual(full.byKind.get('lost-update')?.path.length ?? 0);
    expect(once.coverage.reductions).toContain(
      'no state explored again for a shorter path (a counterexample is the first found, not the shortest)',
    );
    expect(full.coverage.reductions.some((r) => r.startsWith('no state explored again'))).toBe(false);
  });

  it('a system that starts running begins each execution with every thread at its first point', () => {
    const running = { ...system, startsRunning: true };
    const exec = new Execution(running, twoIncr);
    expect(exec.path).toEqual([0, 1]);
    expect([0, 1].map((t) => exec.nextAction(t))).toEqual(['READ_ONCE(counter)', 'READ_ONCE(counter)']);
    // only operations after the first start as steps: the second incr of T0 is still a call
    const later = new Execution(running, { threads: [thread('T0', 'incr', 'incr')] });
    for (let i = 0; i < 2; i++) later.step(0);
    expect(later.nextAction(0)).toBe('call incr()');
    const from = exploreScenario(running, twoIncr, { monitors: [lostUpdate] });
    const not = exploreScenario(system, twoIncr, { monitors: [lostUpdate] });
    // the states where one thread has started and the other not are gone; the bug and its length after the starts stay
    expect(from.coverage.states).toBeLessThan(not.coverage.states);
    expect(from.found?.violation.kind).toBe('lost-update');
    expect(from.found?.path.length).toBe((not.found?.path.length ?? 0) - 2);
  });
});

describe('addCoverage', () => {
  it('sums counts, takes the deepest, and is complete only when both are', () => {
    const a = {
      ...emptyCoverage(),
      executions: 2,
      states: 3,
      transitions: 4,
      replaySteps: 5,
      restores: 6,
      prunedByCache: 7,
      prunedBySleepSet: 8,
      cutByPreemption: 9,
      maxDepthSeen: 10,
      collisionProbability: 0.5,
      millis: 11,
      reductions: ['x'],
    };
    const b = {
      ...emptyCoverage(),
      executions: 1,
      states: 1,
      transitions: 1,
      replaySteps: 1,
      restores: 1,
      prunedByCache: 1,
      prunedBySleepSet: 1,
      cutByPreemption: 1,
      maxDepthSeen: 20,
      collisionProbability: 0.25,
      millis: 1,
      complete: false,
      stopped: true,
      memoryCut: true,
      reductions: ['y', 'z'],
    };
    expect(addCoverage(a, b)).toEqual({
      executions: 3,
      states: 4,
      transitions: 5,
      replaySteps: 6,
      restores: 7,
      prunedByCache: 8,
      prunedBySleepSet: 9,
      cutByPreemption: 10,
      maxDepthSeen: 20,
      collisionProbability: 0.75,
      complete: false,
      memoryCut: true,
      stopped: true,
      reductions: ['y', 'z'],
      millis: 12,
    });
    expect(addCoverage(b, a).maxDepthSeen).toBe(20);
    expect(addCoverage(a, a)).toMatchObject({ complete: true, memoryCut: false, stopped: false, reductions: ['x'] });
  });
});
