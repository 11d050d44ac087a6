/**
 * Reductions are sound where it matters: sleep sets visit every state the plain
 * search visits, and DPOR, which skips states, still reaches every violation
 * kind and every final world, on toys built to need each of its rules and on
 * every built-in design at its matrix bound. On the designs, the transaction
 * reduction (`check --reduce`) is held to the same search too, so that search
 * runs once for both (its own rules: test/model/reduce.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../checker/context.ts';
import type { Point } from '../../checker/point.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { exploreSpace } from '../../checker/search/space-search.ts';
import type { World } from '../../checker/world.ts';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { unprovenLockTypes } from '../../properties/reduce.ts';
import { systemOf } from '../../properties/system.ts';
import { finalWorlds } from './final-worlds.ts';
import { lostUpdate, thread, toySystem } from './toy-system.ts';

const lock = (id: string, me: string): Point => ({
  action: `lock(${id})`,
  locs: [id],
  enabled: (w: World) => w.peek(id, 'owner') === null,
  fire: (w: World) => (w.set(id, 'owner', me), null),
});
const unlock = (id: string): Point => ({ action: `unlock(${id})`, locs: [id], fire: (w) => (w.set(id, 'owner', null), null) });

/**
 * Who holds L last wins; a thread blocked on L never runs the step that would
 * show its race with the holder, so only the blocked-thread rule finds the
 * orders where it goes first. `check` fails (ends the execution) while nobody
 * has claimed: run first, it disables every other thread, so the claim that
 * would make it pass never runs and only the failing-step rule finds that order.
 */
const claim: OpFn = function* claim(ctx) {
  yield lock('L', ctx.thread);
  ctx.set('flag', 'winner', ctx.thread);
  yield unlock('L');
  return null;
};
const check: OpFn = function* check(ctx) {
  yield { action: 'look', locs: ['flag'] };
  if (ctx.get('flag', 'winner') === null) ctx.fail('unclaimed', 'nobody has claimed yet');
  return null;
};
const other: OpFn = function* other(ctx) {
  yield { action: 'write', locs: ['other'] };
  ctx.set('other', 'n', 1);
  return null;
};
const claims: System = {
  name: 'claims',
  setup(w) {
    w.create('lock', { owner: null }, null, 'L');
    w.create('flag', { winner: null }, null, 'flag');
    w.create('other', { n: 0 }, null, 'other');
  },
  ops: { claim, check, other },
};

function compare(system: System, scenario: Scenario): void {
  const run = (dpor: boolean) => {
    const f = finalWorlds();
    const r = exploreScenario(system, scenario, { monitors: [f.monitor], collectAll: true, dpor });
    return { finals: [...f.seen].sort(), kinds: [...r.byKind.keys()].sort(), states: r.coverage.states };
  };
  const full = run(false);
  const dpor = run(true);
  expect(dpor.finals).toEqual(full.finals);
  expect(dpor.kinds).toEqual(full.kinds);
  expect(dpor.states).toBeLessThanOrEqual(full.states);
}

describe('DPOR on toys', () => {
  it('keeps every final world when threads block on a lock', () => {
    compare(claims, { threads: [thread('T0', 'claim'), thread('T1', 'claim'), thread('T2', 'claim')] });
  });

  it('keeps the orders a failing step cuts off (it conflicts with every thread)', () => {
    compare(claims, { threads: [thread('T0', 'check', 'claim'), thread('T1', 'claim'), thread('T2', 'other')] });
  });

  it('finds the lost update and the ABBA deadlock, with fewer states than sleep sets alone', () => {
    const incr = { threads: [thread('T0', 'incr', 'incr'), thread('T1', 'incr', 'incr')] };
    const abba = { threads: [thread('T0', 'lock_ab'), thread('T1', 'lock_ba')] };
    for (const sc of [incr, abba]) compare(toySystem(true), sc);
    const r = exploreScenario(toySystem(true), incr, { monitors: [lostUpdate], collectAll: true, dpor: true });
    expect([...r.byKind.keys()]).toEqual(['lost-update']);
    const plain = exploreScenario(toySystem(true), incr, { monitors: [lostUpdate], collectAll: true });
    expect(r.coverage.states).toBeLessThan(plain.coverage.states);
  });

  it('refuses a preemption bound', () => {
    const sc = { threads: [thread('T0', 'incr')] };
    expect(() => exploreScenario(toySystem(true), sc, { dpor: true, preemptionBound: 1 })).toThrow(/preemption bound/);
  });
});

/**
 * Left out of the transaction reduction's comparison, to keep it under a minute: the one design whose
 * plain search passes 100,000 states at the matrix bound (134,460 on the compiled engine, which keyed
 * searches use by default; the generator engine counted 332,274: docs/engine-counts.md)
 */
const LARGE = new Set(['sva-iopf-no-flush']);

// a minute for every design: left out of mutation runs (test/checker/vitest.unit.config.ts), where each mutant would pay it
describe.skipIf(process.env.CHECKER_UNIT_ONLY === '1')('reductions on every built-in design at its matrix bound', () => {
  for (const design of builtinDesigns()) {
    const withReduce = LARGE.has(design.name) ? '' : '; --reduce the same in no more states';
    it(`${design.name}: sleep sets visit every state; DPOR finds the same violation kinds and final worlds${withReduce}`, () => {
      const domain = domainOf(design.domain);
      const catalog = propertiesOf(design.domain);
      const { bounds } = domain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
      const system = systemOf(domain, design);
      const run = (options: { sleepSets?: boolean; dpor?: boolean; reduce?: { unproven: ReadonlySet<string> } }) => {
        const f = finalWorlds();
        const monitors = [...catalog.flatMap((p) => p.monitors()), f.monitor];
        const r = exploreSpace(system, domain.space(bounds, design.focus), domain.searchBounds(bounds), {
          monitors,
          collectAll: true,
          ...options,
        });
        expect(r.coverage.complete).toBe(true);
        return { states: r.coverage.states, kinds: [...r.byKind.keys()].sort(), finals: [...f.seen].sort() };
      };
      const sleep = run({});
      const dpor = run({ dpor: true });
      expect(dpor.kinds).toEqual(sleep.kinds);
      expect(dpor.finals).toEqual(sleep.finals);
      expect(dpor.states).toBeLessThan(sleep.states);
      if (sleep.states < 6_000) expect(run({ sleepSets: false }).states).toBe(sleep.states);
      if (LARGE.has(design.name)) return;
      const reduced = run({ reduce: { unproven: unprovenLockTypes(domain, design, system) } });
      expect(reduced.kinds).toEqual(sleep.kinds);
      expect(reduced.finals).toEqual(sleep.finals);
      expect(reduced.states).toBeLessThanOrEqual(sleep.states);
    });
  }
});
