/**
 * Exhaustive search spread over workers, one shard of the scenario list each
 * (scenario i goes to shard i mod jobs): what a worker is asked and answers,
 * and how the answers add up. Scenarios are independent: each has its own
 * state cache, and the catalog's monitors judge one execution at a time, so a
 * shard finds in a scenario exactly what a single process finds there. The
 * parent adds the shards' results in list order, as the sequential search
 * does, so the verdicts, counterexamples and coverage do not depend on the
 * number of jobs. Only for searches that keep every kind's shortest
 * counterexample (collectAll), which is what check and the matrix run. The
 * workers themselves are processes: cli/shards.ts starts them.
 */
import type { Coverage, ExhaustiveOptions, ExhaustiveResult, Found } from '../checker/search/exhaustive.ts';
import { type ScenarioList, SpaceFindings, type SpaceResult } from '../checker/search/space-search.ts';
import type { BoundValues } from '../model/domain.ts';
import { isFault } from './design-fault.ts';

/** What a worker needs to rebuild the search: all of it plain data. */
export interface ShardJob {
  /** a built-in design's name or a variant module's path (loader/load.ts) */
  readonly design: string;
  readonly bounds: BoundValues;
  readonly profile: string | null;
  readonly focus: readonly string[];
  readonly dpor: boolean;
  /** transaction reduction (check --reduce): each worker runs the design's static analysis again */
  readonly reduce?: boolean;
  /** symmetry reduction (check --symmetry): each worker finds each scenario's interchangeable threads again */
  readonly symmetry?: boolean;
  /** the state cache keeps full keys (ExhaustiveOptions.exactKeys) */
  readonly exact?: boolean;
  readonly timeLimitMs?: number;
  /** each worker's own memory limit (see ExhaustiveOptions.maxMemoryBytes) */
  readonly maxMemoryBytes?: number;
  /** a step of design code that runs longer (default 10 s) is a broken design: the worker's watcher ends it */
  readonly stepLimitMs?: number;
  readonly shard: number;
  readonly jobs: number;
  /** the parent's pid: a worker whose parent is gone stops */
  readonly parent: number;
}

/** One scenario's result, as a worker sends it. */
export interface ShardMessage {
  readonly index: number;
  readonly found: Found | null;
  readonly byKind: readonly (readonly [string, Found])[];
  readonly coverage: Coverage;
}

/** The options every check's exhaustive search runs with. */
export function checkOptions(dpor: boolean, timeLimitMs: number | undefined, maxMemoryBytes?: number, exact = false): ExhaustiveOptions {
  return {
    collectAll: true,
    // a broken design fails the whole check: nothing after its first fault matters
    endsSearch: isFault,
    ...(dpor ? { dpor: true } : {}),
    ...(exact ? { exactKeys: true } : {}),
    ...(timeLimitMs === undefined ? {} : { timeLimitMs }),
    ...(maxMemoryBytes === undefined ? {} : { maxMemoryBytes }),
  };
}

export function toMessage(index: number, r: ExhaustiveResult): ShardMessage {
  return { index, found: r.found, byKind: [...r.byKind], coverage: r.coverage };
}

/**
 * Runs `jobs` workers over the scenario list and merges what they find
 * (cli/shards.ts): rejects with a one-line message when a worker fails.
 */
export type ExploreShards = (
  job: Omit<ShardJob, 'shard' | 'jobs' | 'parent'>,
  scenarios: ScenarioList,
  jobs: number,
  onScenario?: (done: number, total: number, coverage: Coverage) => void,
) => Promise<SpaceResult>;

/** The workers' results, by scenario index, added up in list order: the result one process would give. */
export function mergeShards(scenarios: ScenarioList, results: ReadonlyMap<number, ShardMessage>): SpaceResult {
  const acc = new SpaceFindings();
  // the list is made again, in order, only as far as the workers got
  const last = Math.max(-1, ...results.keys());
  let index = -1;
  for (const scenario of scenarios) {
    if (++index > last) break;
    const m = results.get(index);
    // a shard stops at its time limit: the scenarios it did not reach are not covered
    if (!m) {
      acc.coverage.complete = false;
      continue;
    }
    acc.add(scenario, { found: m.found, byKind: new Map(m.byKind), coverage: m.coverage });
  }
  if (last < scenarios.total - 1) acc.coverage.complete = false;
  return acc.result();
}
