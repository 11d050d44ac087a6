/**
 * The share of `check --shard` (properties/shard-plan.ts): every unit of the
 * search in exactly one shard, and shards' counterexamples combined by `ahead`
 * equal to one run's, ties between scenarios and between first steps included.
 */
import { describe, expect, it } from 'vitest';
import { contextSwitches } from '../../checker/schedule.ts';
import { loadDesign } from '../../loader/load.ts';
import { domainOf } from '../../model/domains.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { type CheckRequest, type Counterexample, checkDesign } from '../../properties/check.ts';
import { ahead, parseShard, sharesPerScenario } from '../../properties/shard-plan.ts';

describe('shard plan', () => {
  it('parses I/N counting from 1, and nothing else', () => {
    expect(parseShard('1/1')).toEqual({ index: 0, of: 1 });
    expect(parseShard('3/8')).toEqual({ index: 2, of: 8 });
    for (const bad of ['0/3', '4/3', '1/0', '1', '1/2/3', '-1/2', 'a/b', '01/2', ' / ']) expect(parseShard(bad), bad).toBeNull();
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
  return req.properties.map((p, k) => {
    let best: Counterexample | null = null;
    for (const rs of runs) {
      const c = rs[k]?.counterexample ?? null;
      if (c && (!best || ahead(rank(c), rank(best)))) best = c;
    }
    return { property: p.name, path: best?.path ?? null, kind: best?.violation.kind ?? null };
  });
}

describe('shards combined are one run', () => {
  for (const [ref, ns] of [
    ['evans-2026-rfc-v2', [2]],
    ['before-close-order', [2, 4]],
  ] as const)
    it(`${ref}: the same counterexample of each property for N = ${ns.join(', ')}`, async () => {
      const req = await request(ref);
      const one = checkDesign(req).map((r) => ({
        property: r.property,
        path: r.counterexample?.path ?? null,
        kind: r.counterexample?.violation.kind ?? null,
      }));
      expect(one.some((r) => r.path !== null)).toBe(true);
      for (const n of ns) expect(merged(req, n), `N=${n}`).toEqual(one);
    }, 300_000);
});
