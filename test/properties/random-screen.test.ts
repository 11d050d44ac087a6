/**
 * Random mode screens every property in one pass (properties/check.ts): its
 * verdicts and figures must be exactly those of one pass per property, on a
 * design that passes (the screen alone decides) and on one that fails some
 * properties (each then gets its own pass, and its own shrunk violation).
 */
import { describe, expect, it } from 'vitest';
import { randomSearch } from '../../checker/search/random.ts';
import type { Design } from '../../model/design.ts';
import { dmabufDomain } from '../../model/dmabuf-domain.ts';
import { upstream71 } from '../../model/upstream/index.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

const RUNS = 300;
const SEED = 4242;

// biome-ignore lint/suspicious/noExplicitAny: any design of the domain
function bothWays(design: Design<any>, properties = dmabufProperties) {
  const { bounds } = dmabufDomain.parseBounds(Object.entries(design.bounds ?? {}).map(([k, v]) => `${k}=${v}`));
  const screened = checkDesign({
    design,
    domain: dmabufDomain,
    properties,
    catalog: dmabufProperties,
    modes: ['random'],
    bounds,
    focus: design.focus,
    runs: RUNS,
    seed: SEED,
  }).map((r) => [r.property, r.verdict, r.executions, r.steps, r.counterexample?.violation.kind ?? null, r.counterexample?.path ?? null]);
  const system = dmabufDomain.system(design);
  const own = properties.map((p) => {
    const r = randomSearch(system, dmabufDomain.space(bounds, design.focus), dmabufDomain.searchBounds(bounds), {
      runs: RUNS,
      seed: SEED,
      monitors: p.monitors(),
      isFailure: (v) => p.kinds.includes(v.kind),
    });
    return [p.name, r.found ? 'fail' : 'pass', r.runs, r.steps, r.found?.violation.kind ?? null, r.found?.path ?? null];
  });
  return { screened, own };
}

describe('random mode: one screening pass for every property', () => {
  it('gives each property of a passing design the figures of its own pass', () => {
    const { screened, own } = bothWays(upstream71);
    expect(screened.every((r) => r[1] === 'pass')).toBe(true);
    expect(screened).toEqual(own);
  });

  it('falls back to one pass per property when a design fails, with the same violations', () => {
    const design = findBuiltin('before-close-order');
    if (!design) throw new Error('no design before-close-order');
    // failing properties last: the screen must watch every property, not only the first
    const { screened, own } = bothWays(design, [...dmabufProperties].reverse());
    expect(screened[0]?.[1]).toBe('pass');
    expect(screened.some((r) => r[1] === 'fail')).toBe(true);
    expect(screened).toEqual(own);
  });
});
