/**
 * One worker of a parallel exhaustive search (shards.ts): explores the
 * scenarios i with i mod jobs = shard and sends each one's result to the
 * parent as it completes. Started by exploreShards with its job as argv[2].
 */
import { exploreScenario } from '../checker/search/exhaustive.ts';
import { domainOf } from '../model/domains.ts';
import { loadDesign } from '../model/load.ts';
import { propertiesOf } from './catalog.ts';
import { checkOptions, checkScenarios, type ShardJob, toMessage } from './shards.ts';

const send = (m: unknown) => new Promise<void>((resolve) => process.send?.(m, () => resolve()));

const job = JSON.parse(process.argv[2] ?? '') as ShardJob;

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
  const domain = domainOf(design.domain);
  const system = domain.system(design);
  const monitors = propertiesOf(design.domain).flatMap((p) => p.monitors());
  const scenarios = checkScenarios(domain, job.bounds, job.profile, job.focus);
  const t0 = Date.now();
  let i = -1;
  for (const scenario of scenarios) {
    if (++i % job.jobs !== job.shard) continue;
    if (orphaned()) process.exit(1);
    const left = job.timeLimitMs === undefined ? undefined : job.timeLimitMs - (Date.now() - t0);
    if (left !== undefined && left <= 0) break;
    const r = exploreScenario(system, scenario, {
      ...checkOptions(job.dpor, left, job.maxMemoryBytes, job.exact ?? false),
      monitors,
      stop: orphaned,
    });
    await send(toMessage(i, r));
    if (r.coverage.memoryCut) break;
  }
} catch (e) {
  await send({ error: String((e as Error)?.message ?? e).split('\n')[0] });
  process.exitCode = 1;
}
