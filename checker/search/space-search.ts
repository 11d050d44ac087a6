import type { Scenario, System } from '../scenario.ts';
import { enumerateScenarios, type ScenarioSpace, type SpaceBounds } from '../space.ts';
import { addCoverage, type Coverage, type ExhaustiveOptions, emptyCoverage, exploreScenario, type Found } from './exhaustive.ts';
import { better } from './findings.ts';

export type ScenarioFound = Found & { readonly scenario: Scenario };

export interface SpaceResult {
  readonly found: ScenarioFound | null;
  /** with collectAll: the shortest counterexample of each violation kind over the space */
  readonly byKind: ReadonlyMap<string, ScenarioFound>;
  readonly coverage: Coverage;
  readonly scenarios: number;
  readonly bounds: SpaceBounds;
}

const size = (s: Scenario) => s.threads.reduce((n, t) => n + t.ops.length, 0);

/**
 * Every scenario within the bounds, every interleaving of each. Scenarios run
 * smallest first, and each later one is only searched for a strictly shorter
 * counterexample, so the result is the shortest over the whole bounded space.
 */
export function exploreSpace(
  system: System,
  space: ScenarioSpace,
  bounds: SpaceBounds,
  options: ExhaustiveOptions = {},
  onScenario?: (done: number, total: number, coverage: Coverage) => void,
): SpaceResult {
  const all = [...enumerateScenarios(space, bounds)].sort((a, b) => size(a) - size(b));
  let coverage = emptyCoverage();
  let found: SpaceResult['found'] = null;
  const byKind = new Map<string, ScenarioFound>();
  let done = 0;
  const t0 = Date.now();
  for (const scenario of all) {
    const left = options.timeLimitMs === undefined ? undefined : options.timeLimitMs - (Date.now() - t0);
    if (left !== undefined && left <= 0) {
      coverage.complete = false;
      break;
    }
    const r = exploreScenario(system, scenario, {
      ...options,
      ...(found && !options.collectAll ? { shorterThan: found.path.length } : {}),
      ...(left === undefined ? {} : { timeLimitMs: left }),
    });
    coverage = addCoverage(coverage, r.coverage);
    done++;
    if (r.found && (!found || r.found.path.length < found.path.length)) found = { ...r.found, scenario };
    for (const [kind, f] of r.byKind) if (better(f, byKind.get(kind))) byKind.set(kind, { ...f, scenario });
    onScenario?.(done, all.length, coverage);
    if (found && options.firstOnly) break;
  }
  return { found, byKind, coverage, scenarios: done, bounds };
}
