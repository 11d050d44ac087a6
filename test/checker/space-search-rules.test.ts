/**
 * The rules of a search over a list of scenarios (checker/search/space-search.ts)
 * that space.test.ts's end-to-end cases cannot tell apart: a tie between
 * scenarios keeps the earlier (checked on SpaceFindings alone, since the search
 * never even looks for an equal one), a later scenario is searched only for a
 * strictly shorter counterexample, the time budget left is passed on, and a
 * verdict that ends the search ends it.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../checker/scenario.ts';
import { emptyCoverage, type Found } from '../../checker/search/exhaustive.ts';
import { exploreScenarios, SpaceFindings } from '../../checker/search/space-search.ts';
import { lostUpdate, toySystem } from './toy-system.ts';

const system = toySystem(true);
const t = (name: string, ...ops: string[]) => ({ name, ops: ops.map((op) => ({ op, args: {} })) });
const lost: Scenario = { threads: [t('T0', 'incr'), t('T1', 'incr')] };
const lostLonger: Scenario = { threads: [t('T0', 'incr', 'incr'), t('T1', 'incr')] };
const dead: Scenario = { threads: [t('T0', 'lock_ab'), t('T1', 'lock_ba')] };

describe('SpaceFindings', () => {
  const found = (n: number) => ({ path: Array.from({ length: n }, () => 0), violation: { kind: 'k', message: 'm' } }) as unknown as Found;
  const result = (n: number | null) => ({ found: n === null ? null : found(n), byKind: new Map(), coverage: emptyCoverage() });

  it('keeps the earlier of two equally short counterexamples, and a later strictly shorter one', () => {
    const acc = new SpaceFindings();
    acc.add(lost, result(3));
    acc.add(lostLonger, result(3));
    expect(acc.found?.scenario).toBe(lost);
    acc.add(dead, result(4));
    expect(acc.found?.scenario).toBe(lost);
    acc.add(dead, result(2));
    expect(acc.found?.scenario).toBe(dead);
    acc.add(lost, result(null));
    expect(acc.found?.scenario).toBe(dead);
    expect(acc.scenarios).toBe(5);
  });
});

describe('exploreScenarios', () => {
  const states = (list: Scenario[], collectAll = false) =>
    exploreScenarios(system, list, { monitors: [lostUpdate], collectAll }).coverage.states;

  it('searches a later scenario only for a strictly shorter counterexample (unless collecting all)', () => {
    const alone = states([lostLonger]);
    const first = states([lost]);
    // after lost's 6-step counterexample, lostLonger is searched to depth 5 only: fewer states than alone
    expect(states([lost, lostLonger])).toBeLessThan(first + alone);
    expect(states([lost, lostLonger], true)).toBe(first + alone);
  });

  it('passes on the time left, and searches nothing when none is left', () => {
    const none = exploreScenarios(system, [lost, dead], { monitors: [lostUpdate], timeLimitMs: 0 });
    expect(none.coverage.complete).toBe(false);
    expect(none.scenarios).toBe(0);
    expect(none.found).toBeNull();
    const ample = exploreScenarios(system, [lost, dead], { monitors: [lostUpdate], timeLimitMs: 60_000 });
    expect(ample.coverage.complete).toBe(true);
    expect(ample.scenarios).toBe(2);
    expect(ample.found?.scenario).toBe(dead);
  });

  it('stops after the scenario whose verdict ends the search', () => {
    const seen: number[] = [];
    const r = exploreScenarios(
      system,
      [lost, dead, lostLonger],
      { monitors: [lostUpdate], collectAll: true, endsSearch: (v) => v.kind === 'deadlock' },
      (done) => seen.push(done),
    );
    expect(seen).toEqual([1, 2]);
    expect(r.byKind.has('deadlock')).toBe(true);
    const all = exploreScenarios(system, [lost, dead, lostLonger], { monitors: [lostUpdate], collectAll: true });
    expect(all.scenarios).toBe(3);
  });
});
