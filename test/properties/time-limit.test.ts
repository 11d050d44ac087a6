/**
 * `check --time-limit` is one limit for the whole check: the random screen,
 * each property's own random pass and the exhaustive search share it, instead
 * of each getting all of it (a reviewer who asks for 2 s should not wait 4).
 * A search it cuts with nothing found is incomplete, never a pass, and a cut
 * random search repeats exactly with the number of runs it made.
 */
import { describe, expect, it } from 'vitest';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { type CheckRequest, checkDesign, overallVerdict, type PropertyResult } from '../../properties/check.ts';

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
    // nothing was found, but nothing was proved either
    expect(results.every((r) => r.verdict === 'incomplete' && !r.complete)).toBe(true);
    expect(overallVerdict(results)).toBe('incomplete');
    const searched = exhaustive?.searched;
    expect(searched && 'scenarios' in searched && searched.scenarios < searched.scenariosTotal).toBe(true);
    // each mode with its own 2 s would take at least 4 s
    expect(seconds).toBeLessThan(3.5);
  });
});

/** What a cut random search and its repetition must share: the runs, and what each property saw in them. */
const figures = (rs: readonly PropertyResult[]) =>
  rs.map((r) => ({
    property: r.property,
    failed: r.verdict === 'fail',
    searched: r.searched,
    executions: r.executions,
    steps: r.steps,
    kind: r.counterexample?.violation.kind ?? null,
    path: r.counterexample?.path ?? null,
    runsToFailure: r.runsToFailure ?? null,
    shrunkLength: r.shrunkLength ?? null,
  }));

describe('a random search cut by the time limit', () => {
  it.each(['upstream-7.1', 'before-close-order'])('on %s: incomplete, and repeated exactly by --runs set to the runs it made', (name) => {
    const design = findBuiltin(name);
    if (!design) throw new Error(`no design ${name}`);
    const { bounds } = dmabufDomain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
    const req: CheckRequest = {
      design,
      domain: dmabufDomain,
      properties: dmabufProperties,
      catalog: dmabufProperties,
      modes: ['random'],
      bounds,
      focus: design.focus,
      runs: 10_000_000,
      seed: 99,
      timeLimitMs: 1500,
    };
    const cut = checkDesign(req);
    const searched = cut[0]?.searched;
    if (!searched || !('runs' in searched)) throw new Error('no random figures');
    expect(searched.runsAsked).toBe(10_000_000);
    expect(searched.runs).toBeGreaterThan(0);
    expect(searched.runs).toBeLessThan(10_000_000);
    expect(cut.every((r) => !r.complete && r.verdict !== 'pass')).toBe(true);
    expect(cut.some((r) => r.verdict === 'incomplete')).toBe(true);
    // before-close-order fails within the first runs: those verdicts stand, shrunk as without a limit
    if (name === 'before-close-order') expect(cut.some((r) => r.verdict === 'fail')).toBe(true);
    // the same seed, as many runs as were made, no time limit: the same runs, the same findings
    const { timeLimitMs: _, ...rest } = req;
    const again = checkDesign({ ...rest, runs: searched.runs });
    expect(again.every((r) => r.complete && r.verdict !== 'incomplete')).toBe(true);
    expect(figures(again)).toEqual(figures(cut).map((f) => ({ ...f, searched: { runs: searched.runs, runsAsked: searched.runs } })));
  });
});
