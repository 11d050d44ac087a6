/**
 * Workloads to profile, one per missed target (see BENCHMARKS.md):
 *
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/profile.ts random [SECONDS] [BOUND]
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/profile.ts exhaustive [SECONDS] [BOUND]
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/profile.ts reft4 [SECONDS]
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/profile.ts reft4-dpor [SECONDS]
 *   node --import tsx bench/profile.ts reft4-part[-dpor] [SECONDS] ROUNDS WRITES
 *   npx tsx bench/top.ts prof/<file>.cpuprofile
 *
 * random: the executor on upstream-7.1 at the default bound (or BOUND, e.g.
 * ops=2) with every catalog monitor, on the engine VFIO_DMABUF_MODEL_ENGINE
 * names (compiled needs `--import ./checker/compiled/register.ts` after tsx); exhaustive: the default bound (or BOUND) as check runs it; reft4: the first
 * scenario of the ref-t4 profile (reft4-dpor: with DPOR); reft4-part: that
 * scenario cut down to ROUNDS rounds per importer and WRITES COMMAND writes
 * (BENCHMARKS.md, how its size grows). Each stops after SECONDS (default 20)
 * and prints what it covered.
 */
import { exploreScenario } from '../checker/search/exhaustive.ts';
import { exploreSpace } from '../checker/search/space-search.ts';
import { domainOf } from '../model/domains.ts';
import { executorRate, pool, spaceOf } from './random.ts';

const [what = 'random', secs = '20'] = process.argv.slice(2);
const seconds = Number(secs);
const { system, catalog, space, sb } = spaceOf(
  'upstream-7.1',
  (what === 'random' || what === 'exhaustive') && process.argv[4] ? process.argv[4].split(',') : [],
);
const monitors = catalog.flatMap((p) => p.monitors());
if (what === 'random') console.log(executorRate(system, pool(space, sb, 1000, 42), monitors, seconds, 1));
else if (what === 'exhaustive')
  console.log(exploreSpace(system, space, sb, { monitors, collectAll: true, timeLimitMs: seconds * 1000 }).coverage);
else if (what.startsWith('reft4')) {
  const full = domainOf('dmabuf').profile?.('ref-t4')[0];
  if (!full) throw new Error('no ref-t4 profile');
  const dpor = what.endsWith('-dpor');
  const [rounds = 2, writes = 3] = process.argv.slice(4).map(Number);
  // importers do 5 operations a round; the config writer one per write
  const scenario = what.startsWith('reft4-part')
    ? {
        ...full,
        threads: full.threads.map((t) =>
          t.name.startsWith('importer')
            ? { ...t, ops: t.ops.slice(0, 5 * rounds) }
            : t.name === 'config'
              ? { ...t, ops: t.ops.slice(0, writes) }
              : t,
        ),
      }
    : full;
  console.log(exploreScenario(system, scenario, { monitors, collectAll: true, dpor, timeLimitMs: seconds * 1000 }).coverage);
} else throw new Error(`unknown workload ${what} (random, exhaustive, reft4, reft4-dpor, reft4-part, reft4-part-dpor)`);
