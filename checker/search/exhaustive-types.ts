import type { ExecOptions } from '../execution.ts';
import type { Monitor } from '../monitor.ts';
import type { Violation } from '../point.ts';
import type { Scenario } from '../scenario.ts';
import type { SymmetryGroup } from '../symmetry.ts';
import type { Found } from './findings.ts';

// What an exhaustive search takes and gives, apart from the search itself: both searches (exhaustive.ts
// and dpor.ts, which exhaustive.ts calls) speak these, and importers keep reaching them through exhaustive.ts.

export interface ExhaustiveOptions {
  readonly monitors?: readonly Monitor[];
  /** only violations for which this is true count as counterexamples (others just end the execution) */
  readonly isFailure?: (v: Violation) => boolean;
  /**
   * longest execution, in steps (default 10,000): a longer one is a livelock
   * (a thread that never finishes), a violation that ends it
   */
  readonly maxDepth?: number;
  /** at most this many preemptions (switching away from a thread that could still run) */
  readonly preemptionBound?: number;
  /** partial-order reduction with sleep sets (default on) */
  readonly sleepSets?: boolean;
  /**
   * dynamic partial-order reduction (dpor.ts): explores far fewer states, and
   * still reaches every violation, deadlock and final state, but the
   * counterexample kept need not be the shortest. Not with a preemption bound.
   */
  readonly dpor?: boolean;
  /**
   * transaction reduction (reduce/transaction.ts, docs/engine.md): a thread
   * that has just taken a right mover runs on, and a left mover runs alone;
   * `unproven` holds the mover groups the design's static analysis did not
   * prove free of other touchers (reduce/touchers.ts), which get none. Reaches
   * every violation kind, deadlock and final world, with fewer states; the
   * counterexample kept need not be the shortest. Not with DPOR.
   */
  readonly reduce?: { readonly unproven: ReadonlySet<string> };
  /** state caching on fingerprints of the world, every thread's local state and the monitors' memory (default on) */
  readonly stateCache?: boolean;
  /** the cache also keeps each state's full key (Execution.stateKey): no fingerprint collision can hide a state */
  readonly exactKeys?: boolean;
  /**
   * symmetry reduction (symmetry.ts): each scenario's interchangeable threads;
   * a state is cached as the least of its keys renamed over their permutations.
   * Not with DPOR, transaction reduction or a share of the first steps.
   */
  readonly symmetry?: (scenario: Scenario) => readonly SymmetryGroup[];
  /**
   * How to go back to a branching point: `restore` (default when the monitors
   * allow it) undoes the world's changes and rebuilds only the threads that
   * moved, from their logs; `replay` re-runs the whole path from the start.
   * Both explore exactly the same states; `replay` is the slow reference.
   */
  readonly backtrack?: 'restore' | 'replay';
  /** only counterexamples shorter than this many steps are of interest */
  readonly shorterThan?: number;
  /**
   * a violation after which the rest of the search is pointless (a broken
   * design, say): the search stops at the first, incomplete
   */
  readonly endsSearch?: (v: Violation) => boolean;
  /** stop at the first counterexample instead of searching for the shortest */
  readonly firstOnly?: boolean;
  /**
   * keep counterexamples shortest (default on): a cached state met again at a
   * smaller depth, or as deep with fewer context switches, is explored again.
   * Off, a state is explored again only for threads asleep at every earlier
   * visit (the stateful sleep-set rule DPOR uses): every reachable state is
   * still visited, each far fewer times, and a counterexample is the first
   * found, not the shortest. For counts and verdicts, not for reports
   */
  readonly shortest?: boolean;
  /** keep the shortest counterexample of every violation kind and explore everything (no length pruning) */
  readonly collectAll?: boolean;
  /** give up (result marked incomplete) after this many milliseconds */
  readonly timeLimitMs?: number;
  /** give up (result marked incomplete, memoryCut) once the heap holds this many bytes; asked every 1,024 states */
  readonly maxMemoryBytes?: number;
  /** give up (result marked incomplete) once this returns true; asked every 1,024 states */
  readonly stop?: () => boolean;
  /**
   * explore only the first steps at positions p of the root's children with
   * p mod `of` = `index` (a shard of one scenario, shard-plan.ts);
   * the others' steps are still taken, for their footprints, so the children
   * explored sleep on them as in the whole search. Not with DPOR.
   */
  readonly rootShare?: { readonly index: number; readonly of: number };
  readonly execOptions?: Omit<ExecOptions, 'monitors' | 'trackLocals' | 'record'>;
}

/** What an exhaustive search covered, stated exactly. */
export interface Coverage {
  /** terminal executions: every thread done, deadlock, violation, or cut by a bound or the cache */
  executions: number;
  /** distinct global states (state cache entries), or 0 without the cache */
  states: number;
  /** steps taken while exploring (not counting replays to backtrack) */
  transitions: number;
  /** steps re-run to restore an earlier state (backtracking by replay) */
  replaySteps: number;
  /** returns to a saved branching point (backtracking by restore) */
  restores: number;
  prunedByCache: number;
  prunedBySleepSet: number;
  cutByPreemption: number;
  maxDepthSeen: number;
  /**
   * the probability that a fingerprint collision hid a state (TLC's optimistic
   * estimate, fingerprint.ts; over several scenarios, the sum); 0 with exact keys
   */
  collisionProbability: number;
  /** false when a bound, the time limit or the memory limit cut the search */
  complete: boolean;
  /** true when the memory limit (maxMemoryBytes) cut it */
  memoryCut: boolean;
  /**
   * true when the time limit, the memory limit or `stop` ended it before it was
   * done (a preemption bound cuts, but the search still ends): a scenario
   * stopped so is not one the search reached the end of
   */
  stopped: boolean;
  reductions: string[];
  millis: number;
}

export interface ExhaustiveResult {
  readonly found: Found | null;
  /** with collectAll: the shortest counterexample of each violation kind */
  readonly byKind: ReadonlyMap<string, Found>;
  readonly coverage: Coverage;
}
