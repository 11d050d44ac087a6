/**
 * The `spin` section of `npm run bench`: SPIN and the engine side by side on
 * the tight Promela model, configurations T1–T5 (--spin-configs), each
 * measurement in its own child process. Per configuration: SPIN with
 * -DNOREDUCE and with its partial-order reduction; the engine unreduced
 * (search.ts, SPIN's states one for one) and with its own searches. The
 * `ratio` is engine CPU-s / SPIN CPU-s on the same work (unreduced against
 * -DNOREDUCE); `ratioReduced` the engine's best reduced search (sleep sets,
 * DPOR or symmetry: the fewest CPU-s among complete runs, else the best rate)
 * against SPIN's POR. A run the time limit cut gives a ratio from the rates
 * (states per CPU-s), marked.
 */
import { fmt, round } from '../common.ts';
import { CONFIGS, type ConfigName, paramsOf } from './config.ts';
import type { PanRun } from './pan.ts';
import { ENGINE_MODES, type EngineMode, type EngineRun } from './runs.ts';

export interface Failed {
  readonly error: string;
}
const failed = (x: unknown): x is Failed => typeof x === 'object' && x !== null && 'error' in x;

export interface SpinConfigResult {
  readonly config: ConfigName;
  readonly defines: string;
  readonly spin: { readonly noreduce: PanRun | Failed; readonly por: PanRun | Failed };
  readonly engine: readonly (EngineRun | Failed)[];
  /** engine unreduced / SPIN -DNOREDUCE, CPU time (from rates when the engine run was cut) */
  readonly ratio: number | null;
  readonly ratioFromRates: boolean;
  /** the unreduced engine's states and transitions equal SPIN -DNOREDUCE's (null: a run failed or was cut) */
  readonly countsMatch: boolean | null;
  /** the engine's best reduced search / SPIN with POR, CPU time */
  readonly ratioReduced: number | null;
  /** which search ratioReduced is of */
  readonly ratioReducedBy: EngineMode | null;
  readonly ratioReducedFromRates: boolean;
}

export interface SpinSection {
  readonly skipped: string | null;
  readonly configs: readonly SpinConfigResult[];
}

type Job = <T>(name: string, params: unknown, timeoutSec: number) => Promise<T | Failed>;

/** The reduced search to compare with SPIN's POR: the fastest complete one, else (all cut) the one with the best rate. */
function bestReduced(engine: readonly (EngineRun | Failed)[]): EngineRun | undefined {
  const runs = engine.filter((e): e is EngineRun => !failed(e) && e.mode !== 'unreduced (as SPIN)');
  const done = runs.filter((e) => e.complete).sort((a, b) => a.cpuSeconds - b.cpuSeconds);
  return done[0] ?? [...runs].sort((a, b) => b.statesPerCpuSec - a.statesPerCpuSec)[0];
}

function ratioOf(e: EngineRun | Failed | undefined, s: PanRun | Failed): { ratio: number | null; fromRates: boolean } {
  if (!e || failed(e) || failed(s) || s.cpuSeconds <= 0) return { ratio: null, fromRates: false };
  if (e.complete) return { ratio: round(e.cpuSeconds / s.cpuSeconds), fromRates: false };
  return { ratio: round(s.statesPerCpuSec / e.statesPerCpuSec), fromRates: true };
}

export async function spinSection(
  job: Job,
  log: (text: string) => void,
  configs: readonly ConfigName[],
  limitSec: number,
  modes: readonly EngineMode[],
  unavailable: () => Promise<string | null>,
): Promise<SpinSection> {
  const skipped = await unavailable();
  if (skipped) {
    log(`spin: skipped: ${skipped}`);
    return { skipped, configs: [] };
  }
  const out: SpinConfigResult[] = [];
  for (const config of configs) {
    log(`spin: ${config}: SPIN -DNOREDUCE, SPIN with POR`);
    const noreduce = await job<PanRun>('pan', { config, reduced: false }, 1800);
    const por = await job<PanRun>('pan', { config, reduced: true }, 1800);
    const engine: (EngineRun | Failed)[] = [];
    // symmetry swaps writers: with one writer it would be the sleep-set search again
    const symmetric = paramsOf(config).nw >= 2;
    for (const mode of ENGINE_MODES.filter((m) => modes.includes(m) && (m !== 'engine, symmetry' || symmetric))) {
      log(`spin: ${config}: ${mode}, limit ${limitSec} s`);
      engine.push(await job<EngineRun>('spinEngine', { config, mode, limitSec }, limitSec + 180));
    }
    const by = (m: EngineMode) => engine.find((e) => !failed(e) && e.mode === m);
    const a = ratioOf(by('unreduced (as SPIN)'), noreduce);
    const reduced = bestReduced(engine);
    const b = ratioOf(reduced, por);
    const u = by('unreduced (as SPIN)');
    // SPIN's "stored + matched" counts the initial state's insertion too
    const countsMatch =
      !u || failed(u) || failed(noreduce) || !u.complete
        ? null
        : u.states === noreduce.states && u.transitions + 1 === noreduce.transitions;
    out.push({
      config,
      defines: CONFIGS[config].defines,
      spin: { noreduce, por },
      engine,
      countsMatch,
      ratio: a.ratio,
      ratioFromRates: a.fromRates,
      ratioReduced: b.ratio,
      ratioReducedBy: b.ratio === null ? null : (reduced?.mode ?? null),
      ratioReducedFromRates: b.fromRates,
    });
  }
  return { skipped: null, configs: out };
}

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string => {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(w[i] as number)).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

export function spinReport(r: SpinSection): string[] {
  const s = ['', '## SPIN side by side: vfio_dmabuf_tight.pml (../shared/spin/), T1–T5'];
  if (r.skipped) return [...s, `skipped: ${r.skipped}`];
  const rows: string[][] = [];
  for (const c of r.configs) {
    const pan = (name: string, x: PanRun | Failed) =>
      failed(x)
        ? [c.config, name, `failed: ${x.error}`, '', '', '', '', '']
        : [c.config, name, 'yes', fmt(x.states), fmt(x.transitions), fmt(x.cpuSeconds), fmt(x.statesPerCpuSec), fmt(x.memoryMb)];
    rows.push(pan('SPIN -DNOREDUCE', c.spin.noreduce), pan('SPIN, POR', c.spin.por));
    for (const e of c.engine)
      rows.push(
        failed(e)
          ? [c.config, '?', `failed: ${e.error}`, '', '', '', '', '']
          : [
              c.config,
              e.mode,
              e.complete ? 'yes' : 'no (time limit)',
              fmt(e.states),
              fmt(e.transitions),
              fmt(e.cpuSeconds),
              fmt(e.statesPerCpuSec),
              fmt(e.peakRssMb),
            ],
      );
  }
  s.push(table(['config', 'checker', 'complete', 'states', 'transitions', 'CPU-s', 'states/CPU-s', 'memory MB'], rows));
  s.push(
    table(
      [
        'config',
        'counts equal SPIN -DNOREDUCE',
        'ratio (engine unreduced / SPIN -DNOREDUCE)',
        'ratio reduced (best engine reduction / SPIN POR)',
      ],
      r.configs.map((c) => [
        c.config,
        c.countsMatch === null ? '— (engine run cut)' : c.countsMatch ? 'yes' : 'NO: a semantic difference',
        c.ratio === null ? '—' : `${fmt(c.ratio)}${c.ratioFromRates ? ' (from rates)' : ''}`,
        c.ratioReduced === null
          ? '—'
          : `${fmt(c.ratioReduced)} (${c.ratioReducedBy ?? '?'})${c.ratioReducedFromRates ? ' (from rates)' : ''}`,
      ]),
    ),
  );
  s.push(
    "(CPU time of the search; SPIN's memory is pan's total (its -w26 hash table is 512 MB of it), the engine's the child's peak RSS. " +
      "The engine's own searches key a state by its world and its threads' frames, which here the world determines (test/bench/spin-tight.test.ts), and run one scenario per writer choice vector (with symmetry, per multiset of them), so they count a state once per vector that reaches it: see bench/spin/search.ts.)",
  );
  return s;
}
