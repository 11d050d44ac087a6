/**
 * Random mode screens every property in one pass (properties/check.ts) whose
 * monitors do not end a run: each property's verdict, violation and shrunk
 * counterexample must be exactly those of one pass per property, on a design
 * that passes and on one that fails some properties; a property that passes
 * sees every run of the screen and no other, and only the failing ones are
 * run again (to shrink).
 */
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../checker/monitor.ts';
import { randomSearch } from '../../checker/search/random.ts';
import type { Design } from '../../model/design.ts';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { upstream71 } from '../../model/dmabuf/upstream/index.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';
import type { Property } from '../../properties/property.ts';
import { systemOf } from '../../properties/system.ts';

const RUNS = 300;
const SEED = 4242;

const boundsOf = (design: Design<object>) =>
  dmabufDomain.parseBounds(Object.entries(design.bounds ?? {}).map(([k, v]) => `${k}=${v}`)).bounds;

function screened(design: Design<object>, properties: readonly Property[], runs = RUNS) {
  return checkDesign({
    design,
    domain: dmabufDomain,
    properties,
    catalog: dmabufProperties,
    modes: ['random'],
    bounds: boundsOf(design),
    focus: design.focus,
    runs,
    seed: SEED,
  });
}

function bothWays(design: Design<object>, properties = dmabufProperties) {
  const bounds = boundsOf(design);
  const screen = screened(design, properties).map((r) => ({
    property: r.property,
    verdict: r.verdict,
    executions: r.executions,
    // a failing property's steps include its shrinking, which its own pass counts differently
    steps: r.verdict === 'fail' ? null : r.steps,
    kind: r.counterexample?.violation.kind ?? null,
    path: r.counterexample?.path ?? null,
    runsToFailure: r.runsToFailure ?? null,
    shrunkLength: r.shrunkLength ?? null,
  }));
  const system = systemOf(dmabufDomain, design);
  const own = properties.map((p) => {
    const r = randomSearch(system, dmabufDomain.space(bounds, design.focus), dmabufDomain.searchBounds(bounds), {
      runs: RUNS,
      seed: SEED,
      monitors: p.monitors(),
      isFailure: (v) => p.kinds.includes(v.kind),
    });
    return {
      property: p.name,
      verdict: r.found ? 'fail' : 'pass',
      // the screen goes on after a failure: every property sees every run
      executions: RUNS,
      steps: r.found ? null : r.steps,
      kind: r.found?.violation.kind ?? null,
      path: r.found?.path ?? null,
      runsToFailure: r.found?.runsToFailure ?? null,
      shrunkLength: r.found?.shrunkLength ?? null,
    };
  });
  return { screen, own };
}

/** A property that never fails and counts the executions its monitor is started on. */
function counter(): { property: Property; executions: () => number } {
  let n = 0;
  const monitor: Monitor = {
    name: 'count-executions',
    reset: () => {
      n++;
    },
  };
  const property: Property = {
    name: 'count-executions',
    domain: 'dmabuf',
    statement: 'counts executions',
    checked: ['every step'],
    kinds: [],
    monitors: () => [monitor],
    limits: 'none',
  };
  return { property, executions: () => n };
}

describe('random mode: one screening pass for every property', () => {
  it('gives each property of a passing design the figures of its own pass', () => {
    const { screen, own } = bothWays(upstream71);
    expect(screen.every((r) => r.verdict === 'pass')).toBe(true);
    expect(screen).toEqual(own);
  });

  it('gives each property of a failing design the verdict and shrunk violation of its own pass', () => {
    const design = findBuiltin('before-close-order');
    if (!design) throw new Error('no design before-close-order');
    // failing properties last: the screen must watch every property, not only the first
    const { screen, own } = bothWays(design, [...dmabufProperties].reverse());
    expect(screen[0]?.verdict).toBe('pass');
    expect(screen.some((r) => r.verdict === 'fail')).toBe(true);
    expect(screen).toEqual(own);
  });

  it('runs a property that passes on a failing design once, over the screen alone', () => {
    const design = findBuiltin('before-close-order');
    if (!design) throw new Error('no design before-close-order');
    const probe = counter();
    const results = screened(design, [...dmabufProperties, probe.property]);
    expect(results.some((r) => r.verdict === 'fail')).toBe(true);
    expect(results.find((r) => r.property === probe.property.name)?.verdict).toBe('pass');
    // no pass of its own after the screen: it saw exactly the runs asked
    expect(probe.executions()).toBe(RUNS);
  });

  it('ends the screen once every property has failed', () => {
    const design = findBuiltin('before-close-order');
    if (!design) throw new Error('no design before-close-order');
    const failing = screened(design, dmabufProperties).filter((r) => r.verdict === 'fail');
    const names = new Set(failing.map((r) => r.property));
    const only = dmabufProperties.filter((p) => names.has(p.name));
    const results = screened(design, only, 100_000);
    const last = Math.max(...results.map((r) => r.runsToFailure ?? Number.POSITIVE_INFINITY));
    expect(results.every((r) => r.verdict === 'fail' && r.complete)).toBe(true);
    expect(results.every((r) => r.executions === last)).toBe(true);
  });
});
