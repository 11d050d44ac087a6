/**
 * Bounded scenario spaces (checker/space.ts) counted by hand, and the search
 * over a list of scenarios (checker/search/space-search.ts): the shortest
 * counterexample over the list, the earlier of two equally short ones, the
 * limits that end it, and what it says it searched.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../checker/scenario.ts';
import { emptyCoverage } from '../../checker/search/exhaustive.ts';
import { asList, exploreScenarios, exploreSpace, SpaceFindings } from '../../checker/search/space-search.ts';
import { enumerateScenarios, expandCommand, preludeOf, type RoleSpec, threadCounts } from '../../checker/space.ts';
import { lostUpdate, toySpace, toySystem } from './toy-system.ts';

const shape = (s: Scenario) =>
  s.threads
    .map((t) => `${t.name}:${t.ops.map((o) => o.op + (Object.keys(o.args).length ? JSON.stringify(o.args) : '')).join('+')}`)
    .join(' ');

describe('expandCommand', () => {
  it('gives every combination of the argument domains, first argument slowest', () => {
    expect(expandCommand({ op: 'x' })).toEqual([{ op: 'x', args: {} }]);
    expect(expandCommand({ op: 'x', args: { a: [1, 2], b: ['p', 'q', 'r'] } }).map((c) => c.args)).toEqual([
      { a: 1, b: 'p' },
      { a: 1, b: 'q' },
      { a: 1, b: 'r' },
      { a: 2, b: 'p' },
      { a: 2, b: 'q' },
      { a: 2, b: 'r' },
    ]);
    expect(expandCommand({ op: 'x', args: { a: [] } })).toEqual([]);
  });
});

describe('threadCounts and preludeOf', () => {
  it('caps a role at the thread bound, its minimum at its maximum', () => {
    const role = (min?: number, max?: number): RoleSpec => ({
      role: 'r',
      commands: [],
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
    });
    expect(threadCounts(role(), { threads: 3, opsPerThread: 1 })).toEqual({ min: 0, max: 3 });
    expect(threadCounts(role(1, 2), { threads: 3, opsPerThread: 1 })).toEqual({ min: 1, max: 2 });
    expect(threadCounts(role(2, 5), { threads: 1, opsPerThread: 1 })).toEqual({ min: 1, max: 1 });
  });

  it('a prelude: none, the same for every thread, or by index', () => {
    const a = { op: 'a', args: {} };
    expect(preludeOf({ role: 'r', commands: [] }, 0)).toEqual([]);
    expect(preludeOf({ role: 'r', commands: [], prelude: [a] }, 3)).toEqual([a]);
    expect(preludeOf({ role: 'r', commands: [], prelude: (i) => (i === 1 ? [a] : []) }, 1)).toEqual([a]);
    expect(preludeOf({ role: 'r', commands: [], prelude: (i) => (i === 1 ? [a] : []) }, 0)).toEqual([]);
  });
});

describe('enumerateScenarios', () => {
  it('one role, commands a and b, up to 2 threads of up to 2 operations: 6 sequences, 6 + 21 scenarios', () => {
    // sequences: a, aa, ab, b, ba, bb (preorder); one thread: 6; two threads, unordered with repetition: 6*7/2 = 21
    const space = { roles: [{ role: 'w', commands: [{ op: 'a' }, { op: 'b' }], min: 1, max: 2 }] };
    const all = [...enumerateScenarios(space, { threads: 2, opsPerThread: 2 })];
    expect(all).toHaveLength(27);
    expect(all.slice(0, 7).map(shape)).toEqual([
      'w0:a',
      'w0:a w1:a',
      'w0:a w1:a+a',
      'w0:a w1:a+b',
      'w0:a w1:b',
      'w0:a w1:b+a',
      'w0:a w1:b+b',
    ]);
    expect(shape(all[26]!)).toBe('w0:b+b w1:b+b');
    expect(new Set(all.map(shape)).size).toBe(27);
  });

  it('a role may have no thread, and an empty scenario is never made', () => {
    const space = {
      roles: [
        { role: 'w', commands: [{ op: 'a' }], max: 1 },
        { role: 'r', commands: [{ op: 'b' }], max: 1 },
      ],
    };
    const all = [...enumerateScenarios(space, { threads: 1, opsPerThread: 1 })].map(shape);
    // the first role's choices slowest: w none (r alone), then w0:a (without r, with r)
    expect(all).toEqual(['r0:b', 'w0:a', 'w0:a r0:b']);
  });

  it('a prelude comes first in each thread, which may then run nothing more; the setup goes with every scenario', () => {
    const space = {
      roles: [
        { role: 'p', commands: [{ op: 'x', args: { n: [1, 2] } }], min: 1, max: 1, prelude: (i: number) => [{ op: `open${i}`, args: {} }] },
      ],
      setup: { devices: 2 },
    };
    const all = [...enumerateScenarios(space, { threads: 1, opsPerThread: 1 })];
    expect(all.map(shape)).toEqual(['p0:open0', 'p0:open0+x{"n":1}', 'p0:open0+x{"n":2}']);
    expect(all.every((s) => s.setup?.devices === 2)).toBe(true);
    const none = [
      ...enumerateScenarios({ roles: [{ role: 'w', commands: [{ op: 'a' }], min: 1, max: 1 }] }, { threads: 1, opsPerThread: 0 }),
    ];
    expect(none.map(shape)).toEqual(['w0:']);
    expect(Object.hasOwn(none[0]!, 'setup')).toBe(false);
  });
});

describe('exploreScenarios', () => {
  const system = toySystem(true);
  const t = (name: string, ...ops: string[]) => ({ name, ops: ops.map((op) => ({ op, args: {} })) });
  const lost: Scenario = { threads: [t('T0', 'incr'), t('T1', 'incr')] };
  const lostLonger: Scenario = { threads: [t('T0', 'incr', 'incr'), t('T1', 'incr')] };
  const dead: Scenario = { threads: [t('T0', 'lock_ab'), t('T1', 'lock_ba')] };
  const calm: Scenario = { threads: [t('T0', 'incr')] };

  it('keeps the shortest over the list, and of two as short the earlier', () => {
    const r = exploreScenarios(system, [calm, lostLonger, lost], { monitors: [lostUpdate] });
    expect(r.found?.scenario).toBe(lost);
    expect(r.found?.path).toHaveLength(6);
    expect(r.scenarios).toBe(3);
    const twice = exploreScenarios(system, [lost, { ...lost }], { monitors: [lostUpdate] });
    expect(twice.found?.scenario).toBe(lost);
    // the deadlock (4 steps) beats the lost update (6)
    const both = exploreScenarios(system, [lost, dead], { monitors: [lostUpdate] });
    expect(both.found?.scenario).toBe(dead);
    expect(both.found?.violation.kind).toBe('deadlock');
  });

  it('with collectAll, the shortest of each kind over the list, the earlier of equals', () => {
    const r = exploreScenarios(system, [lostLonger, dead, lost, { ...dead }], { monitors: [lostUpdate], collectAll: true });
    expect(r.byKind.get('lost-update')?.scenario).toBe(lost);
    expect(r.byKind.get('deadlock')?.scenario).toBe(dead);
    expect(r.scenarios).toBe(4);
  });

  it('reports each scenario done, with the total and the coverage so far', () => {
    const seen: [number, number, number][] = [];
    exploreScenarios(system, [calm, lost, calm], { monitors: [lostUpdate] }, (done, total, cov) =>
      seen.push([done, total, cov.executions]),
    );
    expect(seen.map(([d, tot]) => [d, tot])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(seen[1]![2]).toBeGreaterThan(seen[0]![2]);
  });

  it('firstOnly and endsSearch end it after the scenario that found one', () => {
    const first = exploreScenarios(system, [calm, lostLonger, lost, dead], { monitors: [lostUpdate], firstOnly: true });
    expect(first.scenarios).toBe(2);
    expect(first.found?.scenario).toBe(lostLonger);
    const ends = exploreScenarios(system, [calm, dead, lost], { monitors: [lostUpdate], endsSearch: (v) => v.kind === 'deadlock' });
    expect(ends.scenarios).toBe(2);
    const collected = exploreScenarios(system, [calm, dead, lost], {
      monitors: [lostUpdate],
      collectAll: true,
      endsSearch: (v) => v.kind === 'lost-update',
    });
    expect(collected.scenarios).toBe(3);
    const not = exploreScenarios(system, [calm, dead, lost], { monitors: [lostUpdate], endsSearch: () => false });
    expect(not.scenarios).toBe(3);
  });

  it('a passed time limit or a full heap ends it incomplete before the next scenario', () => {
    const late = exploreScenarios(system, [calm, lost], { timeLimitMs: 0 });
    expect(late.scenarios).toBe(0);
    expect(late.coverage.complete).toBe(false);
    const full = exploreScenarios(system, [calm, lost], { maxMemoryBytes: 1 });
    expect(full.scenarios).toBe(0);
    expect(full.coverage).toMatchObject({ complete: false, memoryCut: true });
    const roomy = exploreScenarios(system, [calm, lost], {
      timeLimitMs: 600_000,
      maxMemoryBytes: Number.MAX_SAFE_INTEGER,
      monitors: [lostUpdate],
    });
    expect(roomy.scenarios).toBe(2);
    expect(roomy.coverage.complete).toBe(true);
    expect(roomy.found?.scenario).toBe(lost);
  });

  it('a scenario a limit stopped ends the search and is not counted', () => {
    let calls = 0;
    const stop = () => ++calls > 0;
    const big: Scenario = { threads: [t('T0', 'incr', 'incr', 'incr'), t('T1', 'incr', 'incr', 'incr'), t('T2', 'incr', 'incr')] };
    const r = exploreScenarios(system, [calm, big, lost], { stop, sleepSets: false });
    expect(r.scenarios).toBe(1);
    expect(r.coverage.complete).toBe(false);
  });

  it('over a space: the scenarios of the bounds, smallest first', () => {
    const r = exploreSpace(system, toySpace, { threads: 2, opsPerThread: 1 }, { monitors: [lostUpdate], collectAll: true });
    expect([...r.byKind.keys()].sort()).toEqual(['deadlock', 'lost-update']);
    // one op per thread, up to two threads of three commands: 3 + 6
    expect(r.scenarios).toBe(9);
    expect(asList([calm, lost]).total).toBe(2);
    expect([...asList([calm, lost])]).toEqual([calm, lost]);
  });
});

describe('SpaceFindings', () => {
  it('counts a scenario only when it was searched to its end, and sums the coverage', () => {
    const acc = new SpaceFindings();
    const cov = { ...emptyCoverage(), executions: 3 };
    acc.add({ threads: [] }, { found: null, byKind: new Map(), coverage: cov });
    acc.add({ threads: [] }, { found: null, byKind: new Map(), coverage: { ...cov, stopped: true } });
    expect(acc.result().scenarios).toBe(1);
    expect(acc.result().coverage.executions).toBe(6);
  });
});
