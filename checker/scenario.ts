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
}
