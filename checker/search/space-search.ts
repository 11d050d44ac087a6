import type { Scenario, System } from '../scenario.ts';
import { fixedList, type ScenarioList, spaceScenarios } from '../scenario-list.ts';
import type { ScenarioSpace, SpaceBounds } from '../space.ts';
import { heapFull } from './deadline.ts';
import {
  addCoverage,
  type Coverage,
  type ExhaustiveOptions,
  type ExhaustiveResult,
  emptyCoverage,
  exploreScenario,
  type Found,
} from './exhaustive.ts';
import { better } from './findings.ts';

export type ScenarioFound = Found & { readonly scenario: Scenario };

export interface SpaceResult {
  readonly found: ScenarioFound | null;
  /** with collectAll: the shortest counterexample of each violation kind over the space */
  readonly byKind: ReadonlyMap<string, ScenarioFound>;
  readonly coverage: Coverage;
  readonly scenarios: number;
}

export { type ScenarioList, spaceScenarios } from '../scenario-list.ts';

/** A list given as an array (a profile's scenarios) or made lazily (a bounded space). */
export const asList = (scenarios: ScenarioList | readonly Scenario[]): ScenarioList =>
  Array.isArray(scenarios) ? fixedList(scenarios as readonly Scenario[]) : (scenarios as ScenarioList);

/**
 * What a search over a list of scenarios found so far. Results must be added
 * in list order: a later scenario's counterexample replaces an earlier one only
 * when strictly better, so the outcome does not depend on who explored which
 * scenario (a parallel search adds its shards' results in list order too).
 */
export class SpaceFindings {
  found: ScenarioFound | null = null;
  readonly byKind = new Map<string, ScenarioFound>();
  coverage = emptyCoverage();
  /** scenarios searched to their end (one that a limit stopped midway is not counted) */
  scenarios = 0;

  add(scenario: Scenario, r: Pick<ExhaustiveResult, 'found' | 'byKind' | 'coverage'>): void {
    this.coverage = addCoverage(this.coverage, r.coverage);
    if (!r.coverage.stopped) this.scenarios++;
    if (r.found && (!this.found || r.found.path.length < this.found.path.length)) this.found = { ...r.found, scenario };
    for (const [kind, f] of r.byKind) if (better(f, this.byKind.get(kind))) this.byKind.set(kind, { ...f, scenario });
  }

  result(): SpaceResult {
    return { found: this.found, byKind: this.byKind, coverage: this.coverage, scenarios: this.scenarios };
  }
}

/**
 * Every interleaving of each scenario of a list, in order. Unless collectAll,
 * each later scenario is only searched for a strictly shorter counterexample,
 * so with the list smallest first the result is the shortest over the list.
 */
export function exploreScenarios(
  system: System,
  scenarios: ScenarioList | readonly Scenario[],
  options: ExhaustiveOptions = {},
  onScenario?: (done: number, total: number, coverage: Coverage) => void,
): SpaceResult {
  const acc = new SpaceFindings();
  const t0 = Date.now();
  const list = asList(scenarios);
  for (const scenario of list) {
    const left = options.timeLimitMs === undefined ? undefined : options.timeLimitMs - (Date.now() - t0);
    if (left !== undefined && left <= 0) {
      acc.coverage.complete = false;
      break;
    }
    if (heapFull(options.maxMemoryBytes)) {
      acc.coverage.complete = false;
      acc.coverage.memoryCut = true;
      break;
    }
    const found = acc.found;
    const r = exploreScenario(system, scenario, {
      ...options,
      ...(found && !options.collectAll ? { shorterThan: found.path.length } : {}),
      ...(left === undefined ? {} : { timeLimitMs: left }),
    });
    acc.add(scenario, r);
    onScenario?.(acc.scenarios, list.total, acc.coverage);
    if (acc.found && options.firstOnly) break;
    if (options.endsSearch && [...r.byKind.values(), ...(r.found ? [r.found] : [])].some((f) => options.endsSearch?.(f.violation))) break;
    // a limit that stopped one scenario (a heap that filled once fills again) ends the search
    if (r.coverage.stopped || r.coverage.memoryCut) break;
  }
  return acc.result();
}

/** Every scenario within the bounds, every interleaving of each: the shortest counterexample over the bounded space. */
export function exploreSpace(
  system: System,
  space: ScenarioSpace,
  bounds: SpaceBounds,
  options: ExhaustiveOptions = {},
  onScenario?: (done: number, total: number, coverage: Coverage) => void,
): SpaceResult {
  return exploreScenarios(system, spaceScenarios(space, bounds), options, onScenario);
}
