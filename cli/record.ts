/** Saving a found counterexample of a loaded design as a replayable file (properties/counterexample.ts records and makes it). */

import { relative } from 'node:path';
import type { CounterexampleFile } from '../checker/counterexample.ts';
import type { Execution } from '../checker/execution.ts';
import type { LoadedDesign } from '../loader/load.ts';
import { designDigest } from '../model/design-digest.ts';
import { counterexampleOf, type FoundBy } from '../properties/counterexample.ts';
import { WriteError } from './atomic.ts';
import { fileStem, saveNew, shown } from './io.ts';

/** A counterexample file of the loaded design: its module, if any, named relative to the working directory. */
export function savedCounterexample(loaded: LoadedDesign, property: string, found: FoundBy, exec: Execution): CounterexampleFile {
  const design = {
    name: loaded.design.name,
    // relative, so the file and its module can move together; replay loads it only when named with --variant
    ...(loaded.path ? { path: relative(process.cwd(), loaded.path), sha256: loaded.sha256 } : {}),
    digest: designDigest(loaded.design),
  };
  return counterexampleOf(design, property, found, exec);
}

/** Saves a counterexample as `<dir>/<variant>.<property>.<n>.json` (a new file); returns its path. */
export function saveCounterexample(dir: string, cx: CounterexampleFile): string {
  return saveNew(dir, `${fileStem(cx.design.name)}.${fileStem(cx.property)}`, `${JSON.stringify(cx, null, 2)}\n`);
}

/** A counterexample saved (its path, as shown to the user), or why it was not (`notSaved`, one line). */
export type SaveOutcome = { readonly path: string; readonly notSaved: null } | { readonly path: null; readonly notSaved: string };

/**
 * Saves a counterexample, or says why it could not: a full disk or a
 * read-only directory must not lose the trace the search found, so the caller
 * still prints it, with `not saved: <reason>`, and exits as the search decided.
 */
export function trySaveCounterexample(dir: string, cx: CounterexampleFile): SaveOutcome {
  try {
    return { path: shown(saveCounterexample(dir, cx)), notSaved: null };
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    return { path: null, notSaved: `${shown(e.path)}: ${e.reason}` };
  }
}
