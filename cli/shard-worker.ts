/**
 * One worker of a parallel exhaustive search (cli/shards.ts): explores the
 * scenarios i with i mod jobs = shard and sends each one's result to the
 * parent as it completes. Started by exploreShards with its job as argv[2].
 *
 * The search runs in a worker thread that this process's main thread watches,
 * as the single search is watched (cli/supervisor.ts): design code that loops
 * without yielding cannot be stopped from its own thread, so a step that runs
 * past the step limit (or past the time limit) is reported to the parent as a
 * broken design and this process exits.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BEAT_SLOTS, watchSteps } from '../checker/heartbeat.ts';
import { exploreScenario } from '../checker/search/exhaustive.ts';
import { watchStuckSteps } from '../checker/step-watch.ts';
import { loadDesign } from '../loader/load.ts';
import { designDomain } from '../model/design-domain.ts';
import { propertiesOf } from '../properties/catalog.ts';
import { unprovenLockTypes } from '../properties/reduce.ts';
import { checkOptions, type ShardJob, toMessage } from '../properties/shards.ts';
import { symmetryOf } from '../properties/symmetry.ts';
import { systemOf } from '../properties/system.ts';
import { checkScenarios } from '../properties/target.ts';

/** What the search thread tells this process's main thread: a heartbeat name, or a message for the parent. */
type ThreadMessage = { readonly name: readonly [number, string] } | { readonly send: unknown };

const sendToParent = (m: unknown) => new Promise<void>((resolve) => process.send?.(m, () => resolve()));

if (isMainThread) {
  const job = JSON.parse(process.argv[2] ?? '') as ShardJob;
  const beat = new Int32Array(new SharedArrayBuffer(BEAT_SLOTS * 4));
  const names = new Map<number, string>();
  const deadline = job.timeLimitMs === undefined ? null : Date.now() + job.timeLimitMs;
  // a worker thread does not inherit the process's loaders: it registers tsx and then the compiled engine's hook, as
  // cli/bin.js does (without the hook its model code runs native, and a keyed search keys threads by their logs), then
  // loads this file
  const api = (name: string) => JSON.stringify(import.meta.resolve(`tsx/${name}/api`));
  const hook = JSON.stringify(import.meta.resolve('../checker/compiled/register.ts'));
  const boot = `Promise.all([import(${api('esm')}), import(${api('cjs')})]).then(([esm, cjs]) => { esm.register(); cjs.register(); return import(${hook}); }).then(() => import(${JSON.stringify(import.meta.url)}))`;
  // the same argv in the thread: design code that reads it sees this process's
  const thread = new Worker(boot, { eval: true, argv: process.argv.slice(2), workerData: { job, beat: beat.buffer } });
  let sending = Promise.resolve();
  const stop = watchStuckSteps(
    beat,
    names,
    () => ({ stepMs: job.stepLimitMs ?? 10_000, deadline }),
    (message) => {
      void thread.terminate();
      void sending.then(() => sendToParent({ error: message, broken: true })).then(() => process.exit(1));
    },
  );
  thread.on('message', (m: ThreadMessage) => {
    if ('name' in m) names.set(m.name[0], m.name[1]);
    else sending = sending.then(() => sendToParent(m.send));
  });
  thread.on('error', (e) => {
    stop();
    void sending.then(() => sendToParent({ error: String(e?.message ?? e).split('\n')[0] })).then(() => process.exit(1));
  });
  thread.on('exit', (code) => {
    stop();
    void sending.then(() => process.exit(code));
  });
} else await search(workerData.job as ShardJob, new Int32Array(workerData.beat as SharedArrayBuffer));

async function search(job: ShardJob, beat: Int32Array): Promise<void> {
  const post = (m: ThreadMessage) => parentPort?.postMessage(m);
  watchSteps(beat, (id, name) => post({ name: [id, name] }));
  // Once the parent is gone (killed, or it stopped the search) nobody wants the rest of this share. The
  // IPC channel does not say so reliably (a parent that dies may leave it "connected"; and a 'disconnect'
  // listener would keep this process alive after its work), and a search runs synchronously, so the worker
  // asks whether the parent still exists (signal 0 only checks) before each scenario and, within a long
  // one, every 1,024 states. The parent names itself in the job: process.ppid, read once, would be init's
  // if the parent died while this worker was still loading.
  const orphaned = () => {
    try {
      process.kill(job.parent, 0);
      return false;
    } catch {
      return true;
    }
  };
  try {
    const { design } = await loadDesign(job.design);
    const domain = designDomain(design);
    const system = systemOf(domain, design);
    const monitors = propertiesOf(design.domain).flatMap((p) => p.monitors());
    const scenarios = checkScenarios(domain, job.bounds, job.profile, job.focus);
    const reduce = job.reduce ? { unproven: unprovenLockTypes(domain, design, system) } : null;
    const symmetry = job.symmetry ? symmetryOf(domain, job.bounds, job.focus) : null;
    const t0 = Date.now();
    let i = -1;
    for (const scenario of scenarios) {
      if (++i % job.jobs !== job.shard) continue;
      if (orphaned()) process.exit(1);
      const left = job.timeLimitMs === undefined ? undefined : job.timeLimitMs - (Date.now() - t0);
      if (left !== undefined && left <= 0) break;
      const r = exploreScenario(system, scenario, {
        ...checkOptions(job.dpor, left, job.maxMemoryBytes, job.exact ?? false),
        ...(reduce ? { reduce } : {}),
        ...(symmetry ? { symmetry } : {}),
        monitors,
        stop: orphaned,
      });
      post({ send: toMessage(i, r) });
      if (r.coverage.memoryCut) break;
    }
  } catch (e) {
    post({ send: { error: String((e as Error)?.message ?? e).split('\n')[0] } });
    process.exit(1);
  }
}
