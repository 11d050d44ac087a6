/**
 * `check --time-limit` is one limit for the whole check: the random screen,
 * each property's own random pass and the exhaustive search share it, instead
 * of each getting all of it (a reviewer who asks for 2 s should not wait 4).
 */
import { describe, expect, it } from 'vitest';
import { dmabufDomain } from '../../model/dmabuf-domain.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

describe('the time limit of a check', () => {
  it('covers both modes together', () => {
    const design = findBuiltin('upstream-7.1');
    if (!design) throw new Error('no upstream-7.1');
    const { bounds } = dmabufDomain.parseBounds(['ops=2']);
    const t0 = Date.now();
    const results = checkDesign({
      design,
      domain: dmabufDomain,
      properties: dmabufProperties,
      catalog: dmabufProperties,
      modes: ['random', 'exhaustive'],
      bounds,
      // far more runs than 2 s allow, so the random pass alone would use the whole limit
      runs: 10_000_000,
      seed: 1,
      timeLimitMs: 2000,
    });
    const seconds = (Date.now() - t0) / 1000;
    const exhaustive = results.find((r) => r.mode === 'exhaustive');
    expect(exhaustive?.coverage?.complete).toBe(false);
    // each mode with its own 2 s would take at least 4 s
    expect(seconds).toBeLessThan(3.5);
  });
});
