/** Output and files: stdout lines, the terminal width, and new files that never overwrite. */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
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

/** Width to lay out columns in: the terminal's, or 132 when not a terminal. */
export function width(): number {
  return process.stdout.isTTY && process.stdout.columns ? Math.max(80, process.stdout.columns) : 132;
}

/** Reads a file the user named; a missing or unreadable file is a UsageError. */
export function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${what} ${path}: ${why}`);
  }
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

/**
 * Writes `text` to `dir/<stem>.<n>.json` for the first n from 1 whose file does
 * not exist yet, creating it exclusively (never overwriting anything); returns its path.
 */
export function saveNew(dir: string, stem: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n < 100_000; n++) {
    const path = join(dir, `${stem}.${n}.json`);
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return path;
  }
  throw new Error(`no free file name for ${stem} in ${dir}`);
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
