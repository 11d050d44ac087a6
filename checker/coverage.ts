/**
 * Coverage, as TLC's -coverage: per model function, how often it was called,
 * in how many executions it ran, and in how many another thread ran between
 * its first and last step (its window was raced). A function that never ran
 * was not checked, whatever the verdict says.
 *
 * An execution's functions are kept per step (what the step entered, and
 * which open frames another thread's step had just interrupted), so that a
 * search that backtracks to a prefix keeps exactly that prefix's part: the
 * step at depth d drops what was recorded from d on.
 *
 * Operations (what a scenario's threads run) are counted too, under their own
 * key (operationKey), since an operation and a model function may share a name;
 * an operation's window is the whole operation.
 */

/** The key under which an operation is counted (no model function's name has a colon). */
export const operationKey = (op: string): string => `op:${op}`;

export interface FunctionCoverage {
  /** times it was entered, over every step the search ran */
  readonly calls: number;
  /** executions in which it ran */
  readonly executions: number;
  /** executions in which another thread took a step while it was between its first and last step */
  readonly raced: number;
}

/** One step's part of its execution (reused from execution to execution: a search takes millions of steps). */
interface StepMark {
  readonly entered: string[];
  raced: readonly string[];
}

const NONE: readonly string[] = [];

export class CoverageRecorder {
  private readonly calls = new Map<string, number>();
  private readonly reached = new Map<string, number>();
  private readonly racedIn = new Map<string, number>();
  private readonly steps: StepMark[] = [];
  /** steps of the current path */
  private depth = 0;
  private current: StepMark | null = null;
  /** executions ended */
  executions = 0;

  /**
   * A step at `depth` of the execution begins: `open` are the frames the
   * thread is inside (it is resuming them); `raced` when the step before it
   * was another thread's.
   */
  step(depth: number, open: readonly string[], raced: boolean): void {
    let s = this.steps[depth];
    if (s === undefined) {
      s = { entered: [], raced: NONE };
      this.steps[depth] = s;
    } else s.entered.length = 0;
    // open[0] is the operation the thread is running, the rest its function frames
    s.raced = raced && open.length > 0 ? [operationKey(open[0] as string), ...open.slice(1)] : NONE;
    this.depth = depth + 1;
    this.current = s;
  }

  /** A function is entered during the current step. */
  enter(fn: string): void {
    this.calls.set(fn, (this.calls.get(fn) ?? 0) + 1);
    this.current?.entered.push(fn);
  }

  /** An operation of the scenario starts during the current step. */
  operation(op: string): void {
    this.enter(operationKey(op));
  }

  /** The execution (the path of the steps recorded so far, up to `depth`) has ended. */
  end(depth: number): void {
    this.executions++;
    const reached = new Set<string>();
    const raced = new Set<string>();
    for (let d = 0; d < depth && d < this.depth; d++) {
      const s = this.steps[d] as StepMark;
      for (const f of s.entered) reached.add(f);
      for (const f of s.raced) raced.add(f);
    }
    for (const f of reached) this.reached.set(f, (this.reached.get(f) ?? 0) + 1);
    for (const f of raced) this.racedIn.set(f, (this.racedIn.get(f) ?? 0) + 1);
  }

  /** Every function seen, by name. */
  table(): Map<string, FunctionCoverage> {
    const out = new Map<string, FunctionCoverage>();
    for (const [f, calls] of this.calls) out.set(f, { calls, executions: this.reached.get(f) ?? 0, raced: this.racedIn.get(f) ?? 0 });
    return out;
  }
}
