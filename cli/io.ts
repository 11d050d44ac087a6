/** Output and files: stdout lines, the terminal width, and new files that never overwrite (written through atomic.ts). */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Args } from './args.ts';
import { type FsLayer, publishNew, realFs, WriteError, writeReason } from './atomic.ts';
import { UsageError } from './errors.ts';

export function out(text = ''): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function outLines(lines: readonly string[]): void {
  if (lines.length) out(lines.join('\n'));
}

export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** Notes for a person at a terminal (progress, hints): stderr, so stdout stays the report. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export const isTty = (): boolean => process.stdout.isTTY === true;

/** The narrowest --width: a step number, a guide and a kernel function name. */
export const MIN_WIDTH = 40;

/** Width to lay out the threads view and the page's lanes in: --width, else the terminal's, else 100 (a pasted trace, a CI log). */
export function width(args: Pick<Args, 'int'>, stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const asked = args.int('width', MIN_WIDTH, 1000);
  if (asked !== undefined) return asked;
  return stdout.isTTY && stdout.columns ? Math.max(MIN_WIDTH, stdout.columns) : 100;
}

/** Why a file system call failed, in a few words. */
function errnoText(e: unknown, fallback: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'read-only file system',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'name too long',
    EEXIST: 'something that is not a directory is in the way',
  };
  return (code && words[code]) || code || fallback;
}

/**
 * Why `path` cannot be read as an input file ("no such file", "it is a
 * directory", ...), or null when it is a regular file. Only a regular file is
 * read: a device (/dev/zero) never ends and a FIFO may never open, so either
 * would hang the command instead of failing it.
 */
export function notAFile(path: string): string | null {
  try {
    const st = statSync(path);
    return st.isFile() ? null : st.isDirectory() ? 'it is a directory' : 'it is not a regular file';
  } catch (e) {
    return errnoText(e, 'unreadable');
  }
}

/** Reads a file the user named; a missing, unreadable or special file is a UsageError. */
export function readInput(path: string, what: string): string {
  let why = notAFile(path);
  if (why === null)
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      why = errnoText(e, 'unreadable');
    }
  throw new UsageError(`cannot read ${what} ${path}: ${why}`);
}

/** A path as the user should see it: relative to the working directory when that is shorter. */
export function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r && !r.startsWith('..') && r.length < path.length ? r : path;
}

/** An output directory the user named: it may not exist yet, but must not be a file. */
export function checkOutDir(dir: string): string {
  let isDir = true;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return dir;
  }
  if (!isDir) throw new UsageError(`--out ${dir} is a file, not a directory`);
  return dir;
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && !existsSync(path);
  } catch {
    return false;
  }
}

/**
 * mkdir -p, one level at a time, noting each directory made in `made`:
 * Node's own recursive mkdirSync never returns when the kernel answers ENOENT
 * for a directory it will not create (/proc/x).
 */
function makeDirs(dir: string, made: string[] = []): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    mkdirSync(d);
    made.push(d);
  }
}

/** Removes these directories, innermost first, where they are still empty. */
function removeEmpty(dirs: readonly string[]): void {
  for (const d of dirs)
    try {
      rmdirSync(d);
    } catch {
      return; // something was saved there meanwhile: it and its parents stay
    }
}

/**
 * Makes sure the output directory can be written, before a search that can
 * run for minutes finds only at its end that its result cannot be saved.
 * Whatever it has to create to find out, it removes again: a run that saves
 * nothing leaves nothing behind. Call it once every other input has been
 * checked.
 */
export function probeOutDir(dir: string): string {
  checkOutDir(dir);
  if (isDanglingLink(dir)) throw new UsageError(`--out ${dir} is a symbolic link to nothing`);
  const made: string[] = [];
  try {
    makeDirs(dir, made);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(`--out ${dir}: cannot create or write the directory: ${errnoText(e, 'failed')}`);
  } finally {
    removeEmpty(made.reverse());
  }
  return dir;
}

/**
 * Saves `text` as `dir/<stem>.<n>.json` for the first n from 1 whose file does
 * not exist yet, whole or not at all and never overwriting anything (see
 * atomic.ts); returns its path. Any failure, from making the directory to
 * publishing the file, is a WriteError that leaves nothing behind.
 */
export function saveNew(dir: string, stem: string, text: string, fs: FsLayer = realFs): string {
  const made: string[] = [];
  try {
    makeDirs(dir, made);
  } catch (e) {
    removeEmpty(made.reverse());
    throw new WriteError(dir, `cannot create the directory: ${writeReason(e)}`);
  }
  try {
    return publishNew(dir, (n) => `${stem}.${n}.json`, text, fs);
  } catch (e) {
    removeEmpty(made.reverse());
    throw new WriteError(join(dir, `${stem}.<n>.json`), writeReason(e));
  }
}

/** File-name-safe form of a design or property name. */
export function fileStem(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
}

/** "1,234" */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1.2s", "2m03s" */
export function dur(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/** A left-aligned text table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(w[i] as number) : c.padEnd(w[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
