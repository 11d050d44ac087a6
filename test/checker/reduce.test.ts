/**
 * Transaction reduction (checker/reduce/) on toys built from raw points, each
 * built so that one rule of the reduction is what keeps a final world: the
 * reduced search must reach every final world and violation kind the plain
 * search reaches, with fewer states where movers apply. The static half (which
 * groups are proven free of touchers) is tested on its own below and, with the
 * kernel's own mutex, in test/kernel/reduce-touchers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../checker/context.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Mover, Point } from '../../checker/point.ts';
import { ALL_UNPROVEN, unprovenGroups } from '../../checker/reduce/touchers.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { type ExhaustiveOptions, exploreScenario } from '../../checker/search/exhaustive.ts';
import type { World } from '../../checker/world.ts';
import { thread } from './toy-system.ts';

function finalWorlds(): { monitor: Monitor; seen: Set<string> } {
  const seen = new Set<string>();
  const monitor: Monitor = {
    name: 'final-worlds',
    atEnd(exec) {
      seen.add(exec.world.key().split(/[;#]/).sort().join('|'));
      return null;
    },
  };
  return { monitor, seen };
}

const owner = (w: World, id: string) => w.peek(id, 'owner');
const mover = (id: string, me: string, side: Mover['side']): Mover => ({
  side,
  lock: id,
  own: [],
  group: 'toy-lock',
  held: (w) => owner(w, id) === me,
});
const lock = (id: string, me: string): Point => ({
  action: `lock(${id})`,
  locs: [id],
  enabled: (w) => owner(w, id) === null,
  fire: (w) => (w.set(id, 'owner', me), null),
  mover: mover(id, me, 'right'),
});
const unlock = (id: string, me: string): Point => ({
  action: `unlock(${id})`,
  locs: [id],
  fire: (w) => (w.set(id, 'owner', null), null),
  mover: mover(id, me, 'left'),
});
const touch = (obj: string): Point => ({ action: `touch(${obj})`, locs: [obj] });

/** Under L, writes x in the lock's own step, then reads it back in the next: the write makes the lock step a non-mover. */
const writeThenRead: OpFn = function* write_then_read(ctx) {
  yield lock('L', ctx.thread);
  ctx.set('x', 'v', 1);
  yield touch('y');
  ctx.set('y', 'seen', ctx.get('x', 'v'));
  yield unlock('L', ctx.thread);
  return null;
};
/** Writes x without the lock. */
const racer: OpFn = function* racer(ctx) {
  yield touch('x');
  ctx.set('x', 'v', 2);
  return null;
};
/** Looks at L without blocking on it, as a trylock does. */
const peeker: OpFn = function* peeker(ctx) {
  yield touch('L');
  ctx.set('y', 'held', ctx.get('L', 'owner') !== null);
  return null;
};
/** A critical section with nothing in it but the lock: lock and unlock are both movers. */
const critical: OpFn = function* critical(ctx) {
  yield lock('L', ctx.thread);
  yield unlock('L', ctx.thread);
  yield touch(`own-${ctx.thread}`);
  ctx.set(`own-${ctx.thread}`, 'done', true);
  return null;
};
/** Takes M then L: a transaction that stops when L is held by someone else. */
const nested: OpFn = function* nested(ctx) {
  yield lock('M', ctx.thread);
  yield lock('L', ctx.thread);
  ctx.set('y', 'order', `${String(ctx.get('y', 'order'))}${ctx.thread}`);
  yield unlock('L', ctx.thread);
  yield unlock('M', ctx.thread);
  return null;
};
const lOnly: OpFn = function* l_only(ctx) {
  yield lock('L', ctx.thread);
  ctx.set('y', 'order', `${String(ctx.get('y', 'order'))}${ctx.thread}`);
  yield unlock('L', ctx.thread);
  return null;
};

const toys: System = {
  name: 'reduce-toys',
  setup(w) {
    for (const id of ['L', 'M']) w.create('lock', { owner: null }, null, id);
    w.create('cell', { v: 0 }, null, 'x');
    w.create('cell', { seen: null, held: null, order: '' }, null, 'y');
    for (const t of ['T0', 'T1', 'T2']) w.create('cell', { done: false }, null, `own-${t}`);
  },
  ops: { write_then_read: writeThenRead, racer, peeker, critical, nested, l_only: lOnly },
};

function run(sc: Scenario, options: ExhaustiveOptions) {
  const f = finalWorlds();
  const r = exploreScenario(toys, sc, { monitors: [f.monitor], collectAll: true, ...options });
  expect(r.coverage.complete).toBe(true);
  return { finals: [...f.seen].sort(), kinds: [...r.byKind.keys()].sort(), states: r.coverage.states };
}

const proven = { reduce: { unproven: new Set<string>() } };

function compare(sc: Scenario, reduce: ExhaustiveOptions = proven, sleepSets = true) {
  const full = run(sc, { sleepSets });
  const reduced = run(sc, { ...reduce, sleepSets });
  expect(reduced.finals).toEqual(full.finals);
  expect(reduced.kinds).toEqual(full.kinds);
  expect(reduced.states).toBeLessThanOrEqual(full.states);
  return { full, reduced };
}

describe('transaction reduction on toys', () => {
  it('fuses a critical section with nothing else in it, with fewer states', () => {
    const sc = { threads: [thread('T0', 'critical', 'critical'), thread('T1', 'critical'), thread('T2', 'critical')] };
    const { full, reduced } = compare(sc);
    expect(reduced.states).toBeLessThan(full.states);
    // without sleep sets too: the reduction stands on its own
    compare(sc, proven, false);
  });

  it('a lock step whose code writes an unprotected object is no mover (the racer may come between it and the read)', () => {
    const sc = { threads: [thread('T0', 'write_then_read'), thread('T1', 'racer')] };
    const { full } = compare(sc);
    // the order lock+write, racer, read is the only one that reads 2
    expect(full.finals.some((w) => w.includes('"seen":2'))).toBe(true);
  });

  it('a lock some step touches without blocking on it is no mover once its group is not proven', () => {
    const sc = { threads: [thread('T0', 'critical'), thread('T1', 'peeker')] };
    const full = run(sc, {});
    expect(full.finals.some((w) => w.includes('"held":true'))).toBe(true);
    // the group proven (wrongly): lock and unlock run as one, nobody ever sees L held
    const wrong = run(sc, proven);
    expect(wrong.finals.some((w) => w.includes('"held":true'))).toBe(false);
    compare(sc, { reduce: { unproven: new Set(['toy-lock']) } });
  });

  it('a transaction that stops at a blocked lock lets its sleepers wake on that lock', () => {
    const sc = { threads: [thread('T0', 'nested'), thread('T1', 'l_only'), thread('T2', 'l_only')] };
    const { full } = compare(sc);
    expect(full.finals.length).toBe(6);
  });

  it('refuses DPOR and a share of the first steps', () => {
    const sc = { threads: [thread('T0', 'critical')] };
    expect(() => exploreScenario(toys, sc, { ...proven, dpor: true })).toThrow(/does not combine with DPOR/);
    expect(() => exploreScenario(toys, sc, { ...proven, rootShare: { index: 0, of: 2 } })).toThrow(/transaction reduction/);
  });

  it('says in the coverage which groups got no reduction', () => {
    const sc = { threads: [thread('T0', 'critical')] };
    const r = exploreScenario(toys, sc, { reduce: { unproven: new Set(['rwsem', 'ww_mutex']) } });
    expect(r.coverage.reductions.join('; ')).toContain('not proven free of trylocks and frees: rwsem, ww_mutex');
    const none = exploreScenario(toys, sc, { reduce: { unproven: ALL_UNPROVEN } });
    expect(none.coverage.reductions.join('; ')).toContain('no group proven');
  });
});

describe('the static analysis of touchers', () => {
  const touchers = { mutex_trylock: ['mutex'], kfree: ['ww_mutex'], down_write_trylock: ['rwsem'] };
  it('finds a call anywhere, skips the entry that defines the toucher, and proves what nothing calls', () => {
    const sources = [
      { name: 'mutex_trylock', source: 'function*(k,l){return yield* mutex.mutex_trylock(k.ctx,l)}' },
      { name: 'kfree', source: 'function*(k,o){yield* slab.kfree(k.ctx,o)}' },
      { name: 'release', source: 'function*(k,p){yield* k.kfree(p)}' },
    ];
    expect([...unprovenGroups(sources, touchers)]).toEqual(['ww_mutex']);
    expect([...unprovenGroups([...sources, { name: 'op:reset', source: 'k.mutex_trylock(lock)' }], touchers)].sort()).toEqual([
      'mutex',
      'ww_mutex',
    ]);
    // a word, not a part of one: down_write_trylocked is some other function
    expect([...unprovenGroups([{ name: 'f', source: 'k.down_write_trylocked(x)' }], touchers)]).toEqual([]);
  });

  it('proves nothing for a domain that declares no touchers', () => {
    expect(unprovenGroups([], undefined).has('mutex')).toBe(true);
    expect(unprovenGroups([], undefined)).toBe(ALL_UNPROVEN);
  });
});
