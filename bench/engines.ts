/**
 * The generator engine and the compiled engine side by side, in one process
 * and the same minute (issue 17): distinct states per CPU-second of the
 * exhaustive search (sleep sets, every catalog monitor) and steps per
 * CPU-second of the random executor (every catalog monitor).
 *
 *   node --import tsx --import ./checker/compiled/register.ts bench/engines.ts [BOUND...] [--seconds S]
 */
import { ENGINES, type Engine, engineChoice } from '../checker/compiled/engine.ts';
import { exploreSpace } from '../checker/search/space-search.ts';
import { round, timed } from './common.ts';
import { executorRate, pool, spaceOf } from './random.ts';

const argv = process.argv.slice(2);
const secIdx = argv.indexOf('--seconds');
const seconds = secIdx >= 0 ? Number(argv[secIdx + 1]) : 3;
const bounds = argv.filter((a, i) => a.includes('=') && i !== secIdx + 1);
const exhaustiveBounds = bounds.length ? bounds : ['ops=2'];

function exhaustive(engine: Engine) {
  engineChoice.engine = engine;
  const { system, catalog, space, sb } = spaceOf('upstream-7.1', exhaustiveBounds);
  const monitors = catalog.flatMap((x) => x.monitors());
  const t = timed(() => exploreSpace(system, space, sb, { monitors, collectAll: true, dpor: false, timeLimitMs: 600_000 }));
  const c = t.value.coverage;
  return { states: c.states, cpuSeconds: round(t.cpu), statesPerCpuSec: Math.round(c.states / t.cpu) };
}

function random(engine: Engine) {
  engineChoice.engine = engine;
  const { system, catalog, space, sb } = spaceOf('upstream-7.1', []);
  const r = executorRate(
    system,
    pool(space, sb, 500, 1),
    catalog.flatMap((x) => x.monitors()),
    seconds,
    3,
  );
  return r;
}

const out: Record<string, unknown> = {};
for (const e of ENGINES) out[`random ${e}`] = random(e);
for (const e of ENGINES) out[`exhaustive ${exhaustiveBounds.join(' ')} ${e}`] = exhaustive(e);
console.log(JSON.stringify(out, null, 2));
