/**
 * The lazy scenario list (checker/scenario-list.ts) on small hand-made spaces, so
 * that each rule is met in milliseconds (scenario-list.test.ts checks the model's
 * spaces and the ops=6 case, which takes seconds): roles with and without a
 * prelude (fixed or per thread), with minimum and maximum thread counts, with no
 * commands, a setup, and ops bounds from 0 up. The definition is
 * enumerateScenarios (space.ts) sorted stably by size.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../checker/scenario.ts';
import { fixedList, spaceScenarios } from '../../checker/scenario-list.ts';
import { enumerateScenarios, type RoleSpec, type ScenarioSpace } from '../../checker/space.ts';

const size = (s: Scenario) => s.threads.reduce((n, t) => n + t.ops.length, 0);
const sorted = (space: ScenarioSpace, threads: number, opsPerThread: number) =>
  [...enumerateScenarios(space, { threads, opsPerThread })].sort((a, b) => size(a) - size(b));

const a: RoleSpec = { role: 'a', commands: [{ op: 'x' }, { op: 'y', args: { n: [0, 1] } }] };
const p: RoleSpec = { role: 'p', commands: [{ op: 'z' }], prelude: [{ op: 'open', args: {} }], min: 1 };
const q: RoleSpec = {
  role: 'q',
  commands: [{ op: 'u' }, { op: 'v' }],
  prelude: (i) => Array.from({ length: i + 1 }, () => ({ op: 'init', args: { i } })),
  max: 2,
};
const idle: RoleSpec = { role: 'idle', commands: [], prelude: [{ op: 'wait', args: {} }], min: 1, max: 1 };
const none: RoleSpec = { role: 'none', commands: [] };

const spaces: [string, ScenarioSpace][] = [
  ['one role', { roles: [a] }],
  ['a prelude with a minimum', { roles: [p] }],
  ['two roles', { roles: [a, p] }],
  ['a per-thread prelude, at most two threads', { roles: [q, a] }],
  ['a role without commands', { roles: [idle, a] }],
  ['a role without commands or prelude', { roles: [none, p] }],
  ['three roles and a setup', { roles: [p, q, a], setup: { seed: 1 } }],
];

describe('spaceScenarios on small spaces', () => {
  // larger spaces only with fewer threads: beyond these the reference enumeration itself takes seconds
  for (const [name, space] of spaces)
    for (const threads of [1, 2, 3])
      for (const ops of [
        [0, 1, 2, 3],
        [0, 1, 2],
        [0, 1],
      ][threads - 1] as number[])
        it(`${name}, threads=${threads} ops=${ops}: the sorted enumeration and its total`, () => {
          const want = sorted(space, threads, ops);
          const list = spaceScenarios(space, { threads, opsPerThread: ops });
          // as text: vitest's deep equality takes seconds on the larger lists, and scenarios are plain data
          const text = JSON.stringify(want);
          expect(JSON.stringify([...list])).toBe(text);
          expect(list.total).toBe(want.length);
          // iterating again gives the same list: nothing is consumed
          expect(JSON.stringify([...list])).toBe(text);
        });

  it('names threads by role and index within the role, prelude first', () => {
    const list = [...spaceScenarios({ roles: [q] }, { threads: 2, opsPerThread: 1 })];
    expect(list[0]).toEqual({ threads: [{ name: 'q0', ops: [{ op: 'init', args: { i: 0 } }] }] });
    const two = list.find((s) => s.threads.length === 2);
    expect(two?.threads.map((t) => t.name)).toEqual(['q0', 'q1']);
    expect(two?.threads[1]?.ops.slice(0, 2)).toEqual([
      { op: 'init', args: { i: 1 } },
      { op: 'init', args: { i: 1 } },
    ]);
  });

  it('counts a large space without enumerating it, and its first scenarios are the smallest', () => {
    // 20 commands, 6 ops, 3 threads: 20 + 20^2 + ... + 20^6 sequences each (67,368,420), far too many to list
    const many: RoleSpec = { role: 'm', commands: Array.from({ length: 20 }, (_, i) => ({ op: `c${i}` })) };
    const list = spaceScenarios({ roles: [many] }, { threads: 3, opsPerThread: 6 });
    const n = 67_368_420;
    // multisets of 1..3 sequences out of n
    const multi = (k: number) => {
      let r = 1n;
      for (let j = 1; j <= k; j++) r = (r * BigInt(n + j - 1)) / BigInt(j);
      return r;
    };
    expect(BigInt(list.total)).toBeGreaterThan(multi(3) - 1_000_000_000n);
    expect(BigInt(list.total)).toBeLessThan(multi(3) + multi(2) + multi(1) + 1_000_000_000n);
    const first: Scenario[] = [];
    for (const s of list) {
      first.push(s);
      if (first.length === 500) break;
    }
    // size 1: the 20 one-call threads, then size 2: [ci cj] alone or two one-call threads
    expect(first.slice(0, 20).map((s) => s.threads[0]?.ops[0]?.op)).toEqual(many.commands.map((c) => c.op));
    expect(first.slice(0, 20).every((s) => size(s) === 1)).toBe(true);
    expect(first.slice(20).every((s) => size(s) === 2)).toBe(true);
  });

  it('the totals of a small count exactly', () => {
    // a: 3 calls, ops<=2: 3 + 9 = 12 sequences; 1..2 threads: 12 + 12*13/2 = 90
    expect(spaceScenarios({ roles: [a] }, { threads: 2, opsPerThread: 2 }).total).toBe(90);
    // a role with a minimum needs its threads
    expect(spaceScenarios({ roles: [p] }, { threads: 1, opsPerThread: 0 }).total).toBe(1);
  });
});

describe('fixedList', () => {
  it('is the scenarios given, as often as iterated, with their count', () => {
    const s: Scenario[] = [{ threads: [] }, { threads: [{ name: 't', ops: [] }] }];
    const list = fixedList(s);
    expect(list.total).toBe(2);
    expect([...list]).toEqual(s);
    expect([...list]).toEqual(s);
  });
});
