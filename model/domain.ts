/**
 * A lifecycle the tool models (the VFIO dma-buf one, the SVA/PASID bind one):
 * how a design of it becomes an engine System, and which scenarios its bounds
 * allow. The CLI and the property suites work through this, never through a
 * particular model.
 */
import type { Scenario, System } from '../checker/scenario.ts';
import type { Signatures } from '../checker/signature.ts';
import type { CommandSpec, ScenarioSpace, SpaceBounds } from '../checker/space.ts';
import type { Design } from './design.ts';

export type DomainName = 'dmabuf' | 'sva';

/** Commands a design adds (its added operations, model/added-commands.ts), by the role whose threads choose them. */
export type AddedCommands = Readonly<Record<string, readonly CommandSpec[]>>;

/** Bounds are named small integers (`--bound KEY=N`). */
export type BoundValues = Readonly<Record<string, number>>;

export interface Domain {
  readonly name: DomainName;
  readonly defaultBounds: BoundValues;
  /** one line per bound: what it counts */
  readonly boundHelp: Readonly<Record<string, string>>;
  /** the operations threads run, with their arguments, and which threads run which (`list ops`; checked when a file is loaded) */
  readonly signatures: Signatures;
  /** parses KEY=N pairs over the defaults; throws an Error whose message is one line naming what is wrong and what is valid */
  parseBounds(pairs: readonly string[]): { bounds: BoundValues; profile: string | null };
  /** the engine's System of a design; `watchedReturns`: the kernel functions whose returns monitors see as `return` events */
  system(design: Design<object>, watchedReturns: ReadonlySet<string>): System;
  /**
   * scenarios within the bounds; `added`: commands a design adds, which join
   * the commands of their role when that role chooses commands (others run
   * fixed operations, so an operation added to them runs only from scenario
   * files); `focus` restricts the primary actor's commands, added ones
   * included (none: all)
   */
  space(bounds: BoundValues, focus?: readonly string[], added?: AddedCommands): ScenarioSpace;
  searchBounds(bounds: BoundValues): SpaceBounds;
  /** a named fixed set of scenarios (`--bound profile=NAME`), for benchmarks and side-by-side runs */
  profile?(name: string): Scenario[];
  /**
   * Functions that touch a lock without blocking on it, by the name model code
   * calls them by, with the lock types each may reach (the kernel's trylocks and
   * is-locked reads, and the domain's free of memory with locks embedded in it):
   * the static analysis of `check --reduce` (checker/reduce/touchers.ts). Absent:
   * no lock type is proven free of them, and --reduce reduces nothing.
   */
  readonly lockTouchers?: Readonly<Record<string, readonly string[]>>;
}
