/**
 * Scripts an interleaving the way a reviewer describes one: "the importer runs
 * up to its READ_ONCE(priv->revoked), then the config write runs to the end".
 * Each call names a thread and where it should stop (before the step whose
 * action matches), so tests read like the interleavings in kernel-upstream.md.
 */
import { type ExecOptions, Execution } from '../../checker/execution.ts';
import type { Scenario, System } from '../../checker/scenario.ts';

export class Driver {
  readonly exec: Execution;
  constructor(system: System, scenario: Scenario, options: ExecOptions = {}) {
    this.exec = new Execution(system, scenario, { record: 'full', ...options });
  }

  private index(name: string): number {
    const i = this.exec.threadNames.indexOf(name);
    if (i < 0) throw new Error(`no thread ${name}`);
    return i;
  }

  /** Runs `name` until its next step's action matches `re` (that step not taken). */
  until(name: string, re: RegExp, limit = 500): this {
    const t = this.index(name);
    for (let i = 0; i < limit; i++) {
      if (this.exec.isOver()) throw new Error(`execution ended: ${this.exec.violation?.message}`);
      if (re.test(this.exec.nextAction(t))) return this;
      if (!this.exec.runnable().includes(t)) throw new Error(`${name} is blocked at ${this.exec.nextAction(t)} before reaching ${re}`);
      this.exec.step(t);
    }
    throw new Error(`${name} never reached ${re}`);
  }

  /** Takes exactly one step of `name`. */
  step(name: string): this {
    const t = this.index(name);
    if (!this.exec.runnable().includes(t)) throw new Error(`${name} cannot run: ${this.exec.nextAction(t)}`);
    this.exec.step(t);
    return this;
  }

  /** Runs `name` until it has finished every operation or blocks; returns whether it is blocked. */
  run(name: string, limit = 2000): this {
    const t = this.index(name);
    for (let i = 0; i < limit && !this.exec.isOver(); i++) {
      if (this.exec.nextAction(t) === '(done)' || !this.exec.runnable().includes(t)) return this;
      this.exec.step(t);
    }
    return this;
  }

  blocked(name: string): boolean {
    const t = this.index(name);
    return this.exec.nextAction(t) !== '(done)' && !this.exec.runnable().includes(t);
  }

  /** The values the thread's operations returned, in order. */
  results(name: string): readonly unknown[] {
    return this.exec.results(name);
  }

  /** Every action of a thread so far. */
  actions(name: string): string[] {
    return this.exec.steps.filter((s) => s.thread === name).map((s) => s.action);
  }
}
