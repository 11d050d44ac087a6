/**
 * Exhaustive search of a design's bounded space, configured as `check` and the
 * matrix run it (every catalog property's monitors, the shortest counterexample
 * of every violation kind, no length pruning): distinct states, executions,
 * transitions, replay steps, time and peak memory. One run per child process,
 * so the peak is this run's own.
 */
import { exploreScenario } from '../checker/search/exhaustive.ts';
import { exploreSpace } from '../checker/search/space-search.ts';
import { exploreShards } from '../cli/shards.ts';
import { domainOf } from '../model/domains.ts';
import { checkScenarios } from '../properties/target.ts';
import { MemoryProbe, maxRssBytes, mb, progress, round, timed } from './common.ts';
import { spaceOf } from './random.ts';

export type Reduction = 'sleep sets' | 'DPOR';

export interface ExhaustiveParams {
  readonly design: string;
  readonly bounds: readonly string[];
  readonly focus?: readonly string[];
  readonly limitSec: number;
  /** dynamic partial-order reduction instead of sleep sets alone */
  readonly dpor?: boolean;
}

export interface ExhaustiveRun {
  readonly reduction: Reduction;
  readonly design: string;
  readonly bounds: readonly string[];
  readonly scenarios: number;
  readonly complete: boolean;
  readonly states: number;
  readonly executions: number;
  readonly transitions: number;
  readonly replaySteps: number;
  readonly prunedByCache: number;
  readonly prunedBySleepSet: number;
  readonly maxDepth: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly statesPerSec: number;
  readonly statesPerCpuSec: number;
  /** transitions + replay steps, per CPU second: the executor's raw speed in this mode */
  readonly stepsPerCpuSec: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  /**
   * (peak − once the design is loaded and its setup built) / distinct states,
   * of the heap plus ArrayBuffers (where the fingerprint table is)
   */
  readonly bytesPerState: number;
  readonly violationKinds: readonly string[];
}

export function exhaustiveRun(p: ExhaustiveParams): ExhaustiveRun {
  const { system, catalog, space, sb } = spaceOf(p.design, p.bounds, p.focus);
  const probe = new MemoryProbe(2048, (x) => progress(`${x.steps} steps, heap ${mb(x.peakHeap)} MB`));
  const monitors = [...catalog.flatMap((x) => x.monitors()), probe.monitor()];
  const atSetup = process.memoryUsage();
  const setupHeap = atSetup.heapUsed + atSetup.arrayBuffers;
  const t = timed(() =>
    exploreSpace(
      system,
      space,
      sb,
      { monitors, collectAll: true, dpor: p.dpor ?? false, timeLimitMs: p.limitSec * 1000 },
      (done, total, c) => progress(`scenario ${done}/${total}: ${c.states} states, ${c.executions} executions`),
    ),
  );
  probe.sample();
  const c = t.value.coverage;
  return {
    reduction: p.dpor ? 'DPOR' : 'sleep sets',
    design: p.design,
    bounds: p.bounds,
    scenarios: t.value.scenarios,
    complete: c.complete,
    states: c.states,
    executions: c.executions,
    transitions: c.transitions,
    replaySteps: c.replaySteps,
    prunedByCache: c.prunedByCache,
    prunedBySleepSet: c.prunedBySleepSet,
    maxDepth: c.maxDepthSeen,
    seconds: round(t.wall),
    cpuSeconds: round(t.cpu),
    statesPerSec: round(c.states / t.wall),
    statesPerCpuSec: round(c.states / t.cpu),
    stepsPerCpuSec: round((c.transitions + c.replaySteps) / t.cpu),
    peakRssMb: mb(Math.max(maxRssBytes(), probe.peakRss)),
    peakHeapMb: mb(probe.peakHeap),
    bytesPerState: round(Math.max(0, probe.peakHeapAndBuffers - setupHeap) / Math.max(1, c.states)),
    violationKinds: [...t.value.byKind.keys()].sort(),
  };
}

export interface ShardedParams {
  readonly design: string;
  readonly bounds: readonly string[];
  readonly jobs: number;
  readonly limitSec: number;
}

/** An exhaustive run's figures that mean something when the work is done in workers: wall-clock ones (`seconds` too). */
export type ShardedRun = { readonly jobs: number } & Pick<
  ExhaustiveRun,
  'design' | 'bounds' | 'scenarios' | 'complete' | 'states' | 'executions' | 'transitions' | 'seconds' | 'statesPerSec' | 'violationKinds'
>;

/**
 * The same search as exhaustiveRun with sleep sets, spread over worker
 * processes as `check --jobs N` runs it (properties/shards.ts). Only wall-clock
 * figures: the work is done in the workers.
 */
export async function shardedRun(p: ShardedParams): Promise<ShardedRun> {
  const { domain } = spaceOf(p.design, p.bounds);
  const { bounds } = domain.parseBounds(p.bounds);
  const scenarios = checkScenarios(domain, bounds, null, []);
  const t0 = performance.now();
  const r = await exploreShards(
    { design: p.design, bounds, profile: null, focus: [], dpor: false, timeLimitMs: p.limitSec * 1000 },
    scenarios,
    p.jobs,
    (done, total, c) => progress(`scenario ${done}/${total}: ${c.states} states`),
  );
  const wall = (performance.now() - t0) / 1000;
  const c = r.coverage;
  return {
    jobs: p.jobs,
    design: p.design,
    bounds: p.bounds,
    scenarios: scenarios.total,
    complete: c.complete,
    states: c.states,
    executions: c.executions,
    transitions: c.transitions,
    seconds: round(wall),
    statesPerSec: round(c.states / wall),
    violationKinds: [...r.byKind.keys()].sort(),
  };
}

export interface Reft4Params {
  readonly limitSec: number;
  readonly dpor?: boolean;
}

export interface Reft4Result {
  readonly reduction: Reduction;
  readonly scenarios: number;
  readonly scenariosComplete: number;
  readonly complete: boolean;
  readonly limitSec: number;
  readonly states: number;
  readonly executions: number;
  readonly transitions: number;
  readonly replaySteps: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly statesPerSec: number;
  readonly statesPerCpuSec: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly perScenario: readonly {
    states: number;
    executions: number;
    transitions: number;
    replaySteps: number;
    seconds: number;
    complete: boolean;
  }[];
  readonly violationKinds: readonly string[];
}

/**
 * The ref-t4 profile on upstream-7.1, as `check --bound profile=ref-t4 --mode
 * exhaustive` runs it: its 8 scenarios one after another, every catalog
 * monitor, under one overall time limit.
 */
export function reft4Run(p: Reft4Params): Reft4Result {
  const { system, catalog } = spaceOf('upstream-7.1', []);
  const scenarios = domainOf('dmabuf').profile?.('ref-t4') ?? [];
  const probe = new MemoryProbe(2048, (x) => progress(`${x.steps} steps, heap ${mb(x.peakHeap)} MB, rss ${mb(x.peakRss)} MB`));
  const monitors = [...catalog.flatMap((x) => x.monitors()), probe.monitor()];
  const perScenario: Reft4Result['perScenario'][number][] = [];
  const kinds = new Set<string>();
  const t0 = performance.now();
  const t = timed(() => {
    for (const [i, scenario] of scenarios.entries()) {
      const left = p.limitSec * 1000 - (performance.now() - t0);
      if (left <= 0) break;
      const r = exploreScenario(system, scenario, { monitors, collectAll: true, dpor: p.dpor ?? false, timeLimitMs: left });
      const c = r.coverage;
      for (const k of r.byKind.keys()) kinds.add(k);
      perScenario.push({
        states: c.states,
        executions: c.executions,
        transitions: c.transitions,
        replaySteps: c.replaySteps,
        seconds: round(c.millis / 1000),
        complete: c.complete,
      });
      progress(`scenario ${i + 1}/${scenarios.length}: ${c.states} states, complete ${c.complete}, ${round(c.millis / 1000)} s`);
      if (!c.complete) break;
    }
  });
  probe.sample();
  const sum = (f: (x: Reft4Result['perScenario'][number]) => number) => perScenario.reduce((n, x) => n + f(x), 0);
  const states = sum((x) => x.states);
  const done = perScenario.filter((x) => x.complete).length;
  return {
    reduction: p.dpor ? 'DPOR' : 'sleep sets',
    scenarios: scenarios.length,
    scenariosComplete: done,
    complete: done === scenarios.length,
    limitSec: p.limitSec,
    states,
    executions: sum((x) => x.executions),
    transitions: sum((x) => x.transitions),
    replaySteps: sum((x) => x.replaySteps),
    seconds: round(t.wall),
    cpuSeconds: round(t.cpu),
    statesPerSec: round(states / t.wall),
    statesPerCpuSec: round(states / t.cpu),
    peakRssMb: mb(Math.max(maxRssBytes(), probe.peakRss)),
    peakHeapMb: mb(probe.peakHeap),
    perScenario,
    violationKinds: [...kinds].sort(),
  };
}
