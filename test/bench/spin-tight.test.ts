/**
 * The tight Promela model (../shared/spin/vfio_dmabuf_tight.pml) as a system
 * of this engine (bench/spin/tight.ts) gives SPIN's figures: T1's -DNOREDUCE
 * state and transition counts when counting as SPIN does (init's steps and
 * process exits), and the seeded bugs' BFS-shortest trail lengths in protocol
 * steps (../shared/spin/README.md). Larger configurations: `npm run bench -- --only spin`.
 */
import { describe, expect, it } from 'vitest';
import { spinLikeSearch } from '../../bench/spin/search.ts';
import { paramsOf, spinDefines, tightSystem } from '../../bench/spin/tight.ts';

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
});
