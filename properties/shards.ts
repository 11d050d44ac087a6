/**
 * Exhaustive search spread over worker processes, one shard of the scenario
 * list each (scenario i goes to shard i mod jobs). Scenarios are independent:
 * each has its own state cache, and the catalog's monitors judge one execution
 * at a time, so a shard finds in a scenario exactly what a single process
 * finds there. The parent adds the shards' results in list order, as the
 * sequential search does, so the verdicts, counterexamples and coverage do not
 * depend on the number of jobs. Only for searches that keep every kind's
 * shortest counterexample (collectAll), which is what check and the matrix run.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  addCoverage,
  type Coverage,
  type ExhaustiveOptions,
  type ExhaustiveResult,
  emptyCoverage,
  type Found,
} from '../checker/search/exhaustive.ts';
import { type ScenarioList, SpaceFindings, type SpaceResult } from '../checker/search/space-search.ts';
import type { BoundValues } from '../model/domain.ts';
import { BrokenDesign, isFault } from './design-fault.ts';

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

const WORKER = fileURLToPath(new URL('./shard-worker.ts', import.meta.url));

/**
 * A worker's node options: tsx's loader by absolute URL, so that a worker
 * started from any directory runs the TypeScript sources, and the parent's
 * heap limit, which a long search needs as much in every worker.
 */
function workerArgv(): string[] {
  return [
    '--import',
    import.meta.resolve('tsx'),
    '--import',
    import.meta.resolve('../checker/compiled/register.ts'),
    ...process.execArgv.filter((a) => a.startsWith('--max-old-space-size')),
  ];
}

/**
 * Runs `jobs` workers over the scenario list and merges what they find.
 * Rejects with a one-line message when a worker fails.
 */
export async function exploreShards(
  job: Omit<ShardJob, 'shard' | 'jobs' | 'parent'>,
  scenarios: ScenarioList,
  jobs: number,
  onScenario?: (done: number, total: number, coverage: Coverage) => void,
): Promise<SpaceResult> {
  const results = new Map<number, ShardMessage>();
  let covered = emptyCoverage();
  const children: ChildProcess[] = [];
  const run = (shard: number) =>
    new Promise<void>((resolve, reject) => {
      const child = fork(WORKER, [JSON.stringify({ ...job, shard, jobs, parent: process.pid } satisfies ShardJob)], {
        execArgv: workerArgv(),
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      children.push(child);
      let stderr = '';
      let failure: string | null = null;
      let broken = false;
      child.stderr?.on('data', (d) => {
        stderr += String(d);
      });
      child.on('message', (m: ShardMessage | { error: string; broken?: boolean }) => {
        if ('error' in m) {
          failure = m.error;
          broken = m.broken === true;
          return;
        }
        results.set(m.index, m);
        // progress in arrival order: only counts, never the verdict
        covered = addCoverage(covered, m.coverage);
        onScenario?.(results.size, scenarios.total, covered);
      });
      child.on('error', (e) => reject(new Error(`search worker ${shard}: ${e.message}`)));
      child.on('exit', (code, signal) => {
        if (code === 0 && failure === null) resolve();
        // the worker's watcher ended a step of design code that did not return: the input is at fault
        else if (broken && failure !== null) reject(new BrokenDesign(failure));
        else
          reject(
            new Error(
              `search worker ${shard} failed: ${failure ?? (signal ? `killed by ${signal}` : (stderr.trim().split('\n').pop() ?? `exit ${code}`))}`,
            ),
          );
      });
    });
  try {
    await Promise.all(Array.from({ length: jobs }, (_, shard) => run(shard)));
  } catch (e) {
    // one worker failed: the search is over, the others need not run on
    for (const c of children) if (c.exitCode === null) c.kill();
    throw e;
  }
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
