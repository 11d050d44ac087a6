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
  /**
   * what the step entered, and the open frames it raced, as numbers (see
   * CoverageRecorder.number): the first `entries` and `races` of each (the
   * arrays are kept from execution to execution: cutting an array's length
   * is a call into the runtime)
   */
  readonly entered: number[];
  readonly raced: number[];
  entries: number;
  races: number;
}

export class CoverageRecorder {
  /**
   * Every name seen gets a number, and the counts are arrays by number: a
   * step enters a function or two, so a Map update per entry and two Sets
   * per execution were much of what coverage cost.
   */
  private readonly numbers = new Map<string, number>();
  /** the number of `op:NAME` by operation name, so that the key is made once */
  private readonly opNumbers = new Map<string, number>();
  private readonly fns: string[] = [];
  private readonly calls: number[] = [];
  private readonly reached: number[] = [];
  private readonly racedIn: number[] = [];
  /** the execution that last counted each number as reached, and as raced */
  private readonly reachedAt: number[] = [];
  private readonly racedAt: number[] = [];
  /** numbers in the order their functions were first entered (the table's order) */
  private readonly order: number[] = [];
  private readonly steps: StepMark[] = [];
  /** steps of the current path */
  private depth = 0;
  private current: StepMark | null = null;
  /** executions ended */
  executions = 0;

  private number(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.fns.length;
      this.fns.push(name);
      this.calls.push(0);
      this.reached.push(0);
      this.racedIn.push(0);
      this.reachedAt.push(-1);
      this.racedAt.push(-1);
      this.numbers.set(name, n);
    }
    return n;
  }

  private opNumber(op: string): number {
    let n = this.opNumbers.get(op);
    if (n === undefined) {
      n = this.number(operationKey(op));
      this.opNumbers.set(op, n);
    }
    return n;
  }

  /**
   * A step at `depth` of the execution begins: `open` are the frames the
   * thread is inside (it is resuming them); `raced` when the step before it
   * was another thread's.
   */
  step(depth: number, open: readonly string[], raced: boolean): void {
    let s = this.steps[depth];
    if (s === undefined) {
      s = { entered: [], raced: [], entries: 0, races: 0 };
      this.steps[depth] = s;
    } else {
      s.entries = 0;
      s.races = 0;
    }
    // open[0] is the operation the thread is running, the rest its function frames
    if (raced && open.length > 0) {
      s.raced[s.races++] = this.opNumber(open[0] as string);
      for (let i = 1; i < open.length; i++) s.raced[s.races++] = this.number(open[i] as string);
    }
    this.depth = depth + 1;
    this.current = s;
  }

  /** A function is entered during the current step. */
  enter(fn: string): void {
    this.entered(this.number(fn));
  }

  /** An operation of the scenario starts during the current step. */
  operation(op: string): void {
    this.entered(this.opNumber(op));
  }

  private entered(n: number): void {
    if (this.calls[n] === 0) this.order.push(n);
    this.calls[n] = (this.calls[n] as number) + 1;
    const s = this.current;
    if (s) s.entered[s.entries++] = n;
  }

  /** The execution (the path of the steps recorded so far, up to `depth`) has ended. */
  end(depth: number): void {
    const e = this.executions++;
    const { reached, racedIn, reachedAt, racedAt } = this;
    for (let d = 0; d < depth && d < this.depth; d++) {
      const s = this.steps[d] as StepMark;
      for (let i = 0; i < s.entries; i++) {
        const f = s.entered[i] as number;
        if (reachedAt[f] === e) continue;
        reachedAt[f] = e;
        reached[f] = (reached[f] as number) + 1;
      }
      for (let i = 0; i < s.races; i++) {
        const f = s.raced[i] as number;
        if (racedAt[f] === e) continue;
        racedAt[f] = e;
        racedIn[f] = (racedIn[f] as number) + 1;
      }
    }
  }

  /** Every function seen, by name. */
  table(): Map<string, FunctionCoverage> {
    const out = new Map<string, FunctionCoverage>();
    for (const n of this.order)
      out.set(this.fns[n] as string, {
        calls: this.calls[n] as number,
        executions: this.reached[n] as number,
        raced: this.racedIn[n] as number,
      });
    return out;
  }
}
