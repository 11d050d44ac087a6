/**
 * `check --reduce` on the built-in designs: at each design's matrix bound the
 * transaction-reduced search finds every violation kind and every final world
 * the plain search (sleep sets and the state cache) finds, in no more states.
 * The design whose plain search passes 100,000 states is left out to keep
 * this under a minute; the rules each have a toy that needs them
 * (test/checker/reduce.test.ts, test/kernel/reduce-touchers.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { exploreSpace } from '../../checker/search/space-search.ts';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { unprovenLockTypes } from '../../properties/reduce.ts';
import { systemOf } from '../../properties/system.ts';
import { finalWorlds } from '../checker/final-worlds.ts';

/** plain-search states at the matrix bound: 134,460 (the generator engine counted 332,274; docs/engine-counts.md) */
const LARGE = new Set(['sva-iopf-no-flush']);

describe('transaction reduction on the built-in designs', () => {
  it('the static analysis: upstream trylocks memory_lock (hot reset) and the resv lock (importers), and frees the resv; SVA neither', () => {
    const of = (name: string) => {
      const design = builtinDesigns().find((d) => d.name === name);
      if (!design) throw new Error(name);
      const domain = domainOf(design.domain);
      return [...unprovenLockTypes(domain, design, systemOf(domain, design))].sort();
    };
    expect(of('upstream-7.1')).toEqual(['rwsem', 'ww_mutex']);
    expect(of('sva-2018-v2')).toEqual([]);
  });

  for (const design of builtinDesigns().filter((d) => !LARGE.has(d.name))) {
    it(`${design.name}: the same violation kinds and final worlds, in no more states`, () => {
      const domain = domainOf(design.domain);
      const catalog = propertiesOf(design.domain);
      const { bounds } = domain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
      const system = systemOf(domain, design);
      const unproven = unprovenLockTypes(domain, design, system);
      const run = (reduce: boolean) => {
        const f = finalWorlds();
        const r = exploreSpace(system, domain.space(bounds, design.focus), domain.searchBounds(bounds), {
          monitors: [...catalog.flatMap((p) => p.monitors()), f.monitor],
          collectAll: true,
          ...(reduce ? { reduce: { unproven } } : {}),
        });
        expect(r.coverage.complete).toBe(true);
        return { states: r.coverage.states, kinds: [...r.byKind.keys()].sort(), finals: [...f.seen].sort() };
      };
      const plain = run(false);
      const reduced = run(true);
      expect(reduced.kinds).toEqual(plain.kinds);
      expect(reduced.finals).toEqual(plain.finals);
      expect(reduced.states).toBeLessThanOrEqual(plain.states);
    });
  }
});
