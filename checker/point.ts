import type { Value } from './value.ts';
import type { World } from './world.ts';

/**
 * A scheduling point: what a thread is about to do next. The executor may run
 * another thread instead; a thread whose point is not enabled is blocked.
 * When the thread is scheduled, `fire` runs atomically and its result is what
 * the thread's `yield` evaluates to; the thread then runs on, atomically, up to
 * its next point. Primitives (locks, waits, refcounts) are built from points.
 */
export interface Point {
  /** what happens, in the model's own terms, e.g. "lock(A)" */
  readonly action: string;
  /** objects the point's guard and effect touch; the search treats them as written */
  readonly locs?: readonly string[];
  /** the thread is blocked until every other thread has finished (a join, e.g. process exit) */
  readonly joinAll?: boolean;
  /** with joinAll: threads the join does not wait for (ones that are not part of what joins, and may wait for it) */
  readonly joinExcept?: readonly string[];
  /**
   * the thread is blocked while this is false; must only read `locs`, and
   * depend on nothing but the world and values fixed when the point was
   * yielded (a search keeps points across backtracking)
   */
  readonly enabled?: (w: World) => boolean;
  /** the point's own atomic effect */
  readonly fire?: (w: World) => Value | undefined;
  /** for deadlock reports: what the blocked thread waits for and who holds it */
  readonly waitsFor?: (w: World) => string;
  /** how the step may move past other threads' steps, for transaction reduction (reduce/transaction.ts) */
  readonly mover?: Mover;
}

/**
 * A point's claim for transaction reduction (Lipton): a blocking acquisition of
 * an exclusive lock moves right, its release moves left. The claim holds only
 * while nothing but the lock's own blocking acquisitions and releases touches
 * the lock: the search gives no reduction to a `group` the design's static
 * analysis did not prove free of other touchers (trylocks, racy is-locked
 * reads, frees of the memory the lock is in: reduce/touchers.ts), and checks
 * the rest itself (reduce/transaction.ts): the step touches nothing but `lock`
 * and `own`, and the thread holds the lock (after an acquisition, before a release).
 */
export interface Mover {
  readonly side: 'right' | 'left';
  /** the lock object taken or released */
  readonly lock: string;
  /** objects of the point's locs that no other thread's step reads or writes (the thread's own held-lock record) */
  readonly own: readonly string[];
  /** what the static analysis proves or not, e.g. the lock's type */
  readonly group: string;
  /** the running thread holds the lock exclusively in this world; reads only `lock` */
  readonly held: (w: World) => boolean;
}

/** An event a thread reports to monitors (lock acquired, MMIO accessed, ...). */
export interface ModelEvent {
  readonly type: string;
  readonly [key: string]: Value;
}

/** A broken claim: its kind (mapped to a catalog property by properties/), and what happened. */
export interface Violation {
  readonly kind: string;
  readonly message: string;
  /** the thread that was running, when there is one */
  readonly thread?: string;
  /** its call stack of function names, innermost last */
  readonly stack?: readonly string[];
  /** extra lines for reports (a lock-order report, a leak list, ...) */
  readonly report?: string;
}
