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

try {
  const job = JSON.parse(process.argv[2] ?? '') as ShardJob;
  const { design } = await loadDesign(job.design);
  const domain = domainOf(design.domain);
  const system = domain.system(design);
  const monitors = propertiesOf(design.domain).flatMap((p) => p.monitors());
  const scenarios = checkScenarios(domain, job.bounds, job.profile, job.focus);
  const t0 = Date.now();
  for (let i = job.shard; i < scenarios.length; i += job.jobs) {
    const left = job.timeLimitMs === undefined ? undefined : job.timeLimitMs - (Date.now() - t0);
    if (left !== undefined && left <= 0) break;
    const r = exploreScenario(system, scenarios[i] as (typeof scenarios)[number], { ...checkOptions(job.dpor, left), monitors });
    await send(toMessage(i, r));
  }
} catch (e) {
  await send({ error: String((e as Error)?.message ?? e).split('\n')[0] });
  process.exitCode = 1;
}
