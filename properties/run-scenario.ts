/**
 * `run`: a scenario file's steps one after the other, in file order, each
 * operation (with the task work it queues, as a syscall's return to user
 * space runs it) to completion before the next starts, as a selftest would
 * issue them. Every property's monitors watch; their violations are noted and
 * the run goes on, as in a search. A step whose operation blocks ends the run:
 * with nothing else running, nothing would wake it.
 */
import { Execution } from '../checker/execution.ts';
import type { Violation } from '../checker/point.ts';
import type { Value } from '../checker/value.ts';
import type { Design } from '../model/design.ts';
import type { Domain } from '../model/domain.ts';
import { propertiesOf } from './catalog.ts';
import type { LoadedScenario } from './scenario-file.ts';
import { systemOf } from './system.ts';

export interface StepOutcome {
  /** the step's index in the file */
  readonly step: number;
  readonly thread: string;
  /** "export_dmabuf(bar=0, as=buf1)" */
  readonly call: string;
  /** the operation's return value, or absent when it did not return (it blocked, or a violation ended the run) */
  readonly value?: Value;
  /** violations that happened during the step */
  readonly violations: readonly Violation[];
}

export interface RunOutcome {
  readonly steps: readonly StepOutcome[];
  /** every violation, in the order they happened (those at the end of the run, e.g. a leak at quiescence, last) */
  readonly violations: readonly Violation[];
  /** the step whose operation blocked, and what it waits for */
  readonly blocked: { readonly step: number; readonly thread: string; readonly at: string; readonly waitsFor: string | null } | null;
  /** the recorded execution, for a trace */
  readonly exec: Execution;
}

export function runLoaded(loaded: LoadedScenario, domain: Domain, design: Design<object>): RunOutcome {
  const catalog = propertiesOf(domain.name).filter((p) => !design.notApplicable[p.name]);
  const exec = new Execution(systemOf(domain, design), loaded.scenario, {
    record: 'full',
    monitors: catalog.flatMap((p) => p.monitors()),
    softMonitors: true,
  });
  const steps: StepOutcome[] = [];
  const violations: Violation[] = [];
  const take = (): Violation[] => {
    const got = [...exec.soft, ...(exec.violation && !violations.includes(exec.violation) ? [exec.violation] : [])];
    exec.soft = [];
    violations.push(...got);
    return got;
  };
  for (const [k, at] of loaded.at.entries()) {
    const name = loaded.scenario.threads[at.thread]?.name as string;
    const call = exec.nextAction(at.thread).replace(/^call /, '');
    const seen: Violation[] = [];
    const before = exec.results(name).length;
    let blocked: RunOutcome['blocked'] = null;
    while (!exec.isOver()) {
      const pos = exec.position(at.thread);
      if (pos.done || pos.op > at.op) break;
      if (!exec.runnable().includes(at.thread)) {
        blocked = { step: k, thread: name, at: exec.nextAction(at.thread), waitsFor: pos.waitsFor };
        break;
      }
      exec.step(at.thread);
      seen.push(...take());
    }
    const results = exec.results(name);
    steps.push({ step: k, thread: name, call, ...(results.length > before ? { value: results[before] as Value } : {}), violations: seen });
    if (blocked) return { steps, violations, blocked, exec };
    if (exec.violation) return { steps, violations, blocked: null, exec };
  }
  // every thread has run its steps: the end-of-run checks (quiescence) have run with the last step
  take();
  return { steps, violations, blocked: null, exec };
}
