/** Every catalog property holds for upstream-7.1, in both search modes, at the default bound. */
import { describe, expect, it } from 'vitest';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { upstream71 } from '../../model/dmabuf/upstream/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

const bounds = dmabufDomain.parseBounds([]).bounds;

describe('upstream-7.1 at the default bound', () => {
  it('passes every property in every interleaving of every scenario (exhaustive)', () => {
    const results = checkDesign({
      design: upstream71,
      domain: dmabufDomain,
      properties: dmabufProperties,
      catalog: dmabufProperties,
      modes: ['exhaustive'],
      bounds,
    });
    expect(results.map((r) => [r.property, r.verdict, r.counterexample?.violation.message ?? null])).toEqual(
      dmabufProperties.map((p) => [p.name, 'pass', null]),
    );
    const cov = results[0]?.coverage;
    expect(cov?.complete).toBe(true);
    expect(cov?.states).toBeGreaterThan(10_000);
  });

  it('passes every property under random search (fast-check scenarios and schedules)', () => {
    const results = checkDesign({
      design: upstream71,
      domain: dmabufDomain,
      properties: dmabufProperties,
      catalog: dmabufProperties,
      modes: ['random'],
      bounds,
      runs: 400,
      seed: 2026,
    });
    expect(results.map((r) => [r.property, r.verdict, r.counterexample?.violation.message ?? null])).toEqual(
      dmabufProperties.map((p) => [p.name, 'pass', null]),
    );
    for (const r of results) expect(r.executions).toBe(400);
  });
});
