/** The --html flag: its path checked before any search, and the page written whole or not at all. */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic.ts';
import { UsageError } from '../errors.ts';
import { note, shown } from '../io.ts';

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

export function writePage(path: string, html: string): void {
  try {
    writeFileAtomic(path, html);
  } catch (e) {
    throw new UsageError(`--html ${path}: cannot write the page: ${(e as NodeJS.ErrnoException).code ?? 'failed'}`);
  }
  note(`wrote ${shown(path)}`);
}
