/**
 * The share of `check --shard` (properties/shard-plan.ts): every unit of the
 * search in exactly one shard, and shards' counterexamples combined by `ahead`
 * equal to one run's, ties between scenarios and between first steps included.
 */
import { describe, expect, it } from 'vitest';
import { contextSwitches } from '../../checker/schedule.ts';
import { ahead, parseShard, sharesPerScenario } from '../../checker/search/shard-plan.ts';
import { loadDesign } from '../../loader/load.ts';
import { domainOf } from '../../model/domains.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { type CheckRequest, type Counterexample, checkDesign } from '../../properties/check.ts';

describe('shard plan', () => {
  it('parses I/N counting from 1, and nothing else', () => {
    expect(parseShard('1/1')).toEqual({ index: 0, of: 1 });
    expect(parseShard('3/8')).toEqual({ index: 2, of: 8 });
    for (const bad of ['0/3', '4/3', '1/0', '1', '1/2/3', '-1/2', 'a/b', '01/2', ' / ']) expect(parseShard(bad), bad).toBeNull();
  });

  it('keeps, of equally good counterexamples, the one one run meets first: earlier scenario, then earlier first step', () => {
    const at = (scenario: number, first: number) => ({ scenario, first });
    const r = (length: number, switches: number, scenario: number, first: number) => ({ length, switches, at: at(scenario, first) });
    expect(ahead(r(20, 3, 1, 0), r(20, 3, 2, 0))).toBe(true);
    expect(ahead(r(20, 3, 2, 0), r(20, 3, 1, 0))).toBe(false);
    expect(ahead(r(20, 3, 4, 1), r(20, 3, 4, 2))).toBe(true);
    expect(ahead(r(20, 3, 4, 2), r(20, 3, 4, 1))).toBe(false);
    // steps, then switches, come before the place
    expect(ahead(r(19, 9, 9, 9), r(20, 0, 0, 0))).toBe(true);
    expect(ahead(r(20, 2, 9, 9), r(20, 3, 0, 0))).toBe(true);
    expect(ahead(r(20, 3, 0, 0), null)).toBe(true);
  });

  it('puts every unit of every scenario in exactly one shard, and gives every shard work', () => {
    for (let scenarios = 1; scenarios <= 9; scenarios++)
      for (let n = 1; n <= 12; n++) {
        const shares = sharesPerScenario(scenarios, n, false);
        const owner = new Map<number, number>();
        for (let s = 0; s < scenarios; s++) for (let r = 0; r < shares; r++) owner.set(s * shares + r, (s * shares + r) % n);
        expect(owner.size).toBe(scenarios * shares);
        expect(new Set(owner.values()).size).toBe(n);
      }
    expect(sharesPerScenario(1, 4, true)).toBe(1);
  });
});

async function request(ref: string): Promise<CheckRequest> {
  const { design } = await loadDesign(ref);
  const domain = domainOf(design.domain);
  const { bounds, profile } = domain.parseBounds(Object.entries(design.bounds ?? {}).map(([k, v]) => `${k}=${v}`));
  const catalog = propertiesOf(design.domain);
  return { design, domain, properties: catalog, catalog, modes: ['exhaustive'], bounds, profile, focus: design.focus };
}

const rank = (c: Counterexample) => ({
  length: c.path.length,
  switches: contextSwitches(c.path),
  at: c.at ?? { scenario: 0, first: 0 },
});

/** Shards 1..n in this process, each property's counterexamples combined as merge combines them. */
function merged(req: CheckRequest, n: number) {
  const runs = Array.from({ length: n }, (_, index) => checkDesign({ ...req, shard: { index, of: n } }));
  const states = runs.reduce((sum, rs) => sum + (rs[0]?.states ?? 0), 0);
  const results = req.properties.map((p, k) => {
    let best: Counterexample | null = null;
    for (const rs of runs) {
      const c = rs[k]?.counterexample ?? null;
      if (c && (!best || ahead(rank(c), rank(best)))) best = c;
    }
    return { property: p.name, path: best?.path ?? null, kind: best?.violation.kind ?? null };
  });
  return { results, states };
}

describe('shards combined are one run', () => {
  // split by scenario, the shards' states are one run's (a cache per scenario); split by first steps, more, but each share less than the whole
  for (const [ref, ns, split] of [
    ['evans-2026-rfc-v2', [2], 'scenarios'],
    ['before-close-order', [2, 4], 'first steps'],
  ] as const)
    it(`${ref}: the same counterexample of each property for N = ${ns.join(', ')} (split by ${split})`, async () => {
      const req = await request(ref);
      const single = checkDesign(req);
      const one = single.map((r) => ({
        property: r.property,
        path: r.counterexample?.path ?? null,
        kind: r.counterexample?.violation.kind ?? null,
      }));
      expect(one.some((r) => r.path !== null)).toBe(true);
      const states = single[0]?.states ?? 0;
      for (const n of ns) {
        const m = merged(req, n);
        expect(m.results, `N=${n}`).toEqual(one);
        if (split === 'scenarios') expect(m.states).toBe(states);
        else {
          expect(m.states).toBeGreaterThanOrEqual(states);
          expect(m.states).toBeLessThan(n * states);
        }
      }
    }, 300_000);
});
