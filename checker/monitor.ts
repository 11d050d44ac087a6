import type { ModelEvent, Violation } from './point.ts';
import type { Scenario } from './scenario-data.ts';
import type { World } from './world.ts';

/** Read-only view of a running execution, for monitors. */
export interface ExecView {
  readonly world: World;
  readonly scenario: Scenario;
  /** the thread running the current step */
  readonly thread: string;
  readonly stack: readonly string[];
  /** number of steps taken so far (the current one included) */
  readonly stepCount: number;
  /** thread index of every step so far: enough to replay this execution */
  readonly path: readonly number[];
  readonly threadNames: readonly string[];
  /** the return values of finished operations, per thread */
  results(thread: string): readonly unknown[];
  /** no thread is inside an operation: each is done or about to start its next one */
  betweenOperations(): boolean;
}

/** A thread that cannot run when the execution is stuck: where it is blocked. */
export interface BlockedThread {
  readonly thread: string;
  /** its call stack of function names, innermost last */
  readonly stack: readonly string[];
  /** the action of the point it is blocked at */
  readonly action: string;
}

/**
 * A check over executions. Per-event and per-step checks see the world as the
 * step left it; `atEnd` runs once every thread has finished (quiescence).
 * A monitor may keep memory across executions of a search (a lock-order graph does).
 */
export interface Monitor {
  readonly name: string;
  onEvent?(ev: ModelEvent, exec: ExecView): Violation | null;
  afterStep?(exec: ExecView): Violation | null;
  atEnd?(exec: ExecView): Violation | null;
  /**
   * Runs when no thread can run but some are not done, before the deadlock is
   * reported: a claim about a state nothing will ever leave (a revoke blocked
   * for good while a mapping is live).
   */
  atStuck?(exec: ExecView, blocked: readonly BlockedThread[]): Violation | null;
  /** called when an execution starts, to reset per-execution memory */
  reset?(): void;
  /**
   * Per-execution memory that changes what the monitor will report must be part
   * of the state key, or state caching would be unsound; return it here.
   */
  key?(): string;
  /**
   * A monitor with per-execution memory (one with `reset`) gives a copy of that
   * memory here, and takes it back in `load`, so that a search can return to an
   * earlier point of an execution without re-running it. Memory kept across
   * executions (a lock graph being accumulated) is not part of it. Without
   * these, the exhaustive search backtracks by replaying from the start.
   */
  save?(): unknown;
  load?(saved: unknown): void;
}
