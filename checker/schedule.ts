import type { Execution } from './execution.ts';

/**
 * Picks the next thread where more than one can run. `last` is the thread that
 * ran the previous step (-1 at the start).
 */
export interface Scheduler {
  choose(runnable: readonly number[], last: number, exec: Execution): number;
}

/**
 * Uniform-style schedule from a list of choices, one per decision point. Choice 0
 * keeps running the current thread; k > 0 switches to the k-th other runnable
 * thread (runnable threads with the one that ran last first: "keep going" is
 * always choice 0). Past the end of the list the current thread keeps running. So shrinking
 * the list (shorter, smaller numbers) means fewer context switches.
 */
export class ChoiceScheduler implements Scheduler {
  private decision = 0;
  constructor(private readonly choices: readonly number[]) {}
  choose(runnable: readonly number[], last: number): number {
    const k = this.choices[this.decision++] ?? 0;
    const i = k % runnable.length;
    if (!runnable.includes(last)) return runnable[i] as number;
    // the candidates are [last, ...the others in order] (no list is made: a random run decides at most every step)
    let j = i;
    for (const t of runnable) if (t !== last && --j === 0) return t;
    return last;
  }
}

/**
 * PCT-style priority schedule (Burckhardt et al., ASPLOS 2010): the runnable
 * thread with the highest priority runs; at each listed decision index the
 * running thread drops below every other thread. `priorities[i]` is thread i's
 * initial priority (higher runs first).
 */
export class PctScheduler implements Scheduler {
  private decision = 0;
  private readonly prio: number[];
  private low = 0;
  constructor(
    priorities: readonly number[],
    private readonly changeAt: readonly number[],
  ) {
    this.prio = [...priorities];
  }
  choose(runnable: readonly number[], last: number): number {
    const d = this.decision++;
    // Stryker disable next-line ConditionalExpression: before any step (last = -1) a drop lowers no thread; only the order of priorities counts
    if (last >= 0 && this.changeAt.includes(d)) this.prio[last] = --this.low;
    let best = runnable[0] as number;
    for (const t of runnable) if ((this.prio[t] ?? 0) > (this.prio[best] ?? 0)) best = t;
    return best;
  }
}

/** Deterministic default: keep running the current thread, else the lowest-numbered one. */
export const SEQUENTIAL: Scheduler = new ChoiceScheduler([]);

/** Number of context switches in a path of thread indices. */
export function contextSwitches(path: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < path.length; i++) if (path[i] !== path[i - 1]) n++;
  return n;
}
