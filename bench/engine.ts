/**
 * The engine benchmark of issue 2: steps/s and executions/s of random and
 * exhaustive search on the toy model of the engine tests (a counter, two
 * locks; the fixed version, so nothing fails and every run goes to the end).
 */
import { exploreSpace, type SpaceResult } from '../checker/search/space-search.ts';
import { lostUpdate, toySpace, toySystem } from '../test/checker/toy-system.ts';
import { median, round, type Timed, timed } from './common.ts';
import { executorRate, pool, type Rate, searchRate } from './random.ts';

export interface EngineParams {
  readonly seconds: number;
  readonly reps: number;
  readonly threads: number;
  readonly opsPerThread: number;
}

export interface EngineResult {
  readonly model: string;
  readonly bounds: { readonly threads: number; readonly opsPerThread: number };
  readonly randomExecutor: Rate;
  readonly randomSearch: Rate;
  readonly exhaustive: {
    readonly reps: number;
    readonly scenarios: number;
    readonly states: number;
    readonly executions: number;
    readonly transitions: number;
    readonly replaySteps: number;
    readonly seconds: number;
    readonly statesPerSec: number;
    readonly executionsPerSec: number;
    readonly executionsPerCpuSec: number;
    /** transitions + replay steps per second: every step the executor ran */
    readonly stepsPerSec: number;
    readonly stepsPerCpuSec: number;
    readonly transitionsPerCpuSec: number;
  };
}

export function engineRun(p: EngineParams): EngineResult {
  const system = toySystem(false);
  const bounds = { threads: p.threads, opsPerThread: p.opsPerThread };
  const runs: Timed<SpaceResult>[] = [];
  // warm-up, then repetitions
  exploreSpace(system, toySpace, bounds, { monitors: [lostUpdate] });
  for (let r = 0; r < p.reps; r++) runs.push(timed(() => exploreSpace(system, toySpace, bounds, { monitors: [lostUpdate] })));
  const c = (runs[0] as Timed<SpaceResult>).value.coverage;
  const per = (f: (x: Timed<SpaceResult>) => number) => round(median(runs.map(f)));
  return {
    model: 'toy (test/checker/toy-system.ts, fixed): incr / lock_ab / lock_ba workers, lost-update monitor',
    bounds,
    randomExecutor: executorRate(system, pool(toySpace, bounds, 1000, 42), [lostUpdate], p.seconds, p.reps),
    randomSearch: searchRate(system, toySpace, bounds, () => [lostUpdate], p.seconds, p.reps),
    exhaustive: {
      reps: runs.length,
      scenarios: (runs[0] as Timed<SpaceResult>).value.scenarios,
      states: c.states,
      executions: c.executions,
      transitions: c.transitions,
      replaySteps: c.replaySteps,
      seconds: per((x) => x.wall),
      statesPerSec: per((x) => c.states / x.wall),
      executionsPerSec: per((x) => c.executions / x.wall),
      executionsPerCpuSec: per((x) => c.executions / x.cpu),
      stepsPerSec: per((x) => (c.transitions + c.replaySteps) / x.wall),
      stepsPerCpuSec: per((x) => (c.transitions + c.replaySteps) / x.cpu),
      transitionsPerCpuSec: per((x) => c.transitions / x.cpu),
    },
  };
}
