/**
 * The worker processes of a parallel exhaustive search (properties/shards.ts
 * says what each is asked and how their answers add up): forking them,
 * watching them, and what a failed one means.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { addCoverage, emptyCoverage } from '../checker/search/exhaustive.ts';
import { type CheckRequest, checkDesignSharded, type PropertyResult } from '../properties/check.ts';
import { BrokenDesign } from '../properties/design-fault.ts';
import { type ExploreShards, mergeShards, type ShardJob, type ShardMessage } from '../properties/shards.ts';

/**
 * checkDesign with the exhaustive search spread over `jobs` worker processes,
 * which load the design again from `designRef` (a built-in name or a module
 * path). The results are those of checkDesign, whatever `jobs` is.
 */
export function checkDesignJobs(req: CheckRequest, designRef: string, jobs: number): Promise<PropertyResult[]> {
  return checkDesignSharded(req, designRef, jobs, exploreShards);
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

/** Runs `jobs` worker processes over the scenario list and merges what they find (properties/shards.ts ExploreShards). */
export const exploreShards: ExploreShards = async (job, scenarios, jobs, onScenario) => {
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
  return mergeShards(scenarios, results);
};
