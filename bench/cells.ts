/**
 * Time to bug for every failing cell of the matrix, at the design's own bounds
 * and focus, with the cell's property only:
 * - random mode, with the default schedule (mixed: uniform or PCT at each
 *   run), with uniform schedules only and with PCT only: runs
 *   and seconds to the first failure over many seeds (the generation loop of
 *   randomSearch, stopped at the first failure so that shrinking is not
 *   timed), and for some seeds the full randomSearch, whose fast-check-shrunk
 *   and minimized lengths are compared with the shortest;
 * - exhaustive mode: seconds to the shortest counterexample (exploreSpace with
 *   length pruning, so the time includes proving nothing shorter exists);
 * - time to a random verdict: `check --mode random` with its defaults on the
 *   cell's design (every property, DEFAULT_RUNS runs, each seed), that is
 *   checkDesign until every verdict is in: the screen over all the runs, then
 *   the failing properties shrunk and minimized. And the same with the cell's
 *   property alone (`--property P`), where the screen ends at its failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Violation } from '../checker/point.ts';
import { runScenario } from '../checker/run.ts';
import { type ScheduleKind, scenarioArbitrary, scheduleArbitrary, schedulerFor } from '../checker/search/arbitraries.ts';
import { randomSearch } from '../checker/search/random.ts';
import { exploreSpace } from '../checker/search/space-search.ts';
import { DEFAULT_RUNS } from '../cli/commands/check.ts';
import { domainOf } from '../model/domains.ts';
import { builtinDesigns, findBuiltin } from '../model/variants/index.ts';
import { propertiesOf } from '../properties/catalog.ts';
import { checkDesign } from '../properties/check.ts';
import { systemOf } from '../properties/system.ts';
import { max, median, progress, round, timed } from './common.ts';

export interface Cell {
  readonly design: string;
  readonly property: string;
  /** shortest counterexample length in the matrix (corpus file or a fresh exhaustive row) */
  readonly matrixSteps: number | null;
}

export interface CellList {
  readonly source: 'corpus' | 'computed';
  readonly cells: readonly Cell[];
  /** seconds spent computing matrix rows (0 when read from the corpus) */
  readonly seconds: number;
}

/**
 * The failing cells: the committed corpus (counterexamples/<design>/<property>.json)
 * when present, else computed with checkDesign as the matrix does (in `limit`
 * mode: designs in order until that many cells are found).
 */
export function failingCells(root: string, limit?: number): CellList {
  const names = new Set(builtinDesigns().map((d) => d.name));
  const dir = join(root, 'counterexamples');
  const fromCorpus: Cell[] = [];
  if (existsSync(dir))
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      if (!d.isDirectory() || !names.has(d.name)) continue;
      for (const f of readdirSync(join(dir, d.name))
        .filter((x) => x.endsWith('.json'))
        .sort()) {
        const json = JSON.parse(readFileSync(join(dir, d.name, f), 'utf8')) as { property?: string; trace?: { steps?: number } };
        fromCorpus.push({ design: d.name, property: json.property ?? f.replace(/\.json$/, ''), matrixSteps: json.trace?.steps ?? null });
      }
    }
  if (fromCorpus.length > 0) {
    const order = builtinDesigns().map((d) => d.name);
    fromCorpus.sort((a, b) => order.indexOf(a.design) - order.indexOf(b.design));
    return { source: 'corpus', cells: limit ? fromCorpus.slice(0, limit) : fromCorpus, seconds: 0 };
  }
  const cells: Cell[] = [];
  const t0 = performance.now();
  for (const design of builtinDesigns()) {
    if (limit && cells.length >= limit) break;
    const domain = domainOf(design.domain);
    const catalog = propertiesOf(design.domain);
    const { bounds } = domain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
    const rs = checkDesign({ design, domain, properties: catalog, catalog, modes: ['exhaustive'], bounds, focus: design.focus });
    for (const r of rs)
      if (r.verdict === 'fail')
        cells.push({ design: design.name, property: r.property, matrixSteps: r.counterexample?.path.length ?? null });
    progress(`matrix row ${design.name}: ${rs.filter((r) => r.verdict === 'fail').length} failing cells`);
  }
  return { source: 'computed', cells: limit ? cells.slice(0, limit) : cells, seconds: round((performance.now() - t0) / 1000) };
}

export interface CellParams {
  readonly design: string;
  readonly property: string;
  readonly seeds: number;
  readonly shrinkSeeds: number;
  readonly randomLimitSec: number;
  readonly cellLimitSec: number;
  /** seeds of the time-to-verdict measurement (0: none) */
  readonly verdictSeeds?: number;
  readonly matrixSteps?: number | null;
}

export interface VerdictRun {
  readonly seed: number;
  /** the cell's property failed in the design's check */
  readonly found: boolean;
  /** the design's random check, every property: wall and CPU seconds to the last verdict */
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** the cell's property alone */
  readonly aloneSeconds: number;
  readonly aloneFound: boolean;
}

export interface VerdictCell {
  readonly runs: number;
  readonly seeds: number;
  /** seeds at which the design's check failed the cell's property */
  readonly found: number;
  /** medians and maxima count a seed that missed the cell as infinite (null in JSON) */
  readonly secondsMedian: number | null;
  readonly secondsMax: number | null;
  readonly cpuSecondsMedian: number | null;
  readonly aloneSecondsMedian: number | null;
  readonly perSeed: readonly VerdictRun[];
}

export interface SeedRun {
  readonly seed: number;
  readonly found: boolean;
  readonly runs: number;
  readonly seconds: number;
}

export interface ShrinkRun {
  readonly seed: number;
  readonly found: boolean;
  /** randomSearch's runsToFailure (equals the generation loop's: same arbitraries, same seed) */
  readonly runsToFailure: number | null;
  /** fast-check's shrunk path, before minimize */
  readonly fcShrunkLength: number | null;
  /** the counterexample randomSearch reports (after minimize) */
  readonly length: number | null;
  /** randomSearch end to end: generation, fast-check shrinking and minimize */
  readonly seconds: number;
}

export interface RandomCell {
  readonly schedule: ScheduleKind;
  readonly seeds: number;
  readonly found: number;
  /** medians and maxima count a seed that found nothing as infinite (null in JSON) */
  readonly runsMedian: number | null;
  readonly runsMax: number | null;
  readonly secondsMedian: number | null;
  readonly secondsMax: number | null;
  readonly perSeed: readonly SeedRun[];
  readonly shrinks: readonly ShrinkRun[];
}

export interface CellResult {
  readonly design: string;
  readonly property: string;
  readonly bounds: Readonly<Record<string, number>>;
  readonly focus: readonly string[];
  readonly matrixSteps: number | null;
  /** mixed (the default schedule), uniform and PCT */
  readonly random: readonly RandomCell[];
  /** time to a random verdict (null when not measured) */
  readonly verdict: VerdictCell | null;
  readonly exhaustive: {
    readonly found: boolean;
    readonly complete: boolean;
    readonly shortest: number | null;
    readonly seconds: number;
    readonly states: number;
  };
  readonly shrink: {
    readonly runs: number;
    readonly lengthMedian: number | null;
    readonly lengthMax: number | null;
    readonly fcShrunkMedian: number | null;
    readonly fcShrunkMax: number | null;
    /** every shrunk run's reported length is the shortest (or shorter: minimize may drop operations the bounded space keeps) */
    readonly equalsShortest: boolean;
    readonly fcEqualsShortest: boolean;
  };
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** The schedules measured: randomSearch's default first. */
export const SCHEDULES: readonly ScheduleKind[] = ['mixed', 'uniform', 'pct'];

export function cellRun(p: CellParams): CellResult {
  const design = findBuiltin(p.design);
  if (!design) throw new Error(`no design ${p.design}`);
  const domain = domainOf(design.domain);
  const property = propertiesOf(design.domain).find((x) => x.name === p.property);
  if (!property) throw new Error(`no property ${p.property}`);
  const { bounds } = domain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
  const system = systemOf(domain, design);
  const space = domain.space(bounds, design.focus);
  const sb = domain.searchBounds(bounds);
  const isFailure = (v: Violation) => property.kinds.includes(v.kind);
  // as randomSearch sizes its PCT schedules
  const maxThreads = space.roles.reduce((n, r) => n + Math.min(r.max ?? sb.threads, sb.threads), 0);

  // Exhaustive: the shortest counterexample over the design's bounded space.
  const ex = timed(() => exploreSpace(system, space, sb, { monitors: property.monitors(), isFailure, timeLimitMs: p.cellLimitSec * 1000 }));
  const shortest = ex.value.found?.path.length ?? null;
  progress(`${p.design}/${p.property}: exhaustive shortest ${shortest} in ${round(ex.wall)} s`);

  const random: RandomCell[] = [];
  for (const schedule of SCHEDULES) {
    const scheduleArb = scheduleArbitrary(schedule, maxThreads);
    const scheduler = schedulerFor;
    // randomSearch's generation loop (same arbitraries, same seed), ended at the first failure
    const perSeed: SeedRun[] = [];
    for (let seed = 1; seed <= p.seeds; seed++) {
      const monitors = property.monitors();
      let runs = 0;
      let found = false;
      const prop = fc.property(scenarioArbitrary(space, sb), scheduleArb, (scenario, x) => {
        runs++;
        const v = runScenario(system, scenario, scheduler(x), { monitors, record: 'none' }).violation;
        if (v && isFailure(v)) {
          found = true;
          return false;
        }
        return true;
      });
      const t = timed(() =>
        fc.check(prop, {
          numRuns: 1e9,
          seed,
          endOnFailure: true,
          interruptAfterTimeLimit: p.randomLimitSec * 1000,
          markInterruptAsFailure: false,
        }),
      );
      perSeed.push({ seed, found, runs, seconds: round(t.wall) });
    }
    const hits = perSeed.filter((s) => s.found);
    const runsOf = perSeed.map((s) => (s.found ? s.runs : Number.POSITIVE_INFINITY));
    const secsOf = perSeed.map((s) => (s.found ? s.seconds : Number.POSITIVE_INFINITY));
    progress(`${p.design}/${p.property}: ${schedule} ${hits.length}/${p.seeds} seeds, median ${median(secsOf)} s`);
    // randomSearch end to end on the first seeds that found the bug: shrinking and minimize
    const shrinks: ShrinkRun[] = [];
    for (const s of hits.slice(0, p.shrinkSeeds)) {
      const t = timed(() =>
        randomSearch(system, space, sb, { runs: s.runs, seed: s.seed, schedule, monitors: property.monitors(), isFailure, minimize: true }),
      );
      const f = t.value.found;
      shrinks.push({
        seed: s.seed,
        found: f !== null,
        runsToFailure: f?.runsToFailure ?? null,
        fcShrunkLength: f?.shrunkLength ?? null,
        length: f?.path.length ?? null,
        seconds: round(t.wall),
      });
    }
    random.push({
      schedule,
      seeds: p.seeds,
      found: hits.length,
      runsMedian: finite(median(runsOf)),
      runsMax: finite(max(runsOf)),
      secondsMedian: finite(round(median(secsOf))),
      secondsMax: finite(round(max(secsOf))),
      perSeed,
      shrinks,
    });
  }

  const verdict = (p.verdictSeeds ?? 0) > 0 ? verdictRun(p, p.verdictSeeds ?? 0) : null;
  if (verdict)
    progress(`${p.design}/${p.property}: random verdict ${verdict.found}/${verdict.seeds} seeds, median ${verdict.secondsMedian} s`);

  const shrinks = random.flatMap((r) => r.shrinks);
  const lens = shrinks.flatMap((s) => (s.length === null ? [] : [s.length]));
  const fcLens = shrinks.flatMap((s) => (s.fcShrunkLength === null ? [] : [s.fcShrunkLength]));
  const atMost = (xs: number[]) => shortest !== null && xs.length > 0 && xs.length === shrinks.length && xs.every((x) => x <= shortest);
  return {
    design: p.design,
    property: p.property,
    bounds: design.bounds,
    focus: design.focus,
    matrixSteps: p.matrixSteps ?? null,
    random,
    verdict,
    exhaustive: {
      found: shortest !== null,
      complete: ex.value.coverage.complete,
      shortest,
      seconds: round(ex.wall),
      states: ex.value.coverage.states,
    },
    shrink: {
      runs: shrinks.length,
      lengthMedian: lens.length ? median(lens) : null,
      lengthMax: lens.length ? max(lens) : null,
      fcShrunkMedian: fcLens.length ? median(fcLens) : null,
      fcShrunkMax: fcLens.length ? max(fcLens) : null,
      equalsShortest: atMost(lens),
      fcEqualsShortest: atMost(fcLens),
    },
  };
}

/** Time to a random verdict on the cell's design, as `check --mode random` (default runs, mixed schedule) gets it: see the header. */
function verdictRun(p: CellParams, seeds: number): VerdictCell {
  const design = findBuiltin(p.design);
  if (!design) throw new Error(`no design ${p.design}`);
  const domain = domainOf(design.domain);
  const catalog = propertiesOf(design.domain);
  const property = catalog.find((x) => x.name === p.property);
  if (!property) throw new Error(`no property ${p.property}`);
  const { bounds } = domain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
  const request = { design, domain, catalog, modes: ['random' as const], bounds, focus: design.focus, runs: DEFAULT_RUNS };
  const perSeed: VerdictRun[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const all = timed(() => checkDesign({ ...request, properties: catalog, seed }));
    const alone = timed(() => checkDesign({ ...request, properties: [property], seed }));
    const failed = (rs: readonly { property: string; verdict: string }[]) =>
      rs.some((r) => r.property === p.property && r.verdict === 'fail');
    perSeed.push({
      seed,
      found: failed(all.value),
      seconds: round(all.wall),
      cpuSeconds: round(all.cpu),
      aloneSeconds: round(alone.wall),
      aloneFound: failed(alone.value),
    });
  }
  const of = (f: (r: VerdictRun) => number, hit: (r: VerdictRun) => boolean = (r) => r.found) =>
    perSeed.map((r) => (hit(r) ? f(r) : Number.POSITIVE_INFINITY));
  return {
    runs: DEFAULT_RUNS,
    seeds,
    found: perSeed.filter((r) => r.found).length,
    secondsMedian: finite(round(median(of((r) => r.seconds)))),
    secondsMax: finite(round(max(of((r) => r.seconds)))),
    cpuSecondsMedian: finite(round(median(of((r) => r.cpuSeconds)))),
    aloneSecondsMedian: finite(
      round(
        median(
          of(
            (r) => r.aloneSeconds,
            (r) => r.aloneFound,
          ),
        ),
      ),
    ),
    perSeed,
  };
}
