/**
 * Checking a design against properties: the job behind `check`, the matrix and
 * the property suites. Exhaustive mode explores the bounded space once with
 * every property's monitors, whose violations are noted without ending the
 * execution, and keeps the shortest counterexample of each violation kind; only
 * violations the model raises itself (use after free, illegal transition,
 * deadlock) end an execution, so they alone can hide a later violation.
 * Random mode screens every property in one pass whose monitors note their
 * violations without ending the run, then shrinks (with fast-check, keeping
 * the property's violation) and minimizes only the properties that failed.
 * A search cut by the time limit before it found anything is `incomplete`.
 */
import type { CoverageRecorder } from '../checker/coverage.ts';
import type { Monitor } from '../checker/monitor.ts';
import type { Violation } from '../checker/point.ts';
import type { Scenario } from '../checker/scenario.ts';
import { fixedList, type ScenarioList } from '../checker/scenario-list.ts';
import type { Coverage } from '../checker/search/exhaustive.ts';
import { better } from '../checker/search/findings.ts';
import { type RandomFound, type RandomResult, randomScreen, randomSearch, type ScheduleKind } from '../checker/search/random.ts';
import { type At, exploreShard, type ShardResult, type ShardSpec } from '../checker/search/shard-plan.ts';
import { exploreScenarios, type ScenarioFound, type SpaceResult } from '../checker/search/space-search.ts';
import type { ScenarioSpace, SpaceBounds } from '../checker/space.ts';
import type { Design } from '../model/design.ts';
import type { BoundValues, Domain } from '../model/domain.ts';
import { DesignFault, isFault, throwIfFault } from './design-fault.ts';
import type { Property } from './property.ts';
import { unprovenLockTypes } from './reduce.ts';
import { scenarioSpace } from './scenario-space.ts';
import { checkOptions, type ExploreShards } from './shards.ts';
import { symmetryOf } from './symmetry.ts';
import { systemOf } from './system.ts';
import { checkScenarios } from './target.ts';

export type Mode = 'random' | 'exhaustive';

export interface CheckRequest {
  readonly design: Design<object>;
  readonly domain: Domain;
  readonly properties: readonly Property[];
  /** every property of the design's domain: their monitors all run */
  readonly catalog: readonly Property[];
  readonly modes: readonly Mode[];
  readonly bounds: BoundValues;
  readonly profile?: string | null;
  /**
   * exactly this scenario instead of the space of the bounds (a scenario file,
   * `check --scenario`): every interleaving of its threads, or random schedules of them
   */
  readonly scenario?: Scenario;
  /** restrict the primary actor's commands (see Design.focus) */
  readonly focus?: readonly string[];
  readonly runs?: number;
  readonly seed?: number;
  readonly schedule?: ScheduleKind;
  /** exhaustive mode: dynamic partial-order reduction (see checker/search/dpor.ts) */
  readonly dpor?: boolean;
  /** exhaustive mode: transaction reduction (checker/reduce/, properties/reduce.ts); not with dpor */
  readonly reduce?: boolean;
  /** exhaustive mode: the state cache keeps full keys, so no fingerprint collision can hide a state */
  readonly exact?: boolean;
  /** exhaustive mode: symmetry reduction over interchangeable threads (checker/symmetry.ts); not with dpor, reduce or shard */
  readonly symmetry?: boolean;
  /** one limit for the whole check: every pass of every mode gets what is left of it */
  readonly timeLimitMs?: number;
  /** exhaustive mode stops, incomplete, once the heap holds this many bytes (see checker/search/deadline.ts) */
  readonly maxMemoryBytes?: number;
  /** with jobs: a step of design code that runs longer is a broken design (each worker's watcher ends it; default 10 s) */
  readonly stepLimitMs?: number;
  readonly onProgress?: (p: Progress) => void;
  /**
   * where each mode counts the model functions its executions ran (checker/coverage.ts);
   * not filled by the worker processes of checkDesignSharded
   */
  readonly coverage?: { readonly [mode in Mode]?: CoverageRecorder };
  /** exhaustive mode explores only this shard's share (shard-plan.ts; `check --shard`) */
  readonly shard?: ShardSpec;
  /** more monitors for the exhaustive search that report nothing (a lock graph's recorder) */
  readonly recorders?: readonly Monitor[];
  /** with shard: the shard's own figures (its units, each scenario's index) */
  readonly onShard?: (r: ShardResult) => void;
}

export interface Progress {
  readonly mode: Mode;
  readonly property: string | null;
  readonly executions: number;
  readonly steps: number;
  readonly states: number;
  readonly done: number;
  readonly total: number;
  readonly millis: number;
}

export interface Counterexample {
  readonly scenario: Scenario;
  readonly path: readonly number[];
  readonly violation: Violation;
  /** a shard's finding: where one run meets it (shard-plan.ts) */
  readonly at?: At;
}

/** How far a search got: random runs made of those asked; exhaustive scenarios searched of the total, and distinct states. */
export type Searched =
  | { readonly runs: number; readonly runsAsked: number }
  | { readonly scenarios: number; readonly scenariosTotal: number; readonly states: number };

/**
 * `incomplete`: no violation, but a limit (time, or a bound of the search)
 * cut the search before it covered what was asked, so it proves nothing.
 */
export type Verdict = 'pass' | 'fail' | 'n/a' | 'incomplete';

export interface PropertyResult {
  readonly property: string;
  readonly mode: Mode;
  readonly verdict: Verdict;
  /**
   * no limit cut the search (one that stops early because it found what it
   * looks for is complete); false with no violation means `incomplete`
   */
  readonly complete: boolean;
  /** how far the search got (nothing, for n/a) */
  readonly searched: Searched;
  readonly executions: number;
  readonly states: number;
  readonly steps: number;
  readonly millis: number;
  readonly counterexample: Counterexample | null;
  /** exhaustive only: what was covered */
  readonly coverage?: Coverage;
  /** why n/a, or what limits a pass */
  readonly note?: string;
  /** random only */
  readonly seed?: number;
  readonly runsToFailure?: number;
  readonly shrunkLength?: number;
}

const monitorsOf = (ps: readonly Property[]): Monitor[] => ps.flatMap((p) => p.monitors());

/** When the check's time limit runs out (epoch ms), or null without one. */
type End = number | null;
const endOf = (req: CheckRequest): End => (req.timeLimitMs === undefined ? null : Date.now() + req.timeLimitMs);
/** What is left of the limit, as the next pass's own limit (at least 1 ms, so a pass that starts late stops at once). */
const left = (end: End): number | undefined => (end === null ? undefined : Math.max(1, end - Date.now()));
const kindsOf = (p: Property) => (v: Violation) => p.kinds.includes(v.kind);

/** The exhaustive search of a check, in this process: every catalog monitor at once, every kind's shortest counterexample. */
function exploreHere(req: CheckRequest, scenarios: ScenarioList, t0: number, end: End): SpaceResult | ShardResult {
  const system = systemOf(req.domain, req.design);
  const options = {
    ...checkOptions(req.dpor ?? false, left(end), req.maxMemoryBytes, req.exact ?? false),
    monitors: [...monitorsOf(req.catalog), ...(req.recorders ?? [])],
    ...(req.coverage?.exhaustive ? { execOptions: { coverage: req.coverage.exhaustive } } : {}),
    ...(req.reduce ? { reduce: { unproven: unprovenLockTypes(req.domain, req.design, system) } } : {}),
    ...(req.symmetry ? { symmetry: symmetryOf(req.domain, req.bounds, req.focus) } : {}),
  };
  if (req.shard) {
    const r = exploreShard(system, scenarios, req.shard, options);
    req.onShard?.(r);
    return r;
  }
  return exploreScenarios(system, scenarios, options, exhaustiveProgress(req, t0));
}

function exhaustiveProgress(req: CheckRequest, t0: number) {
  return (done: number, total: number, c: Coverage) =>
    req.onProgress?.({
      mode: 'exhaustive',
      property: null,
      executions: c.executions,
      steps: c.transitions + c.replaySteps,
      states: c.states,
      done,
      total,
      millis: Date.now() - t0,
    });
}

/** Each property's verdict from the search's shortest counterexample of its kinds. */
function exhaustiveResults(req: CheckRequest, all: SpaceResult, scenariosTotal: number, t0: number): PropertyResult[] {
  throwIfFault(req.design.name, all.byKind);
  return req.properties.map((p) => {
    const why = req.design.notApplicable[p.name];
    if (why) return na(p, 'exhaustive', why, { scenarios: 0, scenariosTotal, states: 0 });
    const found = [...all.byKind.values()]
      .filter((f) => p.kinds.includes(f.violation.kind))
      .reduce<ScenarioFound | null>((best, f) => (better(f, best) ? f : best), null);
    const coverage = all.coverage;
    return {
      property: p.name,
      mode: 'exhaustive' as const,
      verdict: found ? ('fail' as const) : coverage.complete ? ('pass' as const) : ('incomplete' as const),
      complete: coverage.complete,
      searched: { scenarios: all.scenarios, scenariosTotal, states: coverage.states },
      executions: coverage.executions,
      states: coverage.states,
      steps: coverage.transitions,
      millis: Date.now() - t0,
      counterexample: found
        ? { scenario: found.scenario, path: found.path, violation: found.violation, ...('at' in found ? { at: found.at as At } : {}) }
        : null,
      coverage,
      ...(coverage.complete
        ? {}
        : {
            note: `cut after ${count(all.scenarios)} of ${count(scenariosTotal)} scenarios (by ${coverage.memoryCut ? 'the memory limit' : 'the time limit or a bound of the search'})`,
          }),
    };
  });
}

/** Where a property first failed in the screen: the run, and whether it was a design fault rather than the property's own kind. */
interface FirstFailure {
  readonly run: number;
  readonly fault: boolean;
}

/**
 * Random mode. One screening pass watches every applicable property at once
 * (randomScreen: a monitor's violation does not end the run), so each
 * property sees exactly the runs a pass of its own would make, and a
 * property's first failure is at the run where its own pass would stop (its
 * first violation of one of its kinds, or a design fault). The screen ends
 * when every property has failed or the runs are done. Only the properties
 * that failed then get a pass of their own, started at that run, which
 * shrinks and minimizes their violation as it always has.
 */
function random(req: CheckRequest, end: End): PropertyResult[] {
  const applicable = req.properties.filter((p) => !req.design.notApplicable[p.name]);
  const runsAsked = req.runs ?? 200;
  // one seed for the screen and every shrinking pass: they must see the same runs
  const seed = req.seed ?? Date.now() % 2 ** 31;
  const first = new Map<string, FirstFailure>();
  const limit = left(end);
  const { space, bounds } = randomSpace(req);
  const screen = randomScreen(systemOf(req.domain, req.design), space, bounds, {
    runs: runsAsked,
    seed,
    ...(req.schedule ? { schedule: req.schedule } : {}),
    monitors: monitorsOf(applicable),
    ...(req.coverage?.random ? { execOptions: { coverage: req.coverage.random } } : {}),
    ...(limit === undefined ? {} : { timeLimitMs: limit }),
    onRun: (violations, run) => {
      for (const p of applicable) {
        if (first.has(p.name)) continue;
        const v = violations.find((x) => isFault(x) || kindsOf(p)(x));
        if (v) first.set(p.name, { run, fault: isFault(v) });
      }
      return first.size === applicable.length;
    },
    onProgress: (x) => progressOf(req, null, x.runs, x.steps, x.millis, runsAsked),
  });
  // a design fault is a broken input whichever property met it first: shrink it and say so
  const faulty = applicable.find((p) => first.get(p.name)?.fault);
  if (faulty) shrinkPass(req, seed, faulty, (first.get(faulty.name) as FirstFailure).run);
  const searched = { runs: screen.runs, runsAsked };
  return req.properties.map((p) => {
    const why = req.design.notApplicable[p.name];
    if (why) return na(p, 'random', why, { runs: 0, runsAsked });
    const failure = first.get(p.name);
    const base = { property: p.name, mode: 'random' as const, states: 0, seed: screen.seed, searched };
    if (!failure)
      return {
        ...base,
        verdict: screen.cut ? ('incomplete' as const) : ('pass' as const),
        complete: !screen.cut,
        executions: screen.runs,
        steps: screen.steps,
        millis: screen.millis,
        counterexample: null,
        ...(screen.cut ? { note: cutNote(screen.runs, runsAsked) } : {}),
      };
    const r = shrinkPass(req, seed, p, failure.run);
    const found = r.found as RandomFound;
    return {
      ...base,
      verdict: 'fail' as const,
      complete: !screen.cut,
      executions: screen.runs,
      steps: screen.steps + r.steps,
      millis: screen.millis + r.millis,
      counterexample: { scenario: found.scenario, path: found.path, violation: found.violation },
      runsToFailure: found.runsToFailure,
      shrunkLength: found.shrunkLength,
    };
  });
}

const count = (n: number) => n.toLocaleString('en-US');
const cutNote = (runs: number, asked: number) => `cut by the time limit after ${count(runs)} of ${count(asked)} runs`;

/**
 * The pass of `p` alone from the run where the screen saw it fail: that run
 * fails again (runs are a function of the seed and their index), and
 * fast-check shrinks it keeping its violation, as a pass from the first run
 * would once it got there. It is not cut by the time limit, so a result
 * repeats exactly with `--runs` set to the runs the screen made.
 */
function shrinkPass(req: CheckRequest, seed: number, p: Property, run: number): RandomResult {
  const { space, bounds } = randomSpace(req);
  const r = randomSearch(systemOf(req.domain, req.design), space, bounds, {
    runs: 1,
    // a fixed scenario stays whole: only its schedule is shrunk
    ...(req.scenario ? { minimize: false } : {}),
    startAt: run,
    seed,
    ...(req.schedule ? { schedule: req.schedule } : {}),
    monitors: p.monitors(),
    isFailure: (v) => isFault(v) || kindsOf(p)(v),
  });
  if (!r.found) throw new Error(`nondeterministic model: run ${run} of seed ${seed} failed ${p.name} in the screen but not on its own`);
  if (isFault(r.found.violation)) throw new DesignFault(req.design.name, r.found.violation, r.found.path.length);
  return r;
}

/** What random runs draw from: the bounds' space, or a fixed scenario's (its threads, and only their schedules vary). */
function randomSpace(req: CheckRequest): { space: ScenarioSpace; bounds: SpaceBounds } {
  if (req.scenario) return scenarioSpace(req.scenario);
  return { space: req.domain.space(req.bounds, req.focus), bounds: req.domain.searchBounds(req.bounds) };
}

function progressOf(req: CheckRequest, property: string | null, runs: number, steps: number, millis: number, total: number): void {
  req.onProgress?.({ mode: 'random', property, executions: runs, steps, states: 0, done: runs, total, millis });
}

function na(p: Property, mode: Mode, why: string, searched: Searched): PropertyResult {
  return {
    property: p.name,
    mode,
    verdict: 'n/a',
    complete: true,
    searched,
    executions: 0,
    states: 0,
    steps: 0,
    millis: 0,
    counterexample: null,
    note: why,
  };
}

export type Overall = 'pass' | 'fail' | 'incomplete';

/** A check's verdict: any violation fails it; else any search cut with nothing found leaves it incomplete. */
export function overallVerdict(results: readonly PropertyResult[]): Overall {
  if (results.some((r) => r.verdict === 'fail')) return 'fail';
  return results.some((r) => r.verdict === 'incomplete') ? 'incomplete' : 'pass';
}

/** Runs every requested mode in this process; results are per (property, mode), in catalog order. */
export function checkDesign(req: CheckRequest): PropertyResult[] {
  const end = endOf(req);
  const out: PropertyResult[] = [];
  if (req.modes.includes('random')) out.push(...random(req, end));
  if (req.modes.includes('exhaustive')) {
    const t0 = Date.now();
    const scenarios = req.scenario ? fixedList([req.scenario]) : checkScenarios(req.domain, req.bounds, req.profile, req.focus);
    out.push(...exhaustiveResults(req, exploreHere(req, scenarios, t0, end), scenarios.total, t0));
  }
  return out;
}

/**
 * checkDesign with the exhaustive search spread over `jobs` workers that
 * `explore` runs (cli/shards.ts: processes), which load the design again from
 * `designRef` (a built-in name or a module path). The results are those of
 * checkDesign, whatever `jobs` is.
 */
export async function checkDesignSharded(
  req: CheckRequest,
  designRef: string,
  jobs: number,
  explore: ExploreShards,
): Promise<PropertyResult[]> {
  if (jobs <= 1 || !req.modes.includes('exhaustive') || req.scenario || req.shard) return checkDesign(req);
  const end = endOf(req);
  const out = req.modes.includes('random') ? random(req, end) : [];
  const t0 = Date.now();
  const scenarios = checkScenarios(req.domain, req.bounds, req.profile, req.focus);
  const all = await explore(
    {
      design: designRef,
      bounds: req.bounds,
      profile: req.profile ?? null,
      focus: req.focus ?? [],
      dpor: req.dpor ?? false,
      ...(req.reduce ? { reduce: true } : {}),
      ...(req.symmetry ? { symmetry: true } : {}),
      ...(req.exact ? { exact: true } : {}),
      ...(end === null ? {} : { timeLimitMs: left(end) as number }),
      ...(req.maxMemoryBytes === undefined ? {} : { maxMemoryBytes: req.maxMemoryBytes }),
      ...(req.stepLimitMs === undefined ? {} : { stepLimitMs: req.stepLimitMs }),
    },
    scenarios,
    Math.min(jobs, Math.max(1, scenarios.total)),
    exhaustiveProgress(req, t0),
  );
  return [...out, ...exhaustiveResults(req, all, scenarios.total, t0)];
}
