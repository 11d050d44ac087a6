/**
 * The cost of XState: compiled lifecycle transitions (`stepId`, and `step`
 * with its event keying, which is what World.send calls) against XState's
 * `transition()` on the same (state, event) stream, per machine. The stream is
 * recorded from random executions of the models themselves, so it has the
 * events, payloads and states the checker really sends.
 */
import fc from 'fast-check';
import { type AnyMachineSnapshot, type AnyStateMachine, type EventObject, transition } from 'xstate';
import type { CompiledLifecycle } from '../checker/lifecycle/index.ts';
import { runScenario } from '../checker/run.ts';
import { ChoiceScheduler } from '../checker/schedule.ts';
import { choiceScheduleArbitrary, scenarioArbitrary } from '../checker/search/arbitraries.ts';
import { lifecycles, machines } from '../model/dmabuf/machines/index.ts';
import { svaLifecycles, svaMachines } from '../model/sva/machines.ts';
import { median, round } from './common.ts';
import { spaceOf } from './random.ts';

export interface XstateParams {
  /** random executions recorded per (design, bound) */
  readonly executions: number;
  /** seconds per timed repetition */
  readonly seconds: number;
  readonly reps: number;
}

export interface MachineResult {
  readonly machine: string;
  /** recorded (state, event) pairs */
  readonly pairs: number;
  readonly distinctStates: number;
  readonly distinctEvents: number;
  readonly stepIdNs: number;
  readonly stepNs: number;
  readonly xstateNs: number;
  /** xstate transition() time / stepId time */
  readonly speedupStepId: number;
  /** xstate transition() time / step time */
  readonly speedupStep: number;
  /** pairs where the next state's value differs between XState and the table (must be 0) */
  readonly disagreements: number;
}

export interface XstateResult {
  readonly recordedFrom: readonly string[];
  readonly machines: readonly MachineResult[];
  readonly minSpeedupStepId: number;
  readonly minSpeedupStep: number;
}

type AnyCompiled = CompiledLifecycle<EventObject>;

interface Stream {
  readonly machine: AnyStateMachine;
  readonly compiled: AnyCompiled;
  readonly states: number[];
  readonly events: EventObject[];
}

const SOURCES: readonly { design: string; bounds: string[] }[] = [
  { design: 'upstream-7.1', bounds: [] },
  { design: 'upstream-7.1', bounds: ['fence=1', 'sync=0'] },
  { design: 'upstream-7.1', bounds: ['exports=1', 'mmappers=1', 'iommufd=1'] },
  { design: 'jgg-2022-v2', bounds: ['exports=1'] },
  { design: 'sva-2018-v2', bounds: [] },
];

/** Records every lifecycle step the models take while running random executions. */
function record(executions: number): Stream[] {
  const groups = [
    { defs: machines as unknown as Record<string, AnyStateMachine>, compiled: lifecycles as unknown as Record<string, AnyCompiled> },
    { defs: svaMachines as unknown as Record<string, AnyStateMachine>, compiled: svaLifecycles as unknown as Record<string, AnyCompiled> },
  ];
  const streams: Stream[] = [];
  const restore: (() => void)[] = [];
  for (const g of groups)
    for (const [name, c] of Object.entries(g.compiled)) {
      const machine = g.defs[name];
      if (!machine) continue;
      const s: Stream = { machine, compiled: c, states: [], events: [] };
      streams.push(s);
      const original = c.step;
      (c as { step: AnyCompiled['step'] }).step = function (this: AnyCompiled, state: number, event: EventObject) {
        s.states.push(state);
        s.events.push(structuredClone(event));
        return original.call(this, state, event);
      };
      restore.push(() => delete (c as { step?: unknown }).step);
    }
  try {
    for (const src of SOURCES) {
      const { system, catalog, space, sb } = spaceOf(src.design, src.bounds);
      const monitors = catalog.flatMap((p) => p.monitors());
      const runs = fc.sample(fc.tuple(scenarioArbitrary(space, sb), choiceScheduleArbitrary()), { numRuns: executions, seed: 7 });
      for (const [scenario, choices] of runs) runScenario(system, scenario, new ChoiceScheduler(choices), { monitors });
    }
  } finally {
    for (const r of restore) r();
  }
  return streams.filter((s) => s.states.length > 0);
}

/** ns per call of `body` over the stream, median of `reps` repetitions of about `seconds` each. */
function nsPerOp(n: number, seconds: number, reps: number, body: () => number): number {
  let sink = 0;
  // calibrate: passes per repetition
  const t0 = performance.now();
  sink += body();
  const one = Math.max(1e-3, performance.now() - t0);
  const passes = Math.max(1, Math.round((seconds * 1000) / one));
  for (let i = 0; i < Math.min(passes, 3); i++) sink += body();
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    for (let i = 0; i < passes; i++) sink += body();
    samples.push(((performance.now() - s) * 1e6) / (passes * n));
  }
  if (sink === 0.5) process.stderr.write('');
  return round(median(samples));
}

export function xstateRun(p: XstateParams): XstateResult {
  const streams = record(p.executions);
  const out: MachineResult[] = [];
  for (const s of streams) {
    const { compiled, machine, states, events } = s;
    const n = states.length;
    const ids = Int32Array.from(events, (e) => compiled.eventId(e));
    const st = Int32Array.from(states);
    const snaps: AnyMachineSnapshot[] = states.map((x) => compiled.snapshot(x));
    let disagreements = 0;
    for (let i = 0; i < n; i++) {
      const next = compiled.stepId(st[i] as number, ids[i] as number);
      const [after] = transition(machine, snaps[i] as AnyMachineSnapshot, events[i] as EventObject);
      const expected = next < 0 ? snaps[i] : compiled.snapshot(next);
      if (JSON.stringify(after.value) !== JSON.stringify(expected?.value)) disagreements++;
    }
    const stepIdNs = nsPerOp(n, p.seconds, p.reps, () => {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += compiled.stepId(st[i] as number, ids[i] as number);
      return acc;
    });
    const stepNs = nsPerOp(n, p.seconds, p.reps, () => {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += compiled.step(st[i] as number, events[i] as EventObject);
      return acc;
    });
    const xstateNs = nsPerOp(n, p.seconds, p.reps, () => {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += transition(machine, snaps[i] as AnyMachineSnapshot, events[i] as EventObject).length;
      return acc;
    });
    out.push({
      machine: compiled.name,
      pairs: n,
      distinctStates: new Set(states).size,
      distinctEvents: new Set(ids).size,
      stepIdNs,
      stepNs,
      xstateNs,
      speedupStepId: round(xstateNs / stepIdNs),
      speedupStep: round(xstateNs / stepNs),
      disagreements,
    });
  }
  return {
    recordedFrom: SOURCES.map((s) => `${s.design}${s.bounds.length ? ` ${s.bounds.join(',')}` : ''}`),
    machines: out,
    minSpeedupStepId: Math.min(...out.map((m) => m.speedupStepId)),
    minSpeedupStep: Math.min(...out.map((m) => m.speedupStep)),
  };
}
