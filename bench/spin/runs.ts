/**
 * The jobs of the `spin` bench section (bench/child.ts runs each in its own
 * process): SPIN on one configuration, with and without its partial-order
 * reduction; the engine on the same configuration, unreduced (search.ts, the
 * count SPIN's -DNOREDUCE gives) and with its own searches (sleep sets, DPOR,
 * and sleep sets with symmetry over the writers: one scenario per writer
 * choice vector, see tight.ts; with symmetry, one per multiset of vectors).
 */
import { exploreScenarios } from '../../checker/search/space-search.ts';
import { maxRssBytes, mb, progress, round, timed } from '../common.ts';
import { type ConfigName, paramsOf, spinDefines } from './config.ts';
import { type PanRun, runPan } from './pan.ts';
import { spinLikeSearch } from './search.ts';
import { choiceScenarios, tightSymmetry, tightSystem } from './tight.ts';

/** How the engine searched. */
export type EngineMode = 'unreduced (as SPIN)' | 'engine, no reduction' | 'engine, sleep sets' | 'engine, DPOR' | 'engine, symmetry';
/**
 * What the section runs. Not 'engine, no reduction': without sleep sets the
 * engine's cache (shortest paths first, then fewest context switches) explores
 * a state again whenever it is met with fewer switches, and on T1 it spends
 * 1.3M transitions on 3,056 states in 15 s.
 */
export const ENGINE_MODES: readonly EngineMode[] = ['unreduced (as SPIN)', 'engine, sleep sets', 'engine, DPOR', 'engine, symmetry'];
/** The names `--spin-modes` takes, in ENGINE_MODES order. */
export const ENGINE_MODE_NAMES: Readonly<Record<string, EngineMode>> = {
  unreduced: 'unreduced (as SPIN)',
  sleep: 'engine, sleep sets',
  dpor: 'engine, DPOR',
  symmetry: 'engine, symmetry',
};

export interface EngineRun {
  readonly mode: EngineMode;
  readonly config: ConfigName;
  readonly complete: boolean;
  readonly states: number;
  readonly transitions: number;
  readonly cpuSeconds: number;
  readonly statesPerCpuSec: number;
  readonly peakRssMb: number;
  readonly scenarios: number;
}

export interface EngineParams {
  readonly config: ConfigName;
  readonly mode: EngineMode;
  readonly limitSec: number;
}

export function engineSpinRun(p: EngineParams): EngineRun {
  const params = paramsOf(p.config, { spinCounting: p.mode === 'unreduced (as SPIN)' });
  const { system, scenario } = tightSystem(params);
  let out: { complete: boolean; states: number; transitions: number; scenarios: number };
  const t = timed(() => {
    if (p.mode === 'unreduced (as SPIN)') {
      const t0 = Date.now();
      const r = spinLikeSearch(system, scenario, {
        onProgress: (s, tr) => progress(`${s} states, ${tr} transitions`),
        stop: () => Date.now() - t0 > p.limitSec * 1000,
      });
      out = { complete: r.complete, states: r.states, transitions: r.transitions, scenarios: 1 };
    } else {
      const symmetric = p.mode === 'engine, symmetry';
      const r = exploreScenarios(
        system,
        choiceScenarios(params, scenario, symmetric),
        {
          collectAll: true,
          // counts, as SPIN's depth-first search makes them: no state explored again for a shorter path
          shortest: false,
          sleepSets: p.mode !== 'engine, no reduction',
          dpor: p.mode === 'engine, DPOR',
          ...(symmetric ? { symmetry: tightSymmetry(params) } : {}),
          timeLimitMs: p.limitSec * 1000,
        },
        (done, total, c) => progress(`scenario ${done}/${total}: ${c.states} states`),
      );
      out = { complete: r.coverage.complete, states: r.coverage.states, transitions: r.coverage.transitions, scenarios: r.scenarios };
    }
    return out;
  });
  const r = t.value;
  return {
    mode: p.mode,
    config: p.config,
    ...r,
    cpuSeconds: round(t.cpu),
    statesPerCpuSec: round(r.states / t.cpu),
    peakRssMb: mb(maxRssBytes()),
  };
}

export interface PanParams {
  readonly config: ConfigName;
  readonly reduced: boolean;
}

export function panSpinRun(p: PanParams): PanRun & { readonly config: ConfigName } {
  return { config: p.config, ...runPan(spinDefines(paramsOf(p.config)), p.reduced) };
}
