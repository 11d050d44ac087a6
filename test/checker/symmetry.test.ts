/**
 * Symmetry reduction (checker/symmetry.ts): which threads a scenario may swap,
 * what it refuses, that a state and its renaming share one fingerprint (and two
 * different states do not), and that the search it prunes still finds what the
 * plain search finds on toys, including one whose two threads only look alike
 * (a declaration the reduction must not be trusted with: it then misses the bug).
 */
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../checker/context.ts';
import type { Point } from '../../checker/point.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import type { RoleSpec } from '../../checker/space.ts';
import { MAX_PERMUTATIONS, Symmetry, type SymmetryGroup, symmetryGroups, symmetryProblem } from '../../checker/symmetry.ts';
import type { World } from '../../checker/world.ts';
import { lostUpdate, thread, toySystem, twoIncr } from './toy-system.ts';

const role = (name: string, symmetric = true): RoleSpec => ({ role: name, commands: [], min: 0, max: 4, symmetric });

describe('symmetry groups', () => {
  it('groups the threads of a symmetric role that run equal operations, and no others', () => {
    const scenario: Scenario = {
      threads: [
        thread('w0', 'incr'),
        thread('w1', 'incr'),
        thread('w2', 'lock_ab'),
        thread('x0', 'incr'),
        thread('x1', 'incr'),
        thread('wide', 'incr'),
      ],
    };
    const groups = symmetryGroups([role('w'), role('x', false)], scenario);
    expect(groups).toEqual([{ threads: [0, 1], names: [['w0'], ['w1']] }]);
  });

  it('takes the names a role says each thread owns', () => {
    const r: RoleSpec = { ...role('w'), owns: (i) => [`lock${i}`] };
    const groups = symmetryGroups([r], { threads: [thread('w0', 'incr'), thread('w1', 'incr')] });
    expect(groups[0]?.names).toEqual([
      ['w0', 'lock0'],
      ['w1', 'lock1'],
    ]);
  });

  it('refuses too many permutations, a name that is not one token, and a name two threads share', () => {
    const five: SymmetryGroup = { threads: [0, 1, 2, 3, 4], names: [['a'], ['b'], ['c'], ['d'], ['e']] };
    expect(symmetryProblem([five])).toContain(`120 permutations of interchangeable threads, more than ${MAX_PERMUTATIONS}`);
    expect(symmetryProblem([{ threads: [0, 1], names: [['t.0'], ['t1']] }])).toContain('"t.0" is not one token');
    expect(
      symmetryProblem([
        {
          threads: [0, 1],
          names: [
            ['t0', 'x'],
            ['t1', 'x'],
          ],
        },
      ]),
    ).toContain('the name x belongs to two threads');
    expect(symmetryProblem([{ threads: [0, 1], names: [['t0', 'x'], ['t1']] }])).toContain('different numbers of names');
    expect(symmetryProblem([{ threads: [0, 1], names: [['t0'], ['t1']] }])).toBeNull();
    expect(() => new Symmetry([five], 5)).toThrow('more than');
  });

  it('maps a mask of threads into the canonical numbering', () => {
    expect(Symmetry.mask(0b011, [1, 0, 2])).toBe(0b011);
    expect(Symmetry.mask(0b001, [1, 0, 2])).toBe(0b010);
    expect(Symmetry.mask(0b100, [2, 0, 1])).toBe(0b010);
  });
});

/** A state as the fast and the exact path read it: world objects by text, each part hashed by its text. */
function fakeState(world: string[], threads: string[]) {
  const h = (s: string) => {
    let a = 7;
    for (let i = 0; i < s.length; i++) a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
    return a;
  };
  return {
    stateKeyParts: () => ({ world, threads, monitors: [] }),
    world: {
      fingerprintSum: (into: { a: number; b: number }) => {
        into.a = world.reduce((s, w) => (s + h(w)) | 0, 0);
        into.b = world.reduce((s, w) => (s + h(`b${w}`)) | 0, 0);
        return into;
      },
      objectCount: world.length,
      objectFpAt: (k: number, into: { a: number; b: number }) => {
        into.a = h(world[k] as string);
        into.b = h(`b${world[k]}`);
        return into;
      },
      objectPartAt: (k: number) => world[k] as string,
    },
    threadFp: (i: number, into: { a: number; b: number }) => {
      into.a = h(threads[i] as string);
      into.b = h(`b${threads[i]}`);
      return into;
    },
    threadKeyAt: (i: number) => threads[i] as string,
    monitorCount: 0,
    monitorKeyAt: () => null,
  };
}

describe('the canonical fingerprint', () => {
  const group: SymmetryGroup = { threads: [0, 1], names: [['t0'], ['t1']] };
  const sym = () => new Symmetry([group], 3);
  // t0 holds the lock and is inside, t1 waits; and the same with the two swapped
  const state = fakeState(['L:{"owner":"t0"};', 'actor.t0:{};', 'actor.t1:{};', 'C:{"n":1};'], ['0.2:lock[in]', '0.2:lock[wait]', '0.1:']);
  const swapped = fakeState(
    ['actor.t1:{};', 'L:{"owner":"t1"};', 'actor.t0:{};', 'C:{"n":1};'],
    ['0.2:lock[wait]', '0.2:lock[in]', '0.1:'],
  );
  // not a renaming: the holder is the thread that waits
  const other = fakeState(['L:{"owner":"t1"};', 'actor.t0:{};', 'actor.t1:{};', 'C:{"n":1};'], ['0.2:lock[in]', '0.2:lock[wait]', '0.1:']);

  for (const exact of [false, true]) {
    it(`is one for a state and its renaming, and another for a state that is none (${exact ? 'exact keys' : 'hashes'})`, () => {
      const a = sym().canonical(state, exact);
      const b = sym().canonical(swapped, exact);
      const c = sym().canonical(other, exact);
      expect([b.fp.a, b.fp.b, b.fp.key]).toEqual([a.fp.a, a.fp.b, a.fp.key]);
      expect([c.fp.a, c.fp.b]).not.toEqual([a.fp.a, a.fp.b]);
      // the two threads land on one canonical number each, in opposite ways; the third stays
      expect(a.to[2]).toBe(2);
      expect(b.to[0]).toBe(a.to[1]);
      expect(b.to[1]).toBe(a.to[0]);
    });
  }

  it('gives the same answer from its caches as on first sight', () => {
    const s = sym();
    const first = s.canonical(swapped, false);
    s.canonical(state, false);
    expect(s.canonical(swapped, false)).toEqual(first);
  });
});

const flag = (id: string): Point => ({ action: `look(${id})`, locs: [id] });

/**
 * Two threads that look alike (one operation, names that differ by index) but
 * do not behave alike: `first` fails only in w0, when w0 saw the flag w1 set.
 * The search runs w0 first, so only orders it reaches second fail; declared
 * symmetric, each of those is a renaming of a state the first orders left
 * (both past the flag, or one thread done), and the reduction prunes them and
 * misses the failure: the declaration is what the soundness argument rests on
 * (docs/engine.md "Symmetry reduction").
 */
const first: OpFn = function* first(ctx) {
  yield flag('flag');
  const seen = ctx.get<boolean>('flag', 'set');
  ctx.set('flag', 'set', true);
  yield flag('tail');
  if (ctx.thread === 'w0' && seen) ctx.fail('w0-second', 'w0 ran after w1');
  return null;
};
const lookalike: System = {
  name: 'lookalike',
  setup(w: World) {
    w.create('flag', { set: false }, null, 'flag');
    w.create('flag', { set: false }, null, 'tail');
  },
  ops: { first },
};

describe('the search with symmetry', () => {
  const pair: SymmetryGroup = { threads: [0, 1], names: [['w0'], ['w1']] };
  const run = (system: System, scenario: Scenario, symmetry: boolean, exact = false) => {
    const r = exploreScenario(system, scenario, {
      monitors: system === lookalike ? [] : [lostUpdate],
      collectAll: true,
      exactKeys: exact,
      ...(symmetry ? { symmetry: () => [pair] } : {}),
    });
    return { kinds: [...r.byKind.keys()].sort(), states: r.coverage.states, reductions: r.coverage.reductions };
  };
  const incr: Scenario = { threads: twoIncr.threads.map((t, i) => ({ ...t, name: `w${i}` })) };

  it('finds the lost update of two interchangeable increments in fewer states, hashed or exact', () => {
    const plain = run(toySystem(true), incr, false);
    const reduced = run(toySystem(true), incr, true);
    expect(plain.kinds).toEqual(['lost-update']);
    expect(reduced.kinds).toEqual(plain.kinds);
    expect(reduced.states).toBeLessThan(plain.states);
    expect(run(toySystem(true), incr, true, true).states).toBe(reduced.states);
    expect(reduced.reductions).toContain('symmetry (2 permutations of interchangeable threads, least renamed key)');
  });

  it('misses a bug of threads that only look interchangeable (what a wrong declaration costs)', () => {
    const scenario: Scenario = { threads: [thread('w0', 'first'), thread('w1', 'first')] };
    expect(run(lookalike, scenario, false).kinds).toEqual(['w0-second']);
    expect(run(lookalike, scenario, true).kinds).toEqual([]);
  });

  it('is refused with DPOR, transaction reduction and a share of the first steps', () => {
    const go = (more: object) => () => exploreScenario(toySystem(true), incr, { symmetry: () => [pair], ...more });
    expect(go({ dpor: true })).toThrow('symmetry reduction does not combine with DPOR');
    expect(go({ reduce: { unproven: new Set() } })).toThrow('symmetry reduction does not combine with transaction reduction');
  });
});
