/**
 * Files are whole or absent (cli/atomic.ts): the failure paths, driven
 * deterministically by a file system layer that writes short or fails.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FsLayer, publishNew, realFs, WriteError, writeFileAtomic } from '../../cli/atomic.ts';
import { saveNew } from '../../cli/io.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'vfio-atomic-'));

/** The real file system, except that a write takes at most `chunk` bytes, and after `capacity` bytes in all fails with ENOSPC. */
function limitedFs(capacity: number, chunk = Number.POSITIVE_INFINITY): FsLayer & { calls: string[] } {
  let used = 0;
  const calls: string[] = [];
  return {
    ...realFs,
    calls,
    writeSync(fd, buffer, offset, length) {
      calls.push('write');
      const room = capacity - used;
      if (room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(length, room, chunk);
      used += n;
      return realFs.writeSync(fd, buffer, offset, n);
    },
    fsyncSync(fd) {
      calls.push('fsync');
      realFs.fsyncSync(fd);
    },
  };
}

const TEXT = `${JSON.stringify({ data: 'x'.repeat(10_000) })}\n`;

describe('saveNew (counterexamples)', () => {
  it('continues a short write until every byte is written, and fsyncs before publishing', () => {
    const d = dir();
    const fs = limitedFs(Number.POSITIVE_INFINITY, 4096);
    const path = saveNew(d, 'design.property', TEXT, fs);
    expect(readFileSync(path, 'utf8')).toBe(TEXT);
    expect(fs.calls.filter((c) => c === 'write').length).toBe(Math.ceil(Buffer.byteLength(TEXT) / 4096));
    expect(fs.calls).toContain('fsync');
    expect(readdirSync(d)).toEqual(['design.property.1.json']);
  });

  it('with 4 KB free leaves no file at all, not one cut at 4,096 bytes', () => {
    const d = dir();
    expect(() => saveNew(d, 'design.property', TEXT, limitedFs(4096))).toThrow(WriteError);
    expect(readdirSync(d)).toEqual([]);
  });

  it('on a full disk says why in words and leaves no empty file', () => {
    const d = dir();
    let err: unknown;
    try {
      saveNew(d, 'design.property', TEXT, limitedFs(0));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).reason).toBe('no space left on device (ENOSPC)');
    expect(readdirSync(d)).toEqual([]);
  });

  it('never overwrites: a taken name (EEXIST) moves on to the next number', () => {
    const d = dir();
    writeFileSync(join(d, 's.1.json'), 'mine\n');
    writeFileSync(join(d, 's.2.json'), 'mine too\n');
    expect(saveNew(d, 's', 'new\n')).toBe(join(d, 's.3.json'));
    expect(readFileSync(join(d, 's.1.json'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(d, 's.2.json'), 'utf8')).toBe('mine too\n');
    expect(readdirSync(d).sort()).toEqual(['s.1.json', 's.2.json', 's.3.json']);
  });

  it('where link() is refused, reserves the name exclusively and still never overwrites', () => {
    const d = dir();
    writeFileSync(join(d, 's.1.json'), 'mine\n');
    const noLink: FsLayer = {
      ...realFs,
      linkSync() {
        throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
      },
    };
    expect(publishNew(d, (n) => `s.${n}.json`, TEXT, noLink)).toBe(join(d, 's.2.json'));
    expect(readFileSync(join(d, 's.1.json'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(d, 's.2.json'), 'utf8')).toBe(TEXT);
    expect(readdirSync(d).sort()).toEqual(['s.1.json', 's.2.json']);
  });
});

describe('writeFileAtomic (matrix, docs, reports)', () => {
  it('replaces a file whole', () => {
    const d = dir();
    const p = join(d, 'matrix.md');
    writeFileSync(p, 'old\n');
    writeFileAtomic(p, TEXT, limitedFs(Number.POSITIVE_INFINITY, 1000));
    expect(readFileSync(p, 'utf8')).toBe(TEXT);
    expect(readdirSync(d)).toEqual(['matrix.md']);
  });

  it('on ENOSPC keeps the old contents and leaves no temporary file', () => {
    const d = dir();
    const p = join(d, 'matrix.md');
    writeFileSync(p, 'old\n');
    expect(() => writeFileAtomic(p, TEXT, limitedFs(4096))).toThrow(/matrix\.md: no space left on device \(ENOSPC\)/);
    expect(readFileSync(p, 'utf8')).toBe('old\n');
    expect(readdirSync(d)).toEqual(['matrix.md']);
  });

  it('a rename that fails (a directory in the way) leaves nothing behind', () => {
    const d = dir();
    mkdirSync(join(d, 'docs'));
    expect(() => writeFileAtomic(join(d, 'docs'), 'x')).toThrow(WriteError);
    expect(readdirSync(d)).toEqual(['docs']);
  });
});
