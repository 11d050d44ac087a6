/**
 * Random-mode throughput on a design of the dma-buf model: steps/s and
 * executions/s, (1) of the executor alone (runScenario over pre-generated
 * scenarios and uniform schedules, so fast-check's generation is not counted),
 * with every catalog property's monitors and with none, and (2) of randomSearch
 * end to end (generation included) with every monitor and nothing failing.
 */
import fc from 'fast-check';
import type { Monitor } from '../checker/monitor.ts';
import { runScenario } from '../checker/run.ts';
import type { Scenario, System } from '../checker/scenario.ts';
import { ChoiceScheduler } from '../checker/schedule.ts';
import { choiceScheduleArbitrary, scenarioArbitrary } from '../checker/search/arbitraries.ts';
import { randomSearch } from '../checker/search/random.ts';
import type { ScenarioSpace, SpaceBounds } from '../checker/space.ts';
import { domainOf } from '../model/domains.ts';
import { findBuiltin } from '../model/variants/index.ts';
import { targetOf } from '../properties/target.ts';
import { median, round, timed } from './common.ts';

export interface RandomParams {
  readonly design: string;
  readonly bounds: readonly string[];
  readonly seconds: number;
  readonly reps: number;
}

/** Median over repetitions; per second of wall clock and of this process's CPU time. */
export interface Rate {
  readonly stepsPerSec: number;
  readonly stepsPerCpuSec: number;
  readonly execsPerSec: number;
  readonly execsPerCpuSec: number;
  readonly stepsPerExec: number;
  readonly reps: number;
}

export interface RandomResult {
  readonly design: string;
  readonly bounds: readonly string[];
  /** executor only, every catalog property's monitors */
  readonly executorAllMonitors: Rate;
  /** executor only, the system's own monitors (lockdep, primitives) and no property monitor */
  readonly executorNoPropertyMonitors: Rate;
  /** randomSearch end to end (fast-check generation included), every catalog monitor */
  readonly randomSearch: Rate;
}

export function loadDesign(name: string) {
  const design = findBuiltin(name);
  if (!design) throw new Error(`no design ${name}`);
  const domain = domainOf(design.domain);
  return targetOf({ design, domain, bounds: domain.defaultBounds, profile: null, focus: design.focus });
}

export function spaceOf(name: string, pairs: readonly string[], focus?: readonly string[]) {
  const { design, domain, system, catalog } = loadDesign(name);
  const { bounds } = domain.parseBounds(pairs);
  return { design, domain, system, catalog, space: domain.space(bounds, focus), sb: domain.searchBounds(bounds) };
}

interface Sample {
  steps: number;
  execs: number;
  wall: number;
  cpu: number;
}

function rate(samples: readonly Sample[]): Rate {
  return {
    stepsPerSec: round(median(samples.map((s) => s.steps / s.wall))),
    stepsPerCpuSec: round(median(samples.map((s) => s.steps / s.cpu))),
    execsPerSec: round(median(samples.map((s) => s.execs / s.wall))),
    execsPerCpuSec: round(median(samples.map((s) => s.execs / s.cpu))),
    stepsPerExec: round(
      samples.reduce((n, s) => n + s.steps, 0) /
        Math.max(
          1,
          samples.reduce((n, s) => n + s.execs, 0),
        ),
    ),
    reps: samples.length,
  };
}

/** Runs pre-generated (scenario, schedule) pairs round-robin for `seconds`, `reps` times (after one warm-up). */
export function executorRate(
  system: System,
  pool: readonly (readonly [Scenario, number[]])[],
  monitors: readonly Monitor[],
  seconds: number,
  reps: number,
): Rate {
  const once = (limit: number): Sample => {
    let steps = 0;
    let execs = 0;
    const t = timed(() => {
      const t0 = performance.now();
      let i = 0;
      while (performance.now() - t0 < limit * 1000) {
        // check the clock every 16 executions
        for (let k = 0; k < 16; k++) {
          const [scenario, choices] = pool[i++ % pool.length] as readonly [Scenario, number[]];
          const exec = runScenario(system, scenario, new ChoiceScheduler(choices), { monitors });
          steps += exec.stepCount;
          execs++;
        }
      }
    });
    return { steps, execs, wall: t.wall, cpu: t.cpu };
  };
  once(Math.min(1, seconds));
  const samples: Sample[] = [];
  for (let r = 0; r < reps; r++) samples.push(once(seconds));
  return rate(samples);
}

export function pool(space: ScenarioSpace, sb: SpaceBounds, n: number, seed: number): (readonly [Scenario, number[]])[] {
  return fc.sample(fc.tuple(scenarioArbitrary(space, sb), choiceScheduleArbitrary()), { numRuns: n, seed });
}

export function searchRate(
  system: System,
  space: ScenarioSpace,
  sb: SpaceBounds,
  monitors: () => Monitor[],
  seconds: number,
  reps: number,
): Rate {
  const once = (limit: number, seed: number): Sample => {
    const t = timed(() =>
      randomSearch(system, space, sb, {
        runs: 1e9,
        seed,
        monitors: monitors(),
        isFailure: () => false,
        timeLimitMs: limit * 1000,
        minimize: false,
      }),
    );
    return { steps: t.value.steps, execs: t.value.runs, wall: t.wall, cpu: t.cpu };
  };
  once(Math.min(1, seconds), 999);
  const samples: Sample[] = [];
  for (let r = 0; r < reps; r++) samples.push(once(seconds, r + 1));
  return rate(samples);
}

export function randomThroughput(p: RandomParams): RandomResult {
  const { system, catalog, space, sb } = spaceOf(p.design, p.bounds);
  const scenarios = pool(space, sb, 1000, 42);
  const all = catalog.flatMap((x) => x.monitors());
  return {
    design: p.design,
    bounds: p.bounds,
    executorAllMonitors: executorRate(system, scenarios, all, p.seconds, p.reps),
    executorNoPropertyMonitors: executorRate(system, scenarios, [], p.seconds, p.reps),
    randomSearch: searchRate(system, space, sb, () => catalog.flatMap((x) => x.monitors()), p.seconds, p.reps),
  };
}
