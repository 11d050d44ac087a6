import type { OpFn } from './context.ts';
import type { Monitor } from './monitor.ts';
import type { Args } from './value.ts';
import type { World } from './world.ts';

export type { OpCall, Scenario, ThreadSpec } from './scenario-data.ts';

/**
 * What the engine needs of a model: how to build the initial world and the
 * operations threads may call. The engine knows nothing else about it.
 */
export interface System {
  readonly name: string;
  setup(world: World, params: Args): void;
  readonly ops: Readonly<Record<string, OpFn>>;
  /** labels shown beside each step in traces, e.g. the locks the thread holds */
  stepContext?(world: World, thread: string): string[];
  /** monitors that belong to the system itself (e.g. its primitives' checks) */
  monitors?(): Monitor[];
  /**
   * Every thread's first operation is already under way when an execution
   * begins: its code has run to its first point, as a Promela process made by
   * init's `run` stands at its first statement. Those starts are the first
   * steps of every execution's path (one per thread, in thread order), taken
   * before any search branches, so no two states differ only in which threads
   * have started. For a system whose threads' starts touch nothing (a thread
   * whose start reads or writes the world needs the interleavings of it).
   */
  readonly startsRunning?: boolean;
}
