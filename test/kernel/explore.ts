import type { ExecOptions, Execution } from '../../checker/execution.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Violation } from '../../checker/point.ts';
import { runPath } from '../../checker/run.ts';
import type { Scenario, System } from '../../checker/scenario.ts';

/**
 * A tiny exhaustive enumerator for tests (the real search lives in
 * checker/search/): DFS over every interleaving, re-running each prefix with
 * runPath(). Fine for toy scenarios of a few dozen steps.
 */
export interface Found {
  readonly path: readonly number[];
  readonly violation: Violation;
}

export interface ExploreResult {
  /** complete executions (finished, stopped by a violation, or deadlocked) */
  readonly executions: number;
  readonly violations: readonly Found[];
}

export interface ExploreOptions {
  /** fresh monitors for each execution */
  readonly monitors?: () => Monitor[];
  readonly stopAtFirst?: boolean;
  readonly maxExecutions?: number;
}

export function explore(system: System, scenario: Scenario, opts: ExploreOptions = {}): ExploreResult {
  const violations: Found[] = [];
  let executions = 0;
  const max = opts.maxExecutions ?? 100_000;
  const stack: number[][] = [[]];
  while (stack.length > 0) {
    const prefix = stack.pop() as number[];
    const r = runPath(system, scenario, prefix, { monitors: opts.monitors?.() ?? [] });
    if (!r.ok) throw new Error(`replay failed: ${r.reason}`);
    const exec = r.exec;
    if (exec.isOver()) {
      executions++;
      if (exec.violation) {
        violations.push({ path: [...exec.path], violation: exec.violation });
        if (opts.stopAtFirst) break;
      }
      if (executions >= max) throw new Error(`more than ${max} executions`);
      continue;
    }
    const runnable = exec.runnable();
    for (let i = runnable.length - 1; i >= 0; i--) stack.push([...prefix, runnable[i] as number]);
  }
  return { executions, violations };
}

/**
 * Follows `prefix` (thread indices, one per step), then keeps running the
 * lowest-numbered runnable thread to the end.
 */
export function runPrefix(system: System, scenario: Scenario, prefix: readonly number[], options: ExecOptions = {}): Execution {
  const r = runPath(system, scenario, prefix, options);
  if (!r.ok) throw new Error(`replay failed: ${r.reason}`);
  const exec = r.exec;
  while (!exec.isOver()) {
    const runnable = exec.runnable();
    if (runnable.length === 0) {
      exec.stuck();
      break;
    }
    exec.step(runnable[0] as number);
  }
  return exec;
}

/** Kinds of the violations found, deduplicated and sorted. */
export function kinds(r: ExploreResult): string[] {
  return [...new Set(r.violations.map((v) => v.violation.kind))].sort();
}

/** Replays a path with full recording, for traces in failure messages. */
export function replay(system: System, scenario: Scenario, path: readonly number[], monitors: Monitor[] = []): Execution {
  const r = runPath(system, scenario, path, { record: 'full', monitors });
  return r.exec;
}

/** A readable trace: one line per step. */
export function traceText(exec: Execution): string {
  return exec.steps
    .map((s) => `${s.index} ${s.thread}: ${s.action}  [${s.stack.join(' > ')}]${s.context.length ? `  {${s.context.join(', ')}}` : ''}`)
    .join('\n');
}
