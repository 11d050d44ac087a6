/**
 * One measurement in its own process (started by run.ts through runChild):
 * `child.ts JOB PARAMS_JSON`; prints the result as one JSON line on stdout.
 */
import { cellRun, failingCells } from './cells.ts';
import { engineRun } from './engine.ts';
import { exhaustiveRun, reft4Run, shardedRun } from './exhaustive.ts';
import { randomThroughput } from './random.ts';
import { engineSpinRun, panSpinRun } from './spin/runs.ts';
import { xstateRun } from './xstate.ts';

// biome-ignore lint/suspicious/noExplicitAny: parameters arrive as JSON
const jobs: Record<string, (p: any) => unknown> = {
  engine: engineRun,
  random: randomThroughput,
  exhaustive: exhaustiveRun,
  sharded: shardedRun,
  reft4: reft4Run,
  cellList: (p: { root: string; limit?: number }) => failingCells(p.root, p.limit),
  cell: cellRun,
  xstate: xstateRun,
  pan: panSpinRun,
  spinEngine: engineSpinRun,
};

const [job, params] = process.argv.slice(2);
const run = job ? jobs[job] : undefined;
if (!run) {
  process.stderr.write(`unknown job ${job ?? '(none)'}; jobs: ${Object.keys(jobs).join(', ')}\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await run(JSON.parse(params ?? '{}')))}\n`);
