/**
 * `check --symmetry` on built-in designs: the reduced search finds every
 * violation kind and every final world (up to renaming the interchangeable
 * threads) the plain search finds, with counterexamples as short, in fewer states, on designs whose bugs
 * involve the symmetric roles (fd closers, pinned and sync importers). The
 * larger cases (merged-6.19 with fence=2, kasireddy-2024-v1 with
 * dmabuf_mmappers=2) agree too but take minutes: BENCHMARKS.md lists them.
 */
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../checker/monitor.ts';
import { exploreSpace } from '../../checker/search/space-search.ts';
import { Symmetry, type SymmetryState } from '../../checker/symmetry.ts';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { symmetryOf } from '../../properties/symmetry.ts';
import { systemOf } from '../../properties/system.ts';

const CASES: [string, Record<string, number>, string[]][] = [
  ['upstream-7.1', { sync: 2, ops: 0 }, []],
  ['broken-cleanup-no-file-check', { fdclosers: 2 }, ['illegal-transition', 'revoke-not-sticky']],
  ['broken-export-fd-early', { fdclosers: 2 }, ['illegal-transition', 'use-after-free']],
  ['before-pinned-importer', { pinned: 2 }, ['deadlock', 'errno-mismatch', 'mapping-survives-revoke']],
  ['broken-release-no-unlink', { fdclosers: 2 }, ['use-after-free']],
];

describe('symmetry reduction on built-in designs', () => {
  for (const [name, extra, expected] of CASES) {
    it(`${name} with ${Object.entries(extra)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}: the same violation kinds and final worlds in fewer states`, () => {
      const design = builtinDesigns().find((d) => d.name === name);
      if (!design) throw new Error(name);
      const domain = domainOf(design.domain);
      const catalog = propertiesOf(design.domain);
      const { bounds } = domain.parseBounds(Object.entries({ ...design.bounds, ...extra }).map(([k, v]) => `${k}=${v}`));
      const system = systemOf(domain, design);
      const groups = symmetryOf(domain, bounds, design.focus);
      const run = (symmetry: boolean) => {
        const finals = new Set<string>();
        // a final world as the least of its renamings, so the plain search's finals and the reduced one's compare
        const monitor: Monitor = {
          name: 'final-worlds',
          atEnd(exec) {
            const g = groups(exec.scenario);
            const parts = { world: exec.world.keyParts(), threads: [], monitors: [] };
            const key =
              g.length === 0
                ? parts.world.sort().join('')
                : new Symmetry(g, exec.scenario.threads.length).canonical({ stateKeyParts: () => parts } as unknown as SymmetryState, true)
                    .fp.key;
            finals.add(`${exec.threadNames.join()}|${key}`);
            return null;
          },
        };
        const r = exploreSpace(system, domain.space(bounds, design.focus), domain.searchBounds(bounds), {
          monitors: [...catalog.flatMap((p) => p.monitors()), monitor],
          collectAll: true,
          ...(symmetry ? { symmetry: groups } : {}),
        });
        expect(r.coverage.complete).toBe(true);
        const lengths = [...r.byKind].map(([kind, found]) => `${kind}:${found.path.length}`).sort();
        return { states: r.coverage.states, kinds: [...r.byKind.keys()].sort(), lengths, finals: [...finals].sort() };
      };
      const plain = run(false);
      const reduced = run(true);
      expect(plain.kinds).toEqual(expected);
      expect(reduced.kinds).toEqual(plain.kinds);
      expect(reduced.finals).toEqual(plain.finals);
      // a renaming of a shortest counterexample is as short
      expect(reduced.lengths).toEqual(plain.lengths);
      expect(reduced.states).toBeLessThan(plain.states);
    }, 120_000);
  }
});
