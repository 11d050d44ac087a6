import type { Args } from './value.ts';

// The scenario as data, apart from the System that runs it: a monitor sees the scenario, and the System
// names its monitors, so with both in scenario.ts monitor.ts and scenario.ts imported each other.

/** One operation call in a thread: the operation's name and named arguments. */
export interface OpCall {
  readonly op: string;
  readonly args: Args;
}

export interface ThreadSpec {
  readonly name: string;
  readonly ops: readonly OpCall[];
}

/**
 * A set of named threads, each running its operations in order, over an initial
 * world built by the model from `setup` (bounds, pre-existing objects).
 */
export interface Scenario {
  readonly threads: readonly ThreadSpec[];
  readonly setup?: Args;
}
