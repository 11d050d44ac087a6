/**
 * The exhaustive search's bookkeeping, each rule by a count that follows from
 * the toy's shape (test/checker/exhaustive-options.test.ts has the toy): two
 * threads of three steps each, 20 interleavings. Backtracking by restore
 * restores once per child after the first, so a search with nothing pruned
 * restores one less than it has executions, and replays nothing. Shares of
 * the first step split the executions between them. A preemption bound is
 * carried down the path: with at most one preemption, each thread may be
 * interrupted once before the other runs to its end. Soft violations (when
 * collecting every kind) are noted where they happen and the execution goes on.
 */
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../checker/monitor.ts';
import { addCoverage, emptyCoverage, exploreScenario } from '../../checker/search/exhaustive.ts';
import { abba, lostUpdate, plain, toySystem, twoIncr } from './toy-system.ts';

const system = toySystem(true);

describe('backtracking', () => {
  it('restores once per child after the first, and replays nothing, when it can restore', () => {
    const r = exploreScenario(system, twoIncr, plain);
    expect(r.coverage.executions).toBe(20);
    expect(r.coverage.restores).toBe(r.coverage.executions - 1);
    expect(r.coverage.replaySteps).toBe(0);
  });

  it('by replay, rebuilds once per child after the first instead', () => {
    const r = exploreScenario(system, twoIncr, { ...plain, backtrack: 'replay' });
    expect(r.coverage.restores).toBe(0);
    // every rebuild replays the path to a state with two runnable threads: at least one step, at most four
    expect(r.coverage.replaySteps).toBeGreaterThanOrEqual(r.coverage.executions - 1);
    expect(r.coverage.replaySteps).toBeLessThanOrEqual(4 * (r.coverage.executions - 1));
  });
});

describe('a preemption bound', () => {
  it('of 1: each order may interrupt its first thread once, after its first or second step: 2 + 4 executions', () => {
    const r = exploreScenario(system, twoIncr, { ...plain, preemptionBound: 1 });
    expect(r.coverage.executions).toBe(6);
    expect(r.coverage.complete).toBe(false);
  });

  it('of 2 takes in every order with two interruptions, not all 20', () => {
    const two = exploreScenario(system, twoIncr, { ...plain, preemptionBound: 2 });
    expect(two.coverage.executions).toBeGreaterThan(6);
    expect(two.coverage.executions).toBeLessThan(20);
  });
});

describe('shares of the first step', () => {
  const shared = (options: object) => {
    const whole = exploreScenario(system, twoIncr, { ...options, monitors: [lostUpdate], collectAll: true });
    const shares = [0, 1].map((index) =>
      exploreScenario(system, twoIncr, { ...options, monitors: [lostUpdate], collectAll: true, rootShare: { index, of: 2 } }),
    );
    return { whole, shares };
  };

  it('split the executions between them, each exploring the paths of its own first step', () => {
    const { whole, shares } = shared(plain);
    expect(shares.map((s) => s.coverage.executions)).toEqual([10, 10]);
    shares.forEach((s, index) => {
      expect(s.byKind.get('lost-update')?.path[0]).toBe(index);
    });
    expect(shares.some((s) => s.byKind.get('lost-update')?.path.join() === whole.byKind.get('lost-update')?.path.join())).toBe(true);
  });

  it('with sleep sets, a later share sleeps on the first steps it skipped, as the whole search does', () => {
    const { whole, shares } = shared({ stateCache: false });
    expect(shares.map((s) => s.coverage.executions).reduce((a, b) => a + b)).toBe(whole.coverage.executions);
    // the first step of incr touches nothing: T0's sleeps through all of T1's, and the second share ends nothing
    expect(shares[1]?.coverage.executions).toBe(0);
    expect(shares[1]?.coverage.prunedBySleepSet).toBeGreaterThan(0);
  });

  it('a share of one is the whole search', () => {
    const whole = exploreScenario(system, twoIncr, plain);
    const one = exploreScenario(system, twoIncr, { ...plain, rootShare: { index: 0, of: 1 } });
    expect(one.coverage.executions).toBe(whole.coverage.executions);
    expect(one.coverage.transitions).toBe(whole.coverage.transitions);
  });

  it('are refused with DPOR', () => {
    expect(() => exploreScenario(system, twoIncr, { dpor: true, rootShare: { index: 0, of: 2 } })).toThrow(
      /^a share of the first steps is not for DPOR$/,
    );
  });
});

describe('the reductions a search names', () => {
  it('DPOR with its state cache, or without', () => {
    const dpor = 'dynamic partial-order reduction (Flanagan-Godefroid, sleep sets, subtree summaries at cache hits)';
    expect(exploreScenario(system, twoIncr, { dpor: true }).coverage.reductions).toEqual([
      dpor,
      'state caching (64-bit fingerprints of world + thread frames (logs for code outside the compiled subset))',
    ]);
    expect(exploreScenario(system, twoIncr, { dpor: true, stateCache: false }).coverage.reductions).toEqual([dpor]);
  });

  it('the cached and sleeping search finds a counterexample with as few switches as the plain one', () => {
    const full = exploreScenario(system, twoIncr, { ...plain, monitors: [lostUpdate] });
    const reduced = exploreScenario(system, twoIncr, { monitors: [lostUpdate] });
    expect(reduced.found?.switches).toBe(full.found?.switches);
    expect(reduced.found?.path).toHaveLength(6);
  });
});

describe('soft violations, when collecting every kind', () => {
  const afterRead: Monitor = {
    name: 'saw-one',
    afterStep: (exec) => (exec.world.peek('counter', 'value') === 1 ? { kind: 'saw-one', message: 'counter is 1' } : null),
  };
  const stuckClaim: Monitor = {
    name: 'stuck-claim',
    atStuck: (_exec, blocked) => ({ kind: 'stuck-claim', message: `${blocked.length} blocked` }),
  };

  it('a step’s is noted and its execution goes on', () => {
    const r = exploreScenario(system, twoIncr, { ...plain, monitors: [afterRead, lostUpdate], collectAll: true });
    expect(r.coverage.executions).toBe(20);
    expect([...r.byKind.keys()].sort()).toEqual(['lost-update', 'saw-one']);
    expect(r.byKind.get('saw-one')?.violation.message).toBe('counter is 1');
  });

  it('one at a state no thread can leave is noted beside the deadlock, in the same execution', () => {
    const without = exploreScenario(system, abba, { ...plain, collectAll: true });
    const r = exploreScenario(system, abba, { ...plain, monitors: [stuckClaim], collectAll: true });
    expect(r.coverage.executions).toBe(without.coverage.executions);
    expect([...r.byKind.keys()].sort()).toEqual([...without.byKind.keys(), 'stuck-claim'].sort());
    expect(r.byKind.get('stuck-claim')?.path).toEqual(without.byKind.get('deadlock')?.path);
  });
});

describe('the coverage of a search', () => {
  it('names the groups a transaction reduction could not prove, sorted, or none', () => {
    const text = (unproven: ReadonlySet<string>) =>
      exploreScenario(system, twoIncr, { reduce: { unproven } }).coverage.reductions.find((r) => r.startsWith('transaction'));
    expect(text(new Set())).toBe('transaction reduction (Lipton movers)');
    expect(text(new Set(['ww_mutex', 'rwsem']))).toBe(
      'transaction reduction (Lipton movers; not proven free of trylocks and frees: rwsem, ww_mutex)',
    );
  });

  it('a sum keeps the longer list of reductions, the first of two as long', () => {
    const a = { ...emptyCoverage(), reductions: ['a1', 'a2'] };
    const b = { ...emptyCoverage(), reductions: ['b1'] };
    expect(addCoverage(a, b).reductions).toEqual(['a1', 'a2']);
    expect(addCoverage(b, a).reductions).toEqual(['a1', 'a2']);
    expect(addCoverage(b, { ...b, reductions: ['c1'] }).reductions).toEqual(['b1']);
    expect(emptyCoverage().reductions).toEqual([]);
  });

  it('with the cache and sleep sets pruning, every path found is an execution of the scenario, and the deepest state is 5 steps in', () => {
    const r = exploreScenario(system, twoIncr, { monitors: [lostUpdate], collectAll: true });
    expect(r.coverage.prunedByCache + r.coverage.prunedBySleepSet).toBeGreaterThan(0);
    // two threads of three steps: an execution that ends at quiescence has six
    expect(r.byKind.get('lost-update')?.path).toHaveLength(6);
    expect(r.coverage.maxDepthSeen).toBe(5);
  });
});
