import fc from 'fast-check';
import type { ExecOptions } from '../execution.ts';
import type { Monitor } from '../monitor.ts';
import type { Violation } from '../point.ts';
import { runScenario } from '../run.ts';
import type { Scenario, System } from '../scenario.ts';
import type { ScenarioSpace, SpaceBounds } from '../space.ts';
import { type ScheduleKind, scenarioArbitrary, scheduleArbitrary, schedulerFor } from './arbitraries.ts';
import { minimizeCounterexample } from './minimize.ts';

export type { ScheduleKind } from './arbitraries.ts';

export interface RandomOptions {
  readonly runs: number;
  readonly seed?: number;
  /** default 'mixed': each run draws a uniform or a PCT schedule */
  readonly schedule?: ScheduleKind;
  readonly monitors?: readonly Monitor[];
  readonly isFailure?: (v: Violation) => boolean;
  readonly execOptions?: Omit<ExecOptions, 'monitors' | 'record'>;
  /**
   * stop generating new runs after this long; the runs made are then exactly
   * the first `runs` of a search asked for that many (see RandomResult.cut)
   */
  readonly timeLimitMs?: number;
  /**
   * start at this run (1-based) of the seed's sequence instead of the first,
   * and shrink from it: a caller that already knows which run fails (a
   * screen did) skips re-running the ones before it. The result is the one a
   * search from the first run would give, as run i is a function of (seed, i) alone.
   */
  readonly startAt?: number;
  /** after fast-check's shrinking, minimize further by re-searching schedules (default on) */
  readonly minimize?: boolean;
  /**
   * shrink a failure (default on); off, the first failing run is returned as
   * generated, for a caller that only needs to know whether anything fails
   */
  readonly shrink?: boolean;
  /** called every so many runs with figures so far */
  readonly onProgress?: (p: RandomProgress) => void;
}

export interface RandomProgress {
  readonly runs: number;
  readonly steps: number;
  readonly millis: number;
}

export interface RandomFound {
  readonly scenario: Scenario;
  readonly path: readonly number[];
  readonly violation: Violation;
  /** generated runs up to and including the first failure */
  readonly runsToFailure: number;
  readonly shrinks: number;
  /** length of fast-check's shrunk path, before minimization */
  readonly shrunkLength: number;
  /** the path is the shortest interleaving of the final scenario */
  readonly shortest: boolean;
}

export interface RandomResult {
  readonly found: RandomFound | null;
  /** runs generated (up to the first failure, when one was found) */
  readonly runs: number;
  /** the time limit stopped the runs before `runs` were made and before any failure */
  readonly cut: boolean;
  readonly steps: number;
  readonly millis: number;
  readonly seed: number;
}

/**
 * Random search: fast-check generates a scenario and a schedule per run, runs
 * it without recording, and on a failure shrinks both (fewer threads, fewer
 * operations, fewer context switches). The failing kind found first is kept
 * while shrinking so the shrunk run shows the same bug.
 */
export function randomSearch(system: System, space: ScenarioSpace, bounds: SpaceBounds, options: RandomOptions): RandomResult {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const isFailure = options.isFailure ?? (() => true);
  // the engine the run asked for (--engine); unrecorded and untracked, a compiled thread copies and tags nothing
  const execOptions: ExecOptions = {
    ...options.execOptions,
    ...(options.monitors ? { monitors: options.monitors } : {}),
    // Stryker disable next-line StringLiteral: every level but 'full' finds the same violations; 'none' is the fastest
    record: 'none',
  };
  const maxThreads = space.roles.reduce((n, r) => n + Math.min(r.max ?? bounds.threads, bounds.threads), 0);
  // Stryker disable next-line LogicalOperator,StringLiteral: scheduleArbitrary draws mixed schedules for any kind but uniform and pct
  const scheduleArb = scheduleArbitrary(options.schedule ?? 'mixed', maxThreads);
  const makeScheduler = schedulerFor;
  let target: string | null = null;
  const start = options.startAt ?? 1;
  let runs = start - 1;
  let steps = 0;
  let runsToFailure = 0;
  const t0 = Date.now();
  let generating = true;
  const property = fc.property(scenarioArbitrary(space, bounds), scheduleArb, (scenario, schedule) => {
    if (generating) {
      runs++;
      if (options.onProgress && runs % 500 === 0) options.onProgress({ runs, steps, millis: Date.now() - t0 });
    }
    const exec = runScenario(system, scenario, makeScheduler(schedule), execOptions);
    steps += exec.stepCount;
    const v = exec.violation;
    if (!v || !isFailure(v)) return true;
    if (target === null) {
      target = v.kind;
      runsToFailure = runs;
      generating = false;
    }
    return v.kind !== target;
  });
  const shrink = options.shrink ?? true;
  const out = fc.check(property, {
    ...runRange(options.runs, start),
    seed,
    ...(shrink ? {} : { endOnFailure: true }),
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: an undefined limit is no limit to fast-check; an interrupted check has no counterexample either way
    ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false }),
  });
  const millis = Date.now() - t0;
  if (!out.failed || !out.counterexample) return { found: null, runs, cut: out.interrupted, steps, millis, seed };
  const [scenario, schedule] = out.counterexample;
  const exec = runScenario(system, scenario, makeScheduler(schedule), execOptions);
  const v = exec.violation as Violation;
  const shrunk = { scenario, path: exec.path, violation: v };
  const min =
    options.minimize === false || !shrink
      ? { ...shrunk, shortest: false }
      : minimizeCounterexample(system, shrunk, {
          ...(options.monitors ? { monitors: options.monitors } : {}),
          ...(options.execOptions ? { execOptions: options.execOptions } : {}),
        });
  return {
    found: {
      scenario: min.scenario,
      path: min.path,
      violation: min.violation,
      runsToFailure,
      shrinks: out.numShrinks,
      shrunkLength: exec.path.length,
      shortest: min.shortest,
    },
    runs,
    cut: false,
    steps,
    millis,
    seed,
  };
}

/**
 * fast-check's run count and start: from run `start` (1-based) on, a path of
 * one index replays that run of the seed's sequence (and shrinks it if it
 * fails) before going on with the next ones.
 */
function runRange(runs: number, start: number): { numRuns: number; path?: string } {
  return start <= 1 ? { numRuns: runs } : { numRuns: Math.max(1, runs - start + 1), path: String(start - 1) };
}

export interface ScreenOptions {
  readonly runs: number;
  readonly seed?: number;
  readonly schedule?: ScheduleKind;
  readonly monitors: readonly Monitor[];
  readonly execOptions?: Omit<ExecOptions, 'monitors' | 'record' | 'softMonitors'>;
  readonly timeLimitMs?: number;
  /**
   * Each run's violations, in the order they happened: the monitors' (which
   * do not end the run) and last the model's own, if one ended it. Return
   * true to stop the screen after this run (the caller has seen enough).
   */
  readonly onRun: (violations: readonly Violation[], run: number) => boolean;
  readonly onProgress?: (p: RandomProgress) => void;
}

export interface ScreenResult {
  /** runs made: the first `runs` of the seed's sequence */
  readonly runs: number;
  /** the time limit stopped it before all the runs asked were made (and before onRun asked to stop) */
  readonly cut: boolean;
  readonly steps: number;
  readonly millis: number;
  readonly seed: number;
}

/**
 * The runs randomSearch makes for a seed, watched by every monitor at once
 * and never shrunk: a monitor's violation is noted and the run goes on
 * (softMonitors), so each monitor sees every run exactly as it would in a
 * search of its own (monitors only observe; only the model's own violations
 * end a run, as they would there). Run i is the same as randomSearch's run i
 * with the same seed and schedule kind, whatever the number of runs asked.
 */
export function randomScreen(system: System, space: ScenarioSpace, bounds: SpaceBounds, options: ScreenOptions): ScreenResult {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const execOptions: ExecOptions = {
    ...options.execOptions,
    monitors: options.monitors,
    // Stryker disable next-line StringLiteral: every level but 'full' finds the same violations; 'none' is the fastest
    record: 'none',
    softMonitors: true,
  };
  const maxThreads = space.roles.reduce((n, r) => n + Math.min(r.max ?? bounds.threads, bounds.threads), 0);
  let runs = 0;
  let steps = 0;
  let stopped = false;
  const t0 = Date.now();
  const property = fc.property(
    scenarioArbitrary(space, bounds),
    // Stryker disable next-line LogicalOperator,StringLiteral: scheduleArbitrary draws mixed schedules for any kind but uniform and pct
    scheduleArbitrary(options.schedule ?? 'mixed', maxThreads),
    (scenario, schedule) => {
      runs++;
      if (options.onProgress && runs % 500 === 0) options.onProgress({ runs, steps, millis: Date.now() - t0 });
      const exec = runScenario(system, scenario, schedulerFor(schedule), execOptions);
      steps += exec.stepCount;
      stopped = options.onRun(exec.violation ? [...exec.soft, exec.violation] : exec.soft, runs);
      return !stopped;
    },
  );
  const out = fc.check(property, {
    numRuns: options.runs,
    seed,
    endOnFailure: true,
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: an undefined limit is no limit to fast-check; an interrupted check has no counterexample either way
    ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false }),
  });
  return { runs, cut: !stopped && runs < options.runs && out.interrupted, steps, millis: Date.now() - t0, seed };
}
