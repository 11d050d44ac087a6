/**
 * Checking a design against properties: the job behind `check`, the matrix and
 * the property suites. Exhaustive mode explores the bounded space once with
 * every property's monitors, whose violations are noted without ending the
 * execution, and keeps the shortest counterexample of each violation kind; only
 * violations the model raises itself (use after free, illegal transition,
 * deadlock) end an execution, so they alone can hide a later violation.
 * Random mode screens every property in one pass, then runs fast-check per
 * property only if something failed (shrinking keeps that property's
 * violation) and minimizes.
 */
import type { Monitor } from '../checker/monitor.ts';
import type { Violation } from '../checker/point.ts';
import type { Scenario } from '../checker/scenario.ts';
import type { Coverage } from '../checker/search/exhaustive.ts';
import { better } from '../checker/search/findings.ts';
import { type RandomResult, randomSearch, type ScheduleKind } from '../checker/search/random.ts';
import { exploreScenarios, type ScenarioFound, type SpaceResult } from '../checker/search/space-search.ts';
import type { Design } from '../model/design.ts';
import type { BoundValues, Domain } from '../model/domain.ts';
import { DesignFault, isFault, throwIfFault } from './design-fault.ts';
import type { Property } from './property.ts';
import { checkOptions, checkScenarios, exploreShards } from './shards.ts';

export type Mode = 'random' | 'exhaustive';

export interface CheckRequest {
  // biome-ignore lint/suspicious/noExplicitAny: any design of the domain
  readonly design: Design<any>;
  readonly domain: Domain;
  readonly properties: readonly Property[];
  /** every property of the design's domain: their monitors all run */
  readonly catalog: readonly Property[];
  readonly modes: readonly Mode[];
  readonly bounds: BoundValues;
  readonly profile?: string | null;
  /** restrict the primary actor's commands (see Design.focus) */
  readonly focus?: readonly string[];
  readonly runs?: number;
  readonly seed?: number;
  readonly schedule?: ScheduleKind;
  /** exhaustive mode: dynamic partial-order reduction (see checker/search/dpor.ts) */
  readonly dpor?: boolean;
  /** one limit for the whole check: every pass of every mode gets what is left of it */
  readonly timeLimitMs?: number;
  /** exhaustive mode stops, incomplete, once the heap holds this many bytes (see checker/search/deadline.ts) */
  readonly maxMemoryBytes?: number;
  readonly onProgress?: (p: Progress) => void;
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
}

export interface PropertyResult {
  readonly property: string;
  readonly mode: Mode;
  readonly verdict: 'pass' | 'fail' | 'n/a';
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
function exploreHere(req: CheckRequest, t0: number, end: End): SpaceResult {
  const scenarios = checkScenarios(req.domain, req.bounds, req.profile, req.focus);
  return exploreScenarios(
    req.domain.system(req.design),
    scenarios,
    { ...checkOptions(req.dpor ?? false, left(end), req.maxMemoryBytes), monitors: monitorsOf(req.catalog) },
    exhaustiveProgress(req, t0),
  );
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
function exhaustiveResults(req: CheckRequest, all: SpaceResult, t0: number): PropertyResult[] {
  throwIfFault(req.design.name, all.byKind);
  return req.properties.map((p) => {
    if (req.design.notApplicable[p.name]) return na(p, 'exhaustive', req.design.notApplicable[p.name] as string);
    const found = [...all.byKind.values()]
      .filter((f) => p.kinds.includes(f.violation.kind))
      .reduce<ScenarioFound | null>((best, f) => (better(f, best) ? f : best), null);
    const coverage = all.coverage;
    return {
      property: p.name,
      mode: 'exhaustive' as const,
      verdict: found ? ('fail' as const) : ('pass' as const),
      executions: coverage.executions,
      states: coverage.states,
      steps: coverage.transitions,
      millis: Date.now() - t0,
      counterexample: found ? { scenario: found.scenario, path: found.path, violation: found.violation } : null,
      coverage,
      ...(coverage.complete
        ? {}
        : { note: `incomplete: ${coverage.memoryCut ? 'the memory limit' : 'a bound or the time limit'} cut the search` }),
    };
  });
}

/**
 * Random mode. One screening pass first watches every applicable property at
 * once, without shrinking: when nothing fails, each property has seen exactly
 * the runs a pass of its own would have made (the same seed draws the same
 * scenarios and schedules, and only a violation ends a run early, which is a
 * failure here whatever its kind), so its verdict is that pass's. Only when
 * something fails does each property get its own pass, which keeps and shrinks
 * that property's violation.
 */
function random(req: CheckRequest, end: End): PropertyResult[] {
  const applicable = req.properties.filter((p) => !req.design.notApplicable[p.name]);
  const screen = applicable.length > 1 ? randomPass(req, end, applicable, null, () => true, false) : null;
  // a broken design is reported as found: shrinking it property by property would only take long
  if (screen?.found && isFault(screen.found.violation))
    throw new DesignFault(req.design.name, screen.found.violation, screen.found.path.length);
  return req.properties.map((p) => {
    if (req.design.notApplicable[p.name]) return na(p, 'random', req.design.notApplicable[p.name] as string);
    const r = screen && !screen.found ? screen : randomPass(req, end, [p], p.name, (v) => isFault(v) || kindsOf(p)(v), true);
    if (r.found && isFault(r.found.violation)) throw new DesignFault(req.design.name, r.found.violation, r.found.path.length);
    return {
      property: p.name,
      mode: 'random' as const,
      verdict: r.found ? ('fail' as const) : ('pass' as const),
      executions: r.runs,
      states: 0,
      steps: r.steps,
      millis: r.millis,
      counterexample: r.found ? { scenario: r.found.scenario, path: r.found.path, violation: r.found.violation } : null,
      seed: r.seed,
      ...(r.found ? { runsToFailure: r.found.runsToFailure, shrunkLength: r.found.shrunkLength } : {}),
    };
  });
}

/** One fast-check pass watching `properties`; `label` names it in progress reports (null: every property). */
function randomPass(
  req: CheckRequest,
  end: End,
  properties: readonly Property[],
  label: string | null,
  isFailure: (v: Violation) => boolean,
  shrink: boolean,
): RandomResult {
  const runs = req.runs ?? 200;
  const limit = left(end);
  return randomSearch(req.domain.system(req.design), req.domain.space(req.bounds, req.focus), req.domain.searchBounds(req.bounds), {
    runs,
    ...(req.seed === undefined ? {} : { seed: req.seed }),
    ...(req.schedule ? { schedule: req.schedule } : {}),
    monitors: monitorsOf(properties),
    isFailure,
    shrink,
    ...(limit === undefined ? {} : { timeLimitMs: limit }),
    onProgress: (x) =>
      req.onProgress?.({
        mode: 'random',
        property: label,
        executions: x.runs,
        steps: x.steps,
        states: 0,
        done: x.runs,
        total: runs,
        millis: x.millis,
      }),
  });
}

function na(p: Property, mode: Mode, why: string): PropertyResult {
  return { property: p.name, mode, verdict: 'n/a', executions: 0, states: 0, steps: 0, millis: 0, counterexample: null, note: why };
}

/** Runs every requested mode in this process; results are per (property, mode), in catalog order. */
export function checkDesign(req: CheckRequest): PropertyResult[] {
  const end = endOf(req);
  const out: PropertyResult[] = [];
  if (req.modes.includes('random')) out.push(...random(req, end));
  if (req.modes.includes('exhaustive')) {
    const t0 = Date.now();
    out.push(...exhaustiveResults(req, exploreHere(req, t0, end), t0));
  }
  return out;
}

/**
 * checkDesign with the exhaustive search spread over `jobs` worker processes
 * (shards.ts), which load the design again from `designRef` (a built-in name
 * or a module path). The results are those of checkDesign, whatever `jobs` is.
 */
export async function checkDesignJobs(req: CheckRequest, designRef: string, jobs: number): Promise<PropertyResult[]> {
  if (jobs <= 1 || !req.modes.includes('exhaustive')) return checkDesign(req);
  const end = endOf(req);
  const out = req.modes.includes('random') ? random(req, end) : [];
  const t0 = Date.now();
  const scenarios = checkScenarios(req.domain, req.bounds, req.profile, req.focus);
  const all = await exploreShards(
    {
      design: designRef,
      bounds: req.bounds,
      profile: req.profile ?? null,
      focus: req.focus ?? [],
      dpor: req.dpor ?? false,
      ...(end === null ? {} : { timeLimitMs: left(end) as number }),
      ...(req.maxMemoryBytes === undefined ? {} : { maxMemoryBytes: req.maxMemoryBytes }),
    },
    scenarios,
    Math.min(jobs, Math.max(1, scenarios.total)),
    exhaustiveProgress(req, t0),
  );
  return [...out, ...exhaustiveResults(req, all, t0)];
}
