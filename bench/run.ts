/**
 * `npm run bench [-- OPTIONS]`: the benchmarks of issue 8 (and the engine
 * benchmark of issue 2). Every measurement runs in its own child process
 * (bench/child.ts), so peak memory is per measurement and one that runs out
 * of memory or time is reported rather than ending the benchmark.
 *
 *   --json                 one JSON object on stdout instead of the report
 *   --quick                few, short repetitions: a smoke test, not figures
 *   --only LIST            sections, comma-separated: engine,random,exhaustive,reft4,cells,xstate,spin
 *   --spin-configs LIST    configurations of the spin section (default T1,T2,T3,T4,T5; T1 with --quick)
 *   --spin-limit S         time limit of each engine run of the spin section (default 300)
 *   --spin-modes LIST      engine searches of the spin section: unreduced,sleep,dpor,symmetry (default all four,
 *                          symmetry only where there are two writers, T3 and T5;
 *                          `unreduced` alone with a long limit is the run that completes SPIN's -DNOREDUCE count)
 *   --large-bound LIST     the larger bound for random and exhaustive (default ops=2)
 *   --reft4-limit S        time limit of the ref-t4 exhaustive run (default 300)
 *   --exhaustive-limit S   time limit of each exhaustive run of the upstream model (default 300)
 *   --seeds N              random seeds per failing cell and schedule (default 20)
 *   --shrink-seeds N       of those, how many also shrink (default 10)
 *   --verdict-seeds N      seeds per failing cell of the time to a random verdict (default 5; 0: none)
 *   --random-limit S       time limit of each seed's random search for a first failure (default 30)
 *   --cell-limit S         time limit of the exhaustive search for a cell's shortest counterexample (default 120)
 *   --cells LIST           only cells whose "design/property" contains one of these
 *   --reps N, --seconds S  repetitions and seconds per throughput repetition (defaults 5 and 3)
 *   --save FILE            also write the JSON result to FILE
 *   --from FILE            print the report of a saved JSON result (no measurement)
 *   --heap MB              heap limit of each child (default 6144; 2048 with --quick)
 *
 * With --quick the defaults are smaller (bench/common.ts, defaultOptions).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type CellList, type CellResult, SCHEDULES } from './cells.ts';

const SCHEDULE_NAMES: Readonly<Record<string, string>> = {
  mixed: 'mixed schedule, the default',
  uniform: 'uniform schedule',
  pct: 'PCT schedule',
};

import { type BenchOptions, type ChildOutcome, defaultOptions, fmt, median, round, runChild } from './common.ts';
import type { EngineResult } from './engine.ts';
import type { ExhaustiveRun, Reduction, Reft4Result, ShardedRun } from './exhaustive.ts';
import type { RandomResult, Rate } from './random.ts';
import { CONFIGS, type ConfigName } from './spin/config.ts';
import { spinUnavailable } from './spin/pan.ts';
import { ENGINE_MODE_NAMES, type EngineMode } from './spin/runs.ts';
import { type SpinSection, spinReport, spinSection } from './spin/section.ts';
import type { XstateResult } from './xstate.ts';

/** exhaustive runs: DPOR first (the reduction the targets are judged on), then sleep sets alone */
const REDUCTIONS: readonly Reduction[] = ['DPOR', 'sleep sets'];
const SECTIONS = ['engine', 'random', 'exhaustive', 'reft4', 'cells', 'xstate', 'spin'] as const;
type Section = (typeof SECTIONS)[number];
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DESIGN = 'upstream-7.1';

interface Args {
  json: boolean;
  /** also write the JSON result here */
  save: string | null;
  /** print the report of a saved JSON result instead of measuring */
  from: string | null;
  only: Section[];
  largeBound: string[];
  options: BenchOptions;
  spinConfigs: ConfigName[];
  spinLimit: number;
  spinModes: EngineMode[];
}

function parseArgs(argv: readonly string[]): Args {
  const quick = argv.includes('--quick');
  const o: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = { ...defaultOptions(quick) };
  let only: Section[] = [...SECTIONS];
  let largeBound = ['ops=2'];
  let save: string | null = null;
  let from: string | null = null;
  let spinConfigs: ConfigName[] = quick ? ['T1'] : ['T1', 'T2', 'T3', 'T4', 'T5'];
  let spinLimit = quick ? 2 : 300;
  let spinModes: EngineMode[] = Object.values(ENGINE_MODE_NAMES);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(val());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--json' || a === '--quick') continue;
    else if (a === '--only') {
      only = val().split(',') as Section[];
      const bad = only.filter((s) => !SECTIONS.includes(s));
      if (bad.length) throw new Error(`unknown section ${bad.join(', ')} (sections: ${SECTIONS.join(', ')})`);
    } else if (a === '--large-bound') largeBound = val().split(',');
    else if (a === '--save') save = val();
    else if (a === '--from') from = val();
    else if (a === '--reft4-limit') o.reft4Limit = num();
    else if (a === '--exhaustive-limit') o.exhaustiveLimit = num();
    else if (a === '--seeds') o.seeds = num();
    else if (a === '--shrink-seeds') o.shrinkSeeds = num();
    else if (a === '--verdict-seeds') o.verdictSeeds = num();
    else if (a === '--cells') o.cellFilter = val().split(',');
    else if (a === '--reps') o.reps = Math.max(1, Math.round(num()));
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--heap') o.heapMb = num();
    else if (a === '--random-limit') o.randomLimit = num();
    else if (a === '--cell-limit') o.cellLimit = num();
    else if (a === '--spin-limit') spinLimit = num();
    else if (a === '--spin-modes') {
      const names = val().split(',');
      const bad = names.filter((n) => !(n in ENGINE_MODE_NAMES));
      if (bad.length) throw new Error(`unknown spin mode ${bad.join(', ')} (modes: ${Object.keys(ENGINE_MODE_NAMES).join(', ')})`);
      spinModes = names.map((n) => ENGINE_MODE_NAMES[n] as EngineMode);
    } else if (a === '--spin-configs') {
      spinConfigs = val().split(',') as ConfigName[];
      const bad = spinConfigs.filter((c) => !(c in CONFIGS));
      if (bad.length) throw new Error(`unknown configuration ${bad.join(', ')} (configurations: ${Object.keys(CONFIGS).join(', ')})`);
    } else throw new Error(`unknown option ${a} (see the header of bench/run.ts)`);
  }
  return { json: argv.includes('--json'), save, from, only, largeBound, options: o, spinConfigs, spinLimit, spinModes };
}

function machine() {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavgAtStart: loadavg().map((x) => round(x)),
    date: new Date().toISOString(),
  };
}

interface Failure {
  readonly error: string;
  readonly lastProgress: string | null;
}

const failure = (o: ChildOutcome<unknown>): Failure => ({ error: o.error ?? 'unknown', lastProgress: o.lastProgress });

async function job<T>(args: Args, name: string, params: unknown, timeoutSec: number): Promise<T | Failure> {
  const o = await runChild<T>(name, params, { heapMb: args.options.heapMb, timeoutSec, verbose: args.options.verbose });
  return o.ok ? (o.result as T) : failure(o);
}

const isFailure = (x: unknown): x is Failure => typeof x === 'object' && x !== null && 'error' in x;

const log = (args: Args, text: string) => {
  if (args.options.verbose || !args.json) process.stderr.write(`${text}\n`);
};

interface Results {
  engine?: EngineResult | Failure;
  random?: (RandomResult | Failure)[];
  exhaustive?: { bounds: string[]; reduction: Reduction; runs: (ExhaustiveRun | Failure)[]; median: MedianExhaustive | null }[];
  /** the default search (sleep sets) over worker processes, as `check --jobs N` */
  sharded?: { bounds: string[]; run: ShardedRun | Failure }[];
  /** with DPOR, then with sleep sets alone */
  reft4?: { reduction: Reduction; run: Reft4Result | Failure }[];
  cells?: { list: CellList | Failure; results: (CellResult | (Failure & { design: string; property: string }))[] };
  xstate?: XstateResult | Failure;
  spin?: SpinSection;
}

type Machine = ReturnType<typeof machine> & { readonly loadavgAtEnd: number[] };

/** What --json prints and --save writes. */
interface Saved extends Results {
  readonly machine: Machine;
  readonly options: BenchOptions & { readonly sections: Section[]; readonly largeBound: string[] };
  readonly seconds: number;
  readonly targets: Target[];
}

type MedianExhaustive = Pick<
  ExhaustiveRun,
  | 'complete'
  | 'states'
  | 'executions'
  | 'transitions'
  | 'replaySteps'
  | 'seconds'
  | 'statesPerSec'
  | 'statesPerCpuSec'
  | 'stepsPerCpuSec'
  | 'peakRssMb'
  | 'peakHeapMb'
  | 'bytesPerState'
>;

function medianExhaustive(runs: readonly (ExhaustiveRun | Failure)[]): MedianExhaustive | null {
  const ok = runs.filter((r): r is ExhaustiveRun => !isFailure(r));
  if (ok.length === 0) return null;
  const m = (f: (r: ExhaustiveRun) => number) => round(median(ok.map(f)));
  const first = ok[0] as ExhaustiveRun;
  return {
    complete: ok.every((r) => r.complete),
    states: first.complete ? first.states : m((r) => r.states),
    executions: first.complete ? first.executions : m((r) => r.executions),
    transitions: first.complete ? first.transitions : m((r) => r.transitions),
    replaySteps: first.complete ? first.replaySteps : m((r) => r.replaySteps),
    seconds: m((r) => r.seconds),
    statesPerSec: m((r) => r.statesPerSec),
    statesPerCpuSec: m((r) => r.statesPerCpuSec),
    stepsPerCpuSec: m((r) => r.stepsPerCpuSec),
    peakRssMb: m((r) => r.peakRssMb),
    peakHeapMb: m((r) => r.peakHeapMb),
    bytesPerState: m((r) => r.bytesPerState ?? 0),
  };
}

/**
 * Runs the chosen sections: one after another for measurements; in --quick
 * mode all at once (a smoke test, whose figures mean nothing anyway).
 */
async function runSections(args: Args): Promise<Results> {
  const o = args.options;
  const out: Results = {};
  const tput = { seconds: o.seconds, reps: o.reps };
  const hard = (s: number) => s + 120;
  const boundsList = [[], args.largeBound];
  const sections: Record<Section, () => Promise<void>> = {
    engine: async () => {
      log(args, 'engine: toy model, random and exhaustive');
      const params = { ...tput, threads: 2, opsPerThread: o.quick ? 2 : 3 };
      out.engine = await job<EngineResult>(args, 'engine', params, hard(o.seconds * o.reps * 4 + 120));
    },
    random: async () => {
      const runs: NonNullable<Results['random']> = [];
      for (const bounds of boundsList) {
        log(args, `random: ${DESIGN} ${bounds.join(',') || 'default bound'}`);
        runs.push(await job<RandomResult>(args, 'random', { design: DESIGN, bounds, ...tput }, hard(o.seconds * o.reps * 4 + 60)));
      }
      out.random = runs;
    },
    exhaustive: async () => {
      const all: NonNullable<Results['exhaustive']> = [];
      for (const bounds of boundsList)
        for (const reduction of REDUCTIONS) {
          const runs: (ExhaustiveRun | Failure)[] = [];
          // a run that stops at the time limit measures throughput, not size: once is enough
          for (let r = 0; r < o.reps && r < 3; r++) {
            log(args, `exhaustive: ${DESIGN} ${bounds.join(',') || 'default bound'}, ${reduction}, run ${r + 1}`);
            const params = { design: DESIGN, bounds, limitSec: o.exhaustiveLimit, dpor: reduction === 'DPOR' };
            const x = await job<ExhaustiveRun>(args, 'exhaustive', params, hard(o.exhaustiveLimit));
            runs.push(x);
            if (isFailure(x) || !x.complete) break;
          }
          all.push({ bounds, reduction, runs, median: medianExhaustive(runs) });
        }
      out.exhaustive = all;
      // the same default search over every core, as `check --jobs N`: wall-clock only
      const jobs = Math.max(2, availableParallelism());
      out.sharded = [];
      for (const bounds of boundsList) {
        log(args, `exhaustive: ${DESIGN} ${bounds.join(',') || 'default bound'}, sleep sets, ${jobs} worker processes`);
        const params = { design: DESIGN, bounds, jobs, limitSec: o.exhaustiveLimit };
        out.sharded.push({ bounds, run: await job<ShardedRun>(args, 'sharded', params, hard(o.exhaustiveLimit)) });
      }
    },
    reft4: async () => {
      out.reft4 = [];
      for (const reduction of REDUCTIONS) {
        log(args, `reft4: ${DESIGN} profile=ref-t4, ${reduction}, limit ${o.reft4Limit} s`);
        const params = { limitSec: o.reft4Limit, dpor: reduction === 'DPOR' };
        out.reft4.push({ reduction, run: await job<Reft4Result>(args, 'reft4', params, hard(o.reft4Limit)) });
      }
    },
    cells: async () => {
      log(args, 'cells: listing the failing cells of the matrix');
      const filtered = o.cellFilter.length > 0;
      const list = await job<CellList>(args, 'cellList', { root: ROOT, ...(o.quick && !filtered ? { limit: 1 } : {}) }, 3600);
      const results: NonNullable<Results['cells']>['results'] = [];
      if (!isFailure(list)) {
        const cells = list.cells
          .filter((c) => !filtered || o.cellFilter.some((f) => `${c.design}/${c.property}`.includes(f)))
          .slice(0, o.quick ? 1 : undefined);
        for (const [i, c] of cells.entries()) {
          log(args, `cells: ${i + 1}/${cells.length} ${c.design} / ${c.property}`);
          const params = {
            design: c.design,
            property: c.property,
            seeds: o.seeds,
            shrinkSeeds: o.shrinkSeeds,
            randomLimitSec: o.randomLimit,
            cellLimitSec: o.cellLimit,
            verdictSeeds: o.verdictSeeds,
            matrixSteps: c.matrixSteps,
          };
          const x = await job<CellResult>(
            args,
            'cell',
            params,
            hard(2 * (o.seeds * o.randomLimit + o.shrinkSeeds * 60 + o.verdictSeeds * 120) + o.cellLimit),
          );
          results.push(isFailure(x) ? { ...x, design: c.design, property: c.property } : x);
        }
      }
      out.cells = { list, results };
    },
    xstate: async () => {
      log(args, 'xstate: compiled lifecycles against transition()');
      const params = { executions: o.quick ? 20 : 400, seconds: o.quick ? 0.02 : 0.5, reps: o.quick ? 1 : 5 };
      out.xstate = await job<XstateResult>(args, 'xstate', params, hard(600));
    },
    spin: async () => {
      const run = <T>(name: string, params: unknown, timeoutSec: number) => job<T>(args, name, params, timeoutSec);
      out.spin = await spinSection(
        run,
        (t) => log(args, t),
        args.spinConfigs,
        args.spinLimit,
        args.spinModes,
        async () => spinUnavailable(),
      );
    },
  };
  const chosen = SECTIONS.filter((s) => args.only.includes(s));
  if (o.quick) await Promise.all(chosen.map((s) => sections[s]()));
  else for (const s of chosen) await sections[s]();
  return out;
}

// ---------------------------------------------------------------------------
// Targets of issue 8

interface Target {
  readonly target: string;
  readonly met: boolean | null;
  readonly figure: string;
}

function targets(r: Results): Target[] {
  const t: Target[] = [];
  const rnd = r.random?.[0];
  if (rnd)
    t.push(
      isFailure(rnd)
        ? { target: '≥ 1,000,000 steps/s in random mode (upstream, one core)', met: null, figure: rnd.error }
        : {
            target: '≥ 1,000,000 steps/s in random mode (upstream, one core)',
            met: rnd.randomSearch.stepsPerCpuSec >= 1e6,
            figure: `${fmt(rnd.randomSearch.stepsPerCpuSec)} steps/CPU-s (randomSearch); executor alone ${fmt(rnd.executorAllMonitors.stepsPerCpuSec)} with every monitor, ${fmt(rnd.executorNoPropertyMonitors.stepsPerCpuSec)} with none`,
          },
    );
  const atDefault = (r.exhaustive ?? []).filter((x) => x.bounds.length === 0 && x.median);
  const sharded = (r.sharded ?? []).flatMap(({ bounds, run: x }) => (isFailure(x) ? [] : [{ bounds, x }]));
  const overJobs =
    sharded.length > 0
      ? `; over ${sharded[0]?.x.jobs} worker processes (check --jobs), per wall-clock s: ${sharded
          .map(({ bounds, x }) => `${fmt(x.statesPerSec)} at ${bounds.join(',') || 'the default bound'}`)
          .join(', ')}`
      : '';
  if (r.exhaustive)
    t.push({
      target: '≥ 200,000 distinct states/s in exhaustive mode',
      met: atDefault.length > 0 ? atDefault.some((x) => (x.median as MedianExhaustive).statesPerCpuSec >= 2e5) : null,
      figure:
        atDefault.length > 0
          ? `${atDefault
              .map((x) => {
                const m = x.median as MedianExhaustive;
                return `${x.reduction}: ${fmt(m.statesPerCpuSec)} states/CPU-s (${fmt(m.statesPerSec)} per wall-clock s)`;
              })
              .join('; ')} at the default bound${overJobs}`
          : 'no run',
    });
  if (r.reft4) {
    const one = ({ reduction, run: x }: { reduction: Reduction; run: Reft4Result | Failure }) =>
      `${reduction}: ${
        isFailure(x)
          ? `did not finish: ${x.error}${x.lastProgress ? ` (last: ${x.lastProgress})` : ''}`
          : x.complete
            ? `${fmt(x.seconds)} s, ${fmt(x.states)} states`
            : `not complete after ${fmt(x.seconds)} s: ${x.scenariosComplete}/${x.scenarios} scenarios, ${fmt(x.states)} states`
      }`;
    t.push({
      target: 'ref-t4 checked exhaustively in under 15 s',
      met: r.reft4.some(({ run: x }) => !isFailure(x) && x.complete && x.seconds < 15),
      figure: r.reft4.map(one).join('; '),
    });
  }
  if (r.cells) {
    const ok = r.cells.results.filter((c): c is CellResult => !isFailure(c));
    const n = r.cells.results.length;
    const exOk = ok.filter((c) => c.exhaustive.found && c.exhaustive.complete && c.exhaustive.seconds < 30);
    const worstE = ok.reduce<CellResult | null>((w, c) => (!w || c.exhaustive.seconds > w.exhaustive.seconds ? c : w), null);
    const sched = (c: CellResult, k: string) => c.random.find((x) => x.schedule === k);
    for (const k of SCHEDULES) {
      const med = (c: CellResult) => sched(c, k)?.secondsMedian ?? Number.POSITIVE_INFINITY;
      const good = ok.filter((c) => med(c) < 2);
      const worst = ok.reduce<CellResult | null>((w, c) => (!w || med(c) > med(w) ? c : w), null);
      t.push({
        target: `every matrix bug found in random mode in a median under 2 s (${SCHEDULE_NAMES[k]})`,
        met: n > 0 && good.length === n,
        figure: `${good.length}/${n} cells${worst ? `; slowest median ${Number.isFinite(med(worst)) ? `${fmt(med(worst))} s` : 'not found'} (${worst.design} / ${worst.property})` : ''}`,
      });
    }
    // saved runs from before this measurement have no verdict field
    const verdicts = ok.filter((c) => (c.verdict ?? null) !== null);
    if (verdicts.length > 0) {
      const v = (c: CellResult) => c.verdict?.secondsMedian ?? Number.POSITIVE_INFINITY;
      const all = median(verdicts.map(v));
      const worst = verdicts.reduce<CellResult | null>((w, c) => (!w || v(c) > v(w) ? c : w), null);
      const cpu = median(verdicts.map((c) => c.verdict?.cpuSecondsMedian ?? Number.POSITIVE_INFINITY));
      const alone = median(verdicts.map((c) => c.verdict?.aloneSecondsMedian ?? Number.POSITIVE_INFINITY));
      t.push({
        target:
          "a failing cell's random verdict (`check --mode random --property P`: first failure, shrinking, minimize) in a median under 2 s",
        met: alone < 2,
        figure: `median over ${verdicts.length}/${n} cells ${fmt(alone)} s`,
      });
      t.push({
        target: "a failing design's whole random verdict (`check --mode random`: every property, its default runs) in a median under 2 s",
        met: all < 2,
        figure: `median over ${verdicts.length}/${n} cells ${fmt(all)} s (${fmt(cpu)} CPU-s); slowest cell median ${worst ? `${Number.isFinite(v(worst)) ? `${fmt(v(worst))} s` : 'cell not failed'} (${worst.design} / ${worst.property})` : '—'}`,
      });
    }
    t.push({
      target: 'every matrix bug found by exhaustive search under 30 s',
      met: n > 0 && exOk.length === n,
      figure: `${exOk.length}/${n} cells${worstE ? `; slowest ${fmt(worstE.exhaustive.seconds)} s (${worstE.design} / ${worstE.property})` : ''}`,
    });
    const eq = ok.filter((c) => c.shrink.equalsShortest);
    const fcEq = ok.filter((c) => c.shrink.fcEqualsShortest);
    t.push({
      target: 'shrunk length equal to the shortest in ≥ 90% of failing cells',
      met: n > 0 && eq.length >= 0.9 * n,
      figure: `${eq.length}/${n} cells (${fmt(n ? (100 * eq.length) / n : 0)}%) after minimize; fast-check shrinking alone ${fcEq.length}/${n}`,
    });
  }
  if (r.xstate) {
    const x = r.xstate;
    t.push({
      target: 'lifecycle transitions ≥ 20× faster than XState transition()',
      met: isFailure(x) ? null : x.minSpeedupStepId >= 20,
      figure: isFailure(x)
        ? x.error
        : `slowest machine ${fmt(x.minSpeedupStepId)}× with stepId, ${fmt(x.minSpeedupStep)}× with step (event keyed)`,
    });
  }
  return t;
}

// ---------------------------------------------------------------------------
// Report

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(w[i] as number)).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const rateRow = (name: string, x: Rate): string[] => [
  name,
  fmt(x.stepsPerCpuSec),
  fmt(x.stepsPerSec),
  fmt(x.execsPerCpuSec),
  fmt(x.execsPerSec),
  fmt(x.stepsPerExec),
];
const RATE_HEAD = ['measure', 'steps/CPU-s', 'steps/s (wall)', 'execs/CPU-s', 'execs/s (wall)', 'steps/exec'];

function report(r: Results, m: Machine, args: Args): string {
  const s: string[] = [];
  s.push(`machine: ${m.nproc} cores, ${m.cpu}, ${m.memoryGb} GB, node ${m.node}; load average at start ${m.loadavgAtStart.join(' ')}`);
  s.push(
    `options: ${args.options.quick ? 'QUICK (smoke test: figures are not measurements)' : 'full'}; larger bound ${args.largeBound.join(',')}`,
  );
  if (r.engine) {
    s.push('', '## Engine (issue 2): toy model');
    const e = r.engine;
    if (isFailure(e)) s.push(`failed: ${e.error}`);
    else {
      s.push(`${e.model}; bounds ${e.bounds.threads} threads × ${e.bounds.opsPerThread} ops`);
      s.push(table(RATE_HEAD, [rateRow('random: executor', e.randomExecutor), rateRow('random: randomSearch', e.randomSearch)]));
      const x = e.exhaustive;
      s.push(
        `exhaustive: ${x.scenarios} scenarios, ${fmt(x.states)} states, ${fmt(x.executions)} executions, ${fmt(x.transitions)} transitions + ${fmt(x.replaySteps)} replay steps in ${fmt(x.seconds)} s (median of ${x.reps})`,
      );
      s.push(
        `  ${fmt(x.stepsPerCpuSec)} steps/CPU-s (${fmt(x.stepsPerSec)}/s wall), ${fmt(x.executionsPerCpuSec)} executions/CPU-s (${fmt(x.executionsPerSec)}/s wall), ${fmt(x.statesPerSec)} states/s`,
      );
    }
  }
  if (r.random) {
    s.push('', `## Random mode: ${DESIGN}`);
    for (const x of r.random) {
      if (isFailure(x)) {
        s.push(`failed: ${x.error}`);
        continue;
      }
      s.push(`bound: ${x.bounds.join(',') || 'default'}`);
      s.push(
        table(RATE_HEAD, [
          rateRow('executor, every catalog monitor', x.executorAllMonitors),
          rateRow('executor, no property monitor', x.executorNoPropertyMonitors),
          rateRow('randomSearch (generation included)', x.randomSearch),
        ]),
      );
    }
  }
  if (r.exhaustive) {
    s.push('', `## Exhaustive mode: ${DESIGN} (every catalog monitor, all violation kinds, as check/matrix run it)`);
    const rows = r.exhaustive.map((x) => {
      const m2 = x.median;
      const f = x.runs.find(isFailure);
      if (!m2) return [x.bounds.join(',') || 'default', x.reduction, `failed: ${f?.error ?? '?'}`, '', '', '', '', '', '', '', '', ''];
      return [
        x.bounds.join(',') || 'default',
        x.reduction,
        m2.complete ? 'yes' : 'no (time limit)',
        fmt(m2.states),
        fmt(m2.executions),
        fmt(m2.transitions),
        fmt(m2.replaySteps),
        fmt(m2.seconds),
        `${fmt(m2.statesPerCpuSec)} (${fmt(m2.statesPerSec)})`,
        fmt(m2.stepsPerCpuSec),
        `${fmt(m2.peakRssMb)} / ${fmt(m2.peakHeapMb)}`,
        fmt(m2.bytesPerState),
      ];
    });
    s.push(
      table(
        [
          'bound',
          'reduction',
          'complete',
          'states',
          'executions',
          'transitions',
          'replay steps',
          's',
          'states/CPU-s (wall)',
          'steps/CPU-s',
          'peak RSS / heap MB',
          'heap bytes/state',
        ],
        rows,
      ),
    );
    s.push(`(median of ${r.exhaustive.map((x) => x.runs.length).join(' / ')} runs)`);
  }
  if (r.sharded?.length) {
    s.push('', '### The same search over worker processes (`check --jobs N`, sleep sets; wall-clock)');
    s.push(
      table(
        ['bound', 'jobs', 'complete', 'states', 'executions', 's (one process)', 'states/s wall (one process)'],
        r.sharded.map(({ bounds, run: x }) => {
          const one = r.exhaustive?.find((e) => e.reduction === 'sleep sets' && e.bounds.join(',') === bounds.join(','))?.median;
          if (isFailure(x)) return [bounds.join(',') || 'default', '', `failed: ${x.error}`, '', '', '', ''];
          return [
            bounds.join(',') || 'default',
            String(x.jobs),
            x.complete ? 'yes' : 'no (time limit)',
            fmt(x.states),
            fmt(x.executions),
            `${fmt(x.seconds)}${one ? ` (${fmt(one.seconds)})` : ''}`,
            `${fmt(x.statesPerSec)}${one ? ` (${fmt(one.statesPerSec)})` : ''}`,
          ];
        }),
      ),
    );
  }
  if (r.reft4) {
    s.push('', '## ref-t4 profile, exhaustive');
    for (const { reduction, run: x } of r.reft4) {
      if (isFailure(x)) s.push(`${reduction}: did not finish: ${x.error}${x.lastProgress ? `; last progress: ${x.lastProgress}` : ''}`);
      else {
        s.push(
          `${reduction}: ${x.complete ? 'complete' : `NOT complete (limit ${x.limitSec} s)`}: ${x.scenariosComplete}/${x.scenarios} scenarios, ${fmt(x.states)} distinct states, ${fmt(x.executions)} executions, ${fmt(x.transitions)} transitions, ${fmt(x.replaySteps)} replay steps, ${fmt(x.seconds)} s (${fmt(x.cpuSeconds)} CPU-s), ${fmt(x.statesPerCpuSec)} states/CPU-s, peak RSS ${fmt(x.peakRssMb)} MB, peak heap ${fmt(x.peakHeapMb)} MB`,
        );
        if (x.violationKinds.length) s.push(`violations seen: ${x.violationKinds.join(', ')}`);
      }
    }
  }
  if (r.cells) {
    s.push('', '## Failing cells of the matrix: time to bug and shrink quality');
    const l = r.cells.list;
    if (isFailure(l)) s.push(`could not list the cells: ${l.error}`);
    else
      s.push(
        `cells from ${l.source === 'corpus' ? 'the committed corpus (counterexamples/)' : `fresh exhaustive matrix rows (${fmt(l.seconds)} s)`}`,
      );
    const rows = r.cells.results.map((c) => {
      if (isFailure(c)) return [`${c.design} / ${c.property}`, `failed: ${c.error}`, '', '', '', '', '', '', '', '', '', '', ''];
      const rnd = (k: string) => {
        const x = c.random.find((y) => y.schedule === k);
        if (!x) return ['—', '—'];
        const s2 = (v: number | null) => (v === null ? 'none' : fmt(v));
        return [`${x.found}/${x.seeds}: ${s2(x.runsMedian)} / ${s2(x.runsMax)}`, `${s2(x.secondsMedian)} / ${s2(x.secondsMax)}`];
      };
      return [
        `${c.design} / ${c.property}`,
        ...SCHEDULES.flatMap((k) => rnd(k)),
        c.exhaustive.found
          ? `${fmt(c.exhaustive.seconds)}${c.exhaustive.complete ? '' : ' (incomplete)'}`
          : `not found in ${fmt(c.exhaustive.seconds)}`,
        fmt(c.exhaustive.shortest),
        fmt(c.matrixSteps),
        c.shrink.runs ? `${fmt(c.shrink.lengthMedian)} / ${fmt(c.shrink.lengthMax)}` : '—',
        c.shrink.runs ? `${fmt(c.shrink.fcShrunkMedian)} / ${fmt(c.shrink.fcShrunkMax)}` : '—',
        c.verdict
          ? `${c.verdict.found}/${c.verdict.seeds}: ${c.verdict.secondsMedian === null ? 'none' : fmt(c.verdict.secondsMedian)} / ${c.verdict.secondsMax === null ? 'none' : fmt(c.verdict.secondsMax)} (alone ${c.verdict.aloneSecondsMedian === null ? 'none' : fmt(c.verdict.aloneSecondsMedian)})`
          : '—',
      ];
    });
    s.push(
      table(
        [
          'design / property',
          ...SCHEDULES.flatMap((k) => [`${SCHEDULE_NAMES[k]}: found, runs med/max`, `${k} s med/max`]),
          'exhaustive s',
          'shortest',
          'matrix',
          'shrunk med/max',
          'fast-check shrunk med/max',
          'verdict: failed, s med/max',
        ],
        rows,
      ),
    );
    s.push(
      "(runs and seconds to the first failure over the seeds; \"none\": more than half the seeds found nothing within the limit; shrunk: randomSearch's reported length after minimize, over every schedule; matrix: the corpus file's length; verdict: `check --mode random` on the design with its defaults, every property, seconds until every verdict is in, over the verdict seeds, and with the cell's property alone)",
    );
  }
  if (r.xstate) {
    s.push('', '## Lifecycle transitions: compiled table vs XState transition()');
    const x = r.xstate;
    if (isFailure(x)) s.push(`failed: ${x.error}`);
    else {
      s.push(`event streams recorded from random executions of: ${x.recordedFrom.join('; ')}`);
      s.push(
        table(
          ['machine', 'pairs', 'states', 'events', 'stepId ns', 'step ns', 'transition() ns', '× (stepId)', '× (step)', 'disagree'],
          x.machines.map((m2) => [
            m2.machine,
            fmt(m2.pairs),
            String(m2.distinctStates),
            String(m2.distinctEvents),
            fmt(m2.stepIdNs),
            fmt(m2.stepNs),
            fmt(m2.xstateNs),
            fmt(m2.speedupStepId),
            fmt(m2.speedupStep),
            String(m2.disagreements),
          ]),
        ),
      );
    }
  }
  if (r.spin) s.push(...spinReport(r.spin));
  const ts = targets(r);
  if (ts.length) {
    s.push('', '## Targets (issue 8)');
    s.push(
      table(
        ['target', 'met', 'figure'],
        ts.map((t) => [t.target, t.met === null ? '?' : t.met ? 'met' : 'NOT met', t.figure]),
      ),
    );
  }
  s.push('', `load average at end: ${m.loadavgAtEnd.join(' ')}`);
  return s.join('\n');
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (args.from) {
    const saved = JSON.parse(readFileSync(args.from, 'utf8')) as Saved;
    const shown: Args = { ...args, only: saved.options.sections, largeBound: saved.options.largeBound, options: saved.options };
    process.stdout.write(
      args.json ? `${JSON.stringify(saved, null, 2)}\n` : `${report(saved, saved.machine, shown)}\nbenchmark took ${saved.seconds} s\n`,
    );
    return;
  }
  const m = machine();
  const t0 = performance.now();
  const results = await runSections(args);
  const seconds = round((performance.now() - t0) / 1000);
  const saved: Saved = {
    machine: { ...m, loadavgAtEnd: loadavg().map((x) => round(x)) },
    options: { ...args.options, sections: args.only, largeBound: args.largeBound },
    seconds,
    ...results,
    targets: targets(results),
  };
  if (args.save) writeFileSync(args.save, `${JSON.stringify(saved, null, 2)}\n`);
  process.stdout.write(
    args.json ? `${JSON.stringify(saved, null, 2)}\n` : `${report(saved, saved.machine, args)}\nbenchmark took ${seconds} s\n`,
  );
}

await main();
