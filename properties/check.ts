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
import { addCoverage, type Coverage, emptyCoverage, exploreScenario } from '../checker/search/exhaustive.ts';
import { type RandomResult, randomSearch, type ScheduleKind } from '../checker/search/random.ts';
import { exploreSpace, type ScenarioFound } from '../checker/search/space-search.ts';
import type { Design } from '../model/design.ts';
import type { BoundValues, Domain } from '../model/domain.ts';
import type { Property } from './property.ts';

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
  readonly timeLimitMs?: number;
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
const kindsOf = (p: Property) => (v: Violation) => p.kinds.includes(v.kind);

function exhaustive(req: CheckRequest): PropertyResult[] {
  const system = req.domain.system(req.design);
  const t0 = Date.now();
  const scenarios = req.profile ? (req.domain.profile?.(req.profile) ?? []) : null;
  const explore = (monitors: Monitor[], isFailure: (v: Violation) => boolean, property: string | null) => {
    const progress = (done: number, total: number, c: Coverage) =>
      req.onProgress?.({
        mode: 'exhaustive',
        property,
        executions: c.executions,
        steps: c.transitions + c.replaySteps,
        states: c.states,
        done,
        total,
        millis: Date.now() - t0,
      });
    const options = {
      monitors,
      isFailure,
      collectAll: true,
      ...(req.dpor ? { dpor: true } : {}),
      ...(req.timeLimitMs === undefined ? {} : { timeLimitMs: req.timeLimitMs }),
    };
    if (!scenarios)
      return exploreSpace(system, req.domain.space(req.bounds, req.focus), req.domain.searchBounds(req.bounds), options, progress);
    let coverage = emptyCoverage();
    const byKind = new Map<string, ScenarioFound>();
    scenarios.forEach((scenario, i) => {
      const r = exploreScenario(system, scenario, options);
      coverage = addCoverage(coverage, r.coverage);
      for (const [k, f] of r.byKind)
        if (!byKind.has(k) || f.path.length < (byKind.get(k) as ScenarioFound).path.length) byKind.set(k, { ...f, scenario });
      progress(i + 1, scenarios.length, coverage);
    });
    return { byKind, coverage, scenarios: scenarios.length };
  };
  const all = explore(monitorsOf(req.catalog), () => true, null);
  return req.properties.map((p) => {
    if (req.design.notApplicable[p.name]) return na(p, 'exhaustive', req.design.notApplicable[p.name] as string);
    const found =
      [...all.byKind.values()]
        .filter((f) => p.kinds.includes(f.violation.kind))
        .sort((a, b) => a.path.length - b.path.length || a.switches - b.switches)[0] ?? null;
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
      ...(coverage.complete ? {} : { note: 'incomplete: a bound or the time limit cut the search' }),
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
function random(req: CheckRequest): PropertyResult[] {
  const applicable = req.properties.filter((p) => !req.design.notApplicable[p.name]);
  const screen = applicable.length > 1 ? randomPass(req, applicable, null, () => true, false) : null;
  return req.properties.map((p) => {
    if (req.design.notApplicable[p.name]) return na(p, 'random', req.design.notApplicable[p.name] as string);
    const r = screen && !screen.found ? screen : randomPass(req, [p], p.name, kindsOf(p), true);
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
  properties: readonly Property[],
  label: string | null,
  isFailure: (v: Violation) => boolean,
  shrink: boolean,
): RandomResult {
  const runs = req.runs ?? 200;
  return randomSearch(req.domain.system(req.design), req.domain.space(req.bounds, req.focus), req.domain.searchBounds(req.bounds), {
    runs,
    ...(req.seed === undefined ? {} : { seed: req.seed }),
    ...(req.schedule ? { schedule: req.schedule } : {}),
    monitors: monitorsOf(properties),
    isFailure,
    shrink,
    ...(req.timeLimitMs === undefined ? {} : { timeLimitMs: req.timeLimitMs }),
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

/** Runs every requested mode; results are per (property, mode), in catalog order. */
export function checkDesign(req: CheckRequest): PropertyResult[] {
  const out: PropertyResult[] = [];
  if (req.modes.includes('random')) out.push(...random(req));
  if (req.modes.includes('exhaustive')) out.push(...exhaustive(req));
  return out;
}
