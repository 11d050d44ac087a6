/**
 * From "found" to "recorded trace" to "counterexample file", one path for
 * `check`, `lockorder` and the matrix corpus: the search's path is re-run with
 * full recording and the property's monitors, and the file says how it was
 * found in one shape (bounds as their stable JSON string, the corpus's shape),
 * so a saved file and a corpus file differ only in their version and digests.
 */
import {
  type CounterexampleDesign,
  type CounterexampleFile,
  type CounterexampleVersion,
  makeCounterexample,
} from '../checker/counterexample.ts';
import type { Execution } from '../checker/execution.ts';
import type { Monitor } from '../checker/monitor.ts';
import { runPath } from '../checker/run.ts';
import type { Scenario, System } from '../checker/scenario.ts';
import { stableStringify } from '../checker/value.ts';
import type { BoundValues } from '../model/domain.ts';

/**
 * Re-runs a path with full recording and the given monitors. The execution
 * stops where its violation happens (a monitor may report earlier than the
 * search did when it ran other monitors), so the recorded steps are exactly
 * the path that reaches it.
 */
export function record(system: System, scenario: Scenario, path: readonly number[], monitors: readonly Monitor[]): Execution {
  return runPath(system, scenario, path, { record: 'full', monitors }).exec;
}

/** How a counterexample was found: the search, and the bounds and focus it ran at. */
export interface FoundBy {
  readonly mode: string;
  /** a search other than the check's (`lockorder`) */
  readonly search?: string;
  readonly seed?: number;
  readonly runs?: number;
  readonly schedule?: string;
  readonly bounds: BoundValues;
  readonly profile?: string | null;
  readonly focus: readonly string[];
}

function foundRecord(f: FoundBy): CounterexampleFile['found'] {
  return {
    mode: f.mode,
    ...(f.search !== undefined ? { search: f.search } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
    ...(f.runs !== undefined ? { runs: f.runs } : {}),
    ...(f.schedule !== undefined ? { schedule: f.schedule } : {}),
    bounds: stableStringify(f.bounds),
    ...(f.profile ? { profile: f.profile } : {}),
    focus: f.focus.join(','),
  };
}

/** The file of a recorded execution that ended in a violation of `property`. */
export function counterexampleOf(
  design: CounterexampleDesign,
  property: string,
  found: FoundBy,
  exec: Execution,
  version?: CounterexampleVersion,
): CounterexampleFile {
  return makeCounterexample({ design, property, found: foundRecord(found), exec, ...(version !== undefined ? { version } : {}) });
}

/**
 * The bounds a file says it was found at: a JSON string in the corpus and
 * in files saved since, an object in files saved before; null when absent or
 * not bounds (the field is for the record, so replay does not need it).
 */
export function foundBounds(cx: CounterexampleFile): BoundValues | null {
  let v: unknown = cx.found.bounds;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  return Object.values(v).every((n) => typeof n === 'number') ? (v as BoundValues) : null;
}
