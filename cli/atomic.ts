/**
 * Files that are whole or absent. Every file the tool writes is first written
 * to a temporary file beside it, checked (every byte written), fsynced, and
 * only then published under its name: renamed over it, or, for a new file
 * that must never replace another (a counterexample), hard-linked, which fails
 * with EEXIST instead of overwriting. A reader, a crash or a full disk can
 * therefore never see a cut file under the published name.
 */

import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The file system calls used here; tests pass one that fails on purpose. */
export interface FsLayer {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, path: string): void;
  unlinkSync(path: string): void;
}

export const realFs: FsLayer = {
  openSync: (p, f, m) => nodeFs.openSync(p, f, m),
  writeSync: (fd, b, o, l) => nodeFs.writeSync(fd, b, o, l),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  closeSync: (fd) => nodeFs.closeSync(fd),
  renameSync: (a, b) => nodeFs.renameSync(a, b),
  linkSync: (a, b) => nodeFs.linkSync(a, b),
  unlinkSync: (p) => nodeFs.unlinkSync(p),
};

/** A file that was not written, with the reason in a few words (`no space left on device (ENOSPC)`). */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
};

/** Why a write failed, in words and with its errno name when it has one. */
export function writeReason(e: unknown): string {
  if (e instanceof WriteError) return e.reason;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code) return WORDS[code] ? `${WORDS[code]} (${code})` : code;
  return e instanceof Error ? e.message : String(e);
}

/** Calls `f`, ignoring any error: for clean-up that must not hide the error being reported. */
function quietly(f: () => void): void {
  try {
    f();
  } catch {
    // the first error is the one to report
  }
}

/**
 * Writes `data` to a new temporary file in `dir` and fsyncs it; returns its
 * path. Short writes are continued until every byte is written; a write that
 * makes no progress, or any error, removes the temporary file and throws.
 */
function writeTemp(dir: string, name: string, data: string, fs: FsLayer): string {
  const bytes = Buffer.from(data, 'utf8');
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o666);
  try {
    let done = 0;
    while (done < bytes.length) {
      const n = fs.writeSync(fd, bytes, done, bytes.length - done);
      if (!(n > 0)) throw new WriteError(tmp, `only ${done} of ${bytes.length} bytes written`);
      done += n;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch (e) {
    quietly(() => fs.closeSync(fd));
    quietly(() => fs.unlinkSync(tmp));
    throw e;
  }
  return tmp;
}

/** Makes a rename or link in `dir` durable; a file system that cannot fsync a directory loses nothing by skipping it. */
function syncDir(dir: string, fs: FsLayer): void {
  quietly(() => {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * Writes `data` to `path` whole or not at all: through a temporary file in the
 * same directory, renamed over `path` once every byte is on disk. On any
 * error `path` is as it was (absent, or its old contents) and a WriteError
 * says why.
 */
export function writeFileAtomic(path: string, data: string, fs: FsLayer = realFs): void {
  const dir = dirname(path);
  let tmp: string | null = null;
  try {
    tmp = writeTemp(dir, basename(path), data, fs);
    fs.renameSync(tmp, path);
    tmp = null;
    syncDir(dir, fs);
  } catch (e) {
    if (tmp !== null) {
      const t = tmp;
      quietly(() => fs.unlinkSync(t));
    }
    throw new WriteError(path, writeReason(e));
  }
}

/** link() is refused by some file systems (FAT, some FUSE and network ones): they get the fallback below. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Publishes `data` as a new file in `dir` named `nameOf(n)` for the first n
 * from 1 whose name is free, never replacing an existing file; returns its
 * path. The data goes to a temporary file first, then is hard-linked under
 * the new name (EEXIST: that name is taken, try the next n), then the
 * temporary name is removed. Where link() is not supported, the name is
 * reserved by creating it exclusively and the whole temporary file renamed
 * over that (empty, own) reservation. On any error nothing is left behind
 * and a WriteError says why.
 */
export function publishNew(dir: string, nameOf: (n: number) => string, data: string, fs: FsLayer = realFs, maxN = 100_000): string {
  let tmp: string | null = null;
  try {
    tmp = writeTemp(dir, nameOf(0), data, fs);
    for (let n = 1; n <= maxN; n++) {
      const path = join(dir, nameOf(n));
      if (claim(tmp, path, fs)) {
        const t = tmp;
        tmp = null;
        quietly(() => fs.unlinkSync(t));
        syncDir(dir, fs);
        return path;
      }
    }
    throw new WriteError(join(dir, nameOf(maxN)), `no free file name (1 to ${maxN} are taken)`);
  } catch (e) {
    if (tmp !== null) {
      const t = tmp;
      quietly(() => fs.unlinkSync(t));
    }
    if (e instanceof WriteError) throw e;
    throw new WriteError(join(dir, nameOf(1)), writeReason(e));
  }
}

/** Puts the temporary file under `path` if that name is free: true if it did, false if the name is taken. */
function claim(tmp: string, path: string, fs: FsLayer): boolean {
  try {
    fs.linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_LINK.has(code)) throw e;
  }
  let fd: number;
  try {
    fd = fs.openSync(path, 'wx', 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, path);
  } catch (e) {
    quietly(() => fs.unlinkSync(path));
    throw e;
  }
  return true;
}
