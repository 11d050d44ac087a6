import { type ExecOptions, Execution } from './execution.ts';
import type { Scenario, System } from './scenario.ts';
import type { Scheduler } from './schedule.ts';

/** Runs a scenario to its end under a scheduler. */
export function runScenario(system: System, scenario: Scenario, scheduler: Scheduler, options: ExecOptions = {}): Execution {
  const exec = new Execution(system, scenario, options);
  let last = -1;
  while (!exec.isOver()) {
    const runnable = exec.runnable();
    if (runnable.length === 0) {
      exec.stuck();
      break;
    }
    const t = runnable.length === 1 ? (runnable[0] as number) : scheduler.choose(runnable, last, exec);
    exec.step(t);
    last = t;
  }
  options.coverage?.end(exec.path.length);
  return exec;
}

/** Outcome of following a fixed path of thread indices. */
export type PathOutcome =
  | { readonly ok: true; readonly exec: Execution }
  | { readonly ok: false; readonly at: number; readonly reason: string; readonly exec: Execution };

/**
 * Replays an exact path of thread choices (one per step). Fails, rather than
 * guessing, as soon as the path names a thread that cannot run there.
 */
export function runPath(system: System, scenario: Scenario, path: readonly number[], options: ExecOptions = {}): PathOutcome {
  const exec = new Execution(system, scenario, options);
  for (let i = 0; i < path.length; i++) {
    if (exec.isOver()) return { ok: false, at: i, reason: `the execution ended after ${i} of ${path.length} steps`, exec };
    const t = path[i] as number;
    const runnable = exec.runnable();
    if (!runnable.includes(t)) {
      const name = exec.threadNames[t] ?? `#${t}`;
      return { ok: false, at: i, reason: `step ${i}: thread ${name} cannot run (${exec.nextAction(t)})`, exec };
    }
    exec.step(t);
  }
  if (!exec.isOver() && exec.runnable().length === 0) exec.stuck();
  return { ok: true, exec };
}

/**
 * Brings a search back to the end of `path` by re-running it from the start
 * (without footprints, which only the steps from there on need). A path that
 * does not replay means the model is not deterministic.
 */
export function replayTo(system: System, scenario: Scenario, path: readonly number[], options: ExecOptions): Execution {
  const out = runPath(system, scenario, path, { ...options, record: 'none' });
  if (!out.ok) throw new Error(`nondeterministic model: replay diverged (${out.reason})`);
  out.exec.soft = [];
  if (options.record && options.record !== 'none') out.exec.setRecord(options.record);
  return out.exec;
}
