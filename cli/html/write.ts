/** The --html flag: its path checked before any search, and the page written whole or not at all. */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { WriteError, writeFileAtomic } from '../atomic.ts';
import { EXIT, UsageError } from '../errors.ts';
import { note, out, shown } from '../io.ts';

export const HTML_FLAG = {
  name: 'html',
  value: 'FILE',
  help: 'also write the report as one self-contained HTML page (verdicts, thread lanes, lock graph; nothing loaded from elsewhere)',
} as const;

/** Fails with one line now, rather than after a long search, when FILE cannot be written. */
export function checkHtmlPath(path: string | undefined): string | null {
  if (path === undefined) return null;
  if (path === '') throw new UsageError('--html needs a file name');
  const dir = dirname(resolve(path));
  let why: string | null = null;
  try {
    if (!statSync(dir).isDirectory()) why = `${shown(dir)} is not a directory`;
  } catch {
    why = `no directory ${shown(dir)}`;
  }
  if (why === null)
    try {
      if (statSync(path).isDirectory()) why = 'it is a directory';
    } catch {
      // a new file: fine
    }
  if (why) throw new UsageError(`--html ${path}: cannot write the page: ${why}`);
  return path;
}

/**
 * Writes the page whole or not at all. A page that cannot be written (a full
 * disk) does not cost the report: it returns why, for `pageOutcome` to say
 * after the report, as a counterexample that cannot be saved is said.
 */
export function writePage(path: string, html: string): string | null {
  try {
    writeFileAtomic(path, html);
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    return `the page ${shown(path)}, ${e.reason}`;
  }
  note(`wrote ${shown(path)}`);
  return null;
}

/**
 * The exit status once the report is out: a page not saved is the last line
 * (on stderr when stdout is a machine format), and exits 2 unless a violation
 * was found, which still exits 1.
 */
export function pageOutcome(code: number, notSaved: string | null, stream: 'stdout' | 'stderr'): number {
  if (notSaved === null) return code;
  (stream === 'stdout' ? out : note)(`not saved: ${notSaved}`);
  return code === EXIT.violation ? code : EXIT.usage;
}
