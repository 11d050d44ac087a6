/**
 * Every property can fail: for each one, a design whose bug breaks it is caught
 * by random search (shrunk, then minimized) and by exhaustive search (shortest),
 * at that design's own bound.
 */
import { describe, expect, it } from 'vitest';
import { dmabufDomain } from '../../model/dmabuf-domain.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { BREAKERS } from '../../properties/breakers.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

describe('each property catches a bug', () => {
  for (const p of dmabufProperties) {
    it(`${p.name} fails on ${BREAKERS[p.name]} in both modes`, () => {
      const design = findBuiltin(BREAKERS[p.name] as string);
      if (!design) throw new Error(`no design ${BREAKERS[p.name]}`);
      const { bounds } = dmabufDomain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
      const [random, exhaustive] = [
        checkDesign({
          design,
          domain: dmabufDomain,
          properties: [p],
          catalog: dmabufProperties,
          modes: ['random'],
          bounds,
          focus: design.focus,
          runs: 1000,
          seed: 11,
        }),
        checkDesign({
          design,
          domain: dmabufDomain,
          properties: [p],
          catalog: dmabufProperties,
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
