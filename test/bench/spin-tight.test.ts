/**
 * The tight Promela model (../shared/spin/vfio_dmabuf_tight.pml) as a system
 * of this engine (bench/spin/tight.ts) gives SPIN's figures: T1's -DNOREDUCE
 * state and transition counts when counting as SPIN does (init's steps and
 * process exits), and the seeded bugs' BFS-shortest trail lengths in protocol
 * steps (../shared/spin/README.md). Larger configurations: `npm run bench -- --only spin`.
 */
import { describe, expect, it } from 'vitest';
import { spinLikeSearch } from '../../bench/spin/search.ts';
import { choiceScenarios, paramsOf, spinDefines, tightSymmetry, tightSystem } from '../../bench/spin/tight.ts';
import type { Monitor } from '../../checker/monitor.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { exploreScenarios } from '../../checker/search/space-search.ts';

describe('the tight Promela model in the engine', () => {
  it('T1 has SPIN -DNOREDUCE counts: 353,128 states, 1,436,835 stored + matched', () => {
    const { system, scenario } = tightSystem(paramsOf('T1', { spinCounting: true }));
    const r = spinLikeSearch(system, scenario);
    expect(r.complete).toBe(true);
    expect(r.violation).toBeNull();
    expect(r.states).toBe(353_128);
    // SPIN's "transitions (= stored+matched)" counts the initial state's insertion too
    expect(r.transitions + 1).toBe(1_436_835);
  }, 240_000);

  it.each([
    [{ bug: 'nowait' as const }, 'nomaps', 19],
    [{ bug: 'nowait' as const, nop2: true }, 'access', 21],
    [{ bug: 'prefix' as const }, 'kref', 27],
  ])(
    'finds the seeded bug %o (%s) at SPIN BFS trail length %i',
    (extra, kind, steps) => {
      const { system, scenario, params } = tightSystem(paramsOf('T1', extra));
      expect(spinDefines(params).length).toBeGreaterThan(0);
      const r = spinLikeSearch(system, scenario, { shortest: true });
      expect(r.violation?.kind).toBe(kind);
      expect(r.violation?.steps).toBe(steps);
    },
    240_000,
  );
  it("in the engine's own search a state is its world: no two states differ only in the threads' frames", () => {
    // the world holds every location and local, so frames that tell two states apart would be the engine's
    // doing: a process told apart by the object identity of what it was made with, or by when it started
    const p = paramsOf('T1', { ni: 1, wops: 1 });
    const { system, scenario } = tightSystem(p);
    const worlds = new Set<string>();
    const spy: Monitor = {
      name: 'worlds',
      afterStep(exec) {
        const h = { a: 0, b: 0 };
        exec.world.fingerprint(h);
        worlds.add(`${h.a}:${h.b}`);
        return null;
      },
    };
    const sc = choiceScenarios(p, scenario)[0] as typeof scenario;
    const r = exploreScenario(system, sc, { monitors: [spy], collectAll: true, shortest: false });
    expect(r.coverage.complete).toBe(true);
    expect(r.coverage.states).toBeGreaterThan(1000);
    // the worlds also hold the executions' last states, which the cache does not
    expect(r.coverage.states).toBeLessThanOrEqual(worlds.size);
    expect(r.coverage.states).toBeGreaterThan(worlds.size * 0.99);
  }, 240_000);
  it('two writers are interchangeable: symmetry finds the seeded bug in fewer states, over the multisets of their choices', () => {
    const p = paramsOf('T1', { nw: 2, wops: 1, ni: 1, bug: 'prefix' });
    const { system, scenario } = tightSystem(p);
    const base = { collectAll: true, shortest: false } as const;
    const plain = exploreScenarios(system, choiceScenarios(p, scenario), base);
    const sym = exploreScenarios(system, choiceScenarios(p, scenario, true), { ...base, symmetry: tightSymmetry(p) });
    expect([plain.scenarios, sym.scenarios]).toEqual([4, 3]);
    expect(plain.coverage.complete && sym.coverage.complete).toBe(true);
    expect([...sym.byKind.keys()]).toEqual([...plain.byKind.keys()]);
    expect([...sym.byKind.keys()]).toEqual(['kref']);
    expect(sym.coverage.states).toBeLessThan(plain.coverage.states * 0.6);
    expect(sym.coverage.reductions.some((r) => r.startsWith('symmetry (2 permutations'))).toBe(true);
    expect(() => tightSymmetry(paramsOf('T3', { spinCounting: true }))).toThrow('not interchangeable');
  }, 240_000);
});
