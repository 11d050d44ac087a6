/**
 * What random search draws (checker/search/arbitraries.ts): scenarios within
 * the bounds of the space (a role's thread count and names, its prelude, at
 * least one operation unless the prelude is one, at most opsPerThread more),
 * uniform schedules of small choices, PCT schedules of one priority per thread
 * and at most three change points, and the scheduler each stands for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceScheduler, PctScheduler } from '../../checker/schedule.ts';
import {
  choiceScheduleArbitrary,
  pctScheduleArbitrary,
  scenarioArbitrary,
  scheduleArbitrary,
  schedulerFor,
} from '../../checker/search/arbitraries.ts';
import type { ScenarioSpace } from '../../checker/space.ts';

const sample = <T>(arb: fc.Arbitrary<T>, n = 300) => fc.sample(arb, { numRuns: n, seed: 42 });

describe('scenarioArbitrary', () => {
  const space: ScenarioSpace = {
    roles: [
      { role: 'w', commands: [{ op: 'a' }, { op: 'b', args: { n: [1, 2] } }], min: 1, max: 2 },
      { role: 'p', commands: [{ op: 'c' }], max: 3, prelude: (i) => [{ op: `open${i}`, args: {} }] },
    ],
    setup: { devices: 2 },
  };
  const bounds = { threads: 2, opsPerThread: 3 };

  it('stays within the bounds: thread counts, names in order, operations per thread, the prelude first', () => {
    const all = sample(scenarioArbitrary(space, bounds));
    for (const s of all) {
      const w = s.threads.filter((t) => t.name.startsWith('w'));
      const p = s.threads.filter((t) => t.name.startsWith('p'));
      expect(w.length).toBeGreaterThanOrEqual(1);
      expect(w.length).toBeLessThanOrEqual(2);
      expect(p.length).toBeLessThanOrEqual(2);
      expect(s.threads.map((t) => t.name)).toEqual([...w.map((_, i) => `w${i}`), ...p.map((_, i) => `p${i}`)]);
      for (const t of w) {
        expect(t.ops.length).toBeGreaterThanOrEqual(1);
        expect(t.ops.length).toBeLessThanOrEqual(3);
        for (const o of t.ops) expect(['a', 'b']).toContain(o.op);
      }
      for (const [i, t] of p.entries()) {
        expect(t.ops[0]).toEqual({ op: `open${i}`, args: {} });
        expect(t.ops.length).toBeLessThanOrEqual(4);
        for (const o of t.ops.slice(1)) expect(o.op).toBe('c');
      }
      expect(s.setup).toEqual({ devices: 2 });
    }
    // every shape the bounds allow shows up: 1 and 2 writers, 0 to 2 preluded threads with nothing more, b with each argument
    const count = (f: (s: (typeof all)[number]) => boolean) => all.filter(f).length;
    expect(count((s) => s.threads.filter((t) => t.name[0] === 'w').length === 2)).toBeGreaterThan(0);
    expect(count((s) => s.threads.filter((t) => t.name[0] === 'p').length === 0)).toBeGreaterThan(0);
    expect(count((s) => s.threads.filter((t) => t.name[0] === 'p').length === 2)).toBeGreaterThan(0);
    expect(count((s) => s.threads.some((t) => t.name[0] === 'p' && t.ops.length === 1))).toBeGreaterThan(0);
    expect(count((s) => s.threads.some((t) => t.ops.length === 3 && t.name[0] === 'w'))).toBeGreaterThan(0);
    const args = new Set(all.flatMap((s) => s.threads.flatMap((t) => t.ops.filter((o) => o.op === 'b').map((o) => o.args.n))));
    expect([...args].sort()).toEqual([1, 2]);
  });

  it('a role without commands or without operations runs only its prelude; no setup, none given', () => {
    const bare: ScenarioSpace = { roles: [{ role: 'x', commands: [], min: 1, max: 1 }] };
    for (const s of sample(scenarioArbitrary(bare, bounds), 20)) {
      expect(s.threads).toEqual([{ name: 'x0', ops: [] }]);
      expect(Object.hasOwn(s, 'setup')).toBe(false);
    }
    const noOps: ScenarioSpace = { roles: [{ role: 'y', commands: [{ op: 'a' }], min: 1, max: 1 }] };
    for (const s of sample(scenarioArbitrary(noOps, { threads: 1, opsPerThread: 0 }), 20))
      expect(s.threads).toEqual([{ name: 'y0', ops: [] }]);
  });
});

describe('schedules', () => {
  it('uniform: up to 200 choices of 0..7', () => {
    const all = sample(choiceScheduleArbitrary());
    expect(Math.max(...all.map((s) => s.length))).toBeLessThanOrEqual(200);
    expect(all.some((s) => s.length > 3)).toBe(true);
    const values = new Set(all.flat());
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(7);
    expect(sample(choiceScheduleArbitrary(3)).every((s) => s.length <= 3)).toBe(true);
  });

  it('PCT: one priority of 0..100 per thread, at most three change points up to the horizon', () => {
    const all = sample(pctScheduleArbitrary(4));
    for (const s of all) {
      expect(s.priorities).toHaveLength(4);
      expect(s.changeAt.length).toBeLessThanOrEqual(3);
      for (const p of s.priorities) expect(p).toBeGreaterThanOrEqual(0);
      for (const c of s.changeAt) expect(c).toBeLessThanOrEqual(200);
    }
    expect(Math.max(...all.flatMap((s) => s.priorities))).toBe(100);
    expect(all.some((s) => s.changeAt.length === 3)).toBe(true);
    expect(Math.max(...all.flatMap((s) => s.changeAt))).toBeGreaterThan(100);
  });

  it('the kind decides what is drawn; mixed draws both; PCT has a priority even for no threads', () => {
    expect(sample(scheduleArbitrary('uniform', 3), 50).every((s) => Array.isArray(s))).toBe(true);
    const pct = sample(scheduleArbitrary('pct', 3), 50);
    expect(pct.every((s) => !Array.isArray(s) && s.priorities.length === 3)).toBe(true);
    const mixed = sample(scheduleArbitrary('mixed', 2), 100);
    expect(mixed.some((s) => Array.isArray(s))).toBe(true);
    expect(mixed.some((s) => !Array.isArray(s) && s.priorities.length === 2)).toBe(true);
    expect(sample(scheduleArbitrary('pct', 0), 10).every((s) => !Array.isArray(s) && s.priorities.length === 1)).toBe(true);
  });

  it('schedulerFor: a choice list is a ChoiceScheduler, a PCT schedule a PctScheduler', () => {
    expect(schedulerFor([1, 2])).toBeInstanceOf(ChoiceScheduler);
    expect(schedulerFor({ priorities: [1], changeAt: [] })).toBeInstanceOf(PctScheduler);
    // and each decides as its schedule says
    const view = {} as never;
    expect(schedulerFor([1]).choose([0, 1], -1, view)).toBe(1);
    expect(schedulerFor({ priorities: [1, 5], changeAt: [] }).choose([0, 1], -1, view)).toBe(1);
  });
});
