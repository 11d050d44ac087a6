/**
 * Every property can fail: for each one of each lifecycle, a design whose bug
 * breaks it is caught by random search (shrunk, then minimized) and by
 * exhaustive search (shortest), at that design's own bound. A property with no
 * breaker in one lifecycle must have one in the other (the same monitors).
 */
import { describe, expect, it } from 'vitest';
import { domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { BREAKERS } from '../../properties/breakers.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

describe.each(['dmabuf', 'sva'] as const)('each %s property catches a bug', (name) => {
  const domain = domainOf(name);
  const catalog = propertiesOf(name);
  it('every property has a breaker here or in the other lifecycle', () => {
    const unbroken = catalog.filter((p) => !BREAKERS.dmabuf[p.name] && !BREAKERS.sva[p.name]).map((p) => p.name);
    expect(unbroken).toEqual([]);
  });
  for (const p of catalog.filter((x) => BREAKERS[name][x.name])) {
    const breaker = BREAKERS[name][p.name] as string;
    it(`${p.name} fails on ${breaker} in both modes`, () => {
      const design = findBuiltin(breaker);
      if (!design) throw new Error(`no design ${breaker}`);
      const { bounds } = domain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
      const [random, exhaustive] = [
        checkDesign({
          design,
          domain,
          properties: [p],
          catalog,
          modes: ['random'],
          bounds,
          focus: design.focus,
          runs: 1000,
          seed: 11,
        }),
        checkDesign({
          design,
          domain,
          properties: [p],
          catalog,
          modes: ['exhaustive'],
          bounds,
          focus: design.focus,
        }),
      ].map((r) => r[0]);
      expect(exhaustive?.verdict, exhaustive?.counterexample?.violation.message).toBe('fail');
      expect(p.kinds).toContain(exhaustive?.counterexample?.violation.kind);
      expect(random?.verdict).toBe('fail');
      expect(p.kinds).toContain(random?.counterexample?.violation.kind);
    });
  }
});
