/**
 * `lockorder` and `check --property lock-order` give one lock verdict: for the
 * same design at the same bound, lockorder warns (recursion, cycle, deadlock,
 * lockdep's other warnings) exactly where the lock-order property fails, and
 * names the kind the property reports.
 */
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../cli/setup.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { checkDesign } from '../../properties/check.ts';
import { exploreLockGraph, type GraphRun, lockdepWarns } from '../../properties/lock-graph.ts';
import { tempDir } from './helpers.ts';
import { here } from './here.ts';

/** The violation kinds lockorder reports for a run. */
function kindsOf(run: GraphRun): Set<string> {
  return new Set([
    ...run.cycles.map((c) => c.kind),
    ...(run.recursions.length ? ['lockdep-recursion'] : []),
    ...(run.deadlock ? ['deadlock'] : []),
    ...run.warnings.map((w) => w.violation.kind),
  ]);
}

/** Each design's two searches, once: the sva-mmput-sync test and the loop ask for the same ones. */
const verdicts = new Map<string, ReturnType<typeof searchBoth>>();
function bothVerdicts(design: string): ReturnType<typeof searchBoth> {
  if (!verdicts.has(design)) verdicts.set(design, searchBoth(design));
  return verdicts.get(design) as ReturnType<typeof searchBoth>;
}

async function searchBoth(design: string) {
  const target = await resolveTarget(design, [], []);
  const run = exploreLockGraph(target);
  const property = target.catalog.find((p) => p.name === 'lock-order');
  if (!property) throw new Error(`${design} has no lock-order property`);
  const [result] = checkDesign({
    design: target.design,
    domain: target.domain,
    properties: [property],
    catalog: target.catalog,
    modes: ['exhaustive'],
    bounds: target.bounds,
    focus: target.focus,
  });
  return { run, result: result as NonNullable<typeof result> };
}

async function expectOneVerdict(design: string): Promise<void> {
  const { run, result } = await bothVerdicts(design);
  expect(run.coverage.complete && result.complete, `${design}: a search was cut`).toBe(true);
  expect(lockdepWarns(run) ? 'fail' : 'pass', `${design}: lockorder's verdict against check's`).toBe(result.verdict);
  if (result.counterexample) expect([...kindsOf(run)], design).toContain(result.counterexample.violation.kind);
}

describe('one lock verdict: lockorder warns exactly where check lock-order fails', () => {
  it('sva-mmput-sync: the recursive &iommu->lock that check reports', async () => {
    const { run, result } = await bothVerdicts('sva-mmput-sync');
    expect(result.counterexample?.violation.kind).toBe('lockdep-recursion');
    expect(run.recursions.map((r) => r.class)).toEqual(['&iommu->lock']);
    expect(run.graph.recursionReport(run.recursions[0] as GraphRun['recursions'][number])).toContain(
      'WARNING: possible recursive locking detected',
    );
  }, 120_000);

  it('the lockorder report says lockdep would warn, in its own words, and exits 1', async () => {
    const r = await here(['lockorder', '--variant', 'sva-mmput-sync', '--out', tempDir()]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toContain('lockdep would not warn');
    expect(r.stdout).toContain('Recursion 1 of 1 (lockdep-recursion): &iommu->lock taken while already held');
    expect(r.stdout).toContain('WARNING: possible recursive locking detected');
    const j = JSON.parse((await here(['lockorder', '--variant', 'sva-mmput-sync', '--json', '--out', tempDir()])).stdout);
    expect(j.recursions.map((x: { class: string }) => x.class)).toEqual(['&iommu->lock']);
  }, 120_000);

  // every built-in design at its default bound (about 20 s of CPU for both searches of all of them), and a design with a cycle
  for (const design of [...builtinDesigns().map((d) => d.name), 'examples/variants/resv-before-memory-lock.ts'])
    it(design, () => expectOneVerdict(design), 120_000);
});
