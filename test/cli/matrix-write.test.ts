/**
 * `matrix --write` replaces files in the repository: a write that fails midway
 * (a full disk) must leave every file whole, old or new, and no corpus missing.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteError, writeFileAtomic } from '../../cli/atomic.ts';
import { writeMatrixFiles } from '../../cli/matrix-files.ts';
import type { MatrixResult, MatrixRow } from '../../properties/matrix.ts';

const row = { design: 'd1' } as MatrixRow;
const files = {
  markdown: '# matrix\n',
  result: {
    rows: [row],
    corpus: [
      { path: 'counterexamples/d1/refcounts.json', text: '{"new": 1}\n' },
      { path: 'counterexamples/d1/lock-order.json', text: '{"new": 2}\n' },
    ],
  } as MatrixResult,
};

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), 'vfio-matrix-'));
  mkdirSync(join(root, 'docs'));
  mkdirSync(join(root, 'counterexamples', 'd1'), { recursive: true });
  writeFileSync(join(root, 'counterexamples', 'd1', 'refcounts.json'), '{"old": 1}\n');
  writeFileSync(join(root, 'counterexamples', 'd1', 'stale.json'), '{"old": 3}\n');
  return root;
}

describe('writeMatrixFiles', () => {
  it('writes every file, then removes the corpus files it no longer has', () => {
    const root = repo();
    writeMatrixFiles(root, files, writeFileAtomic);
    expect(readdirSync(join(root, 'counterexamples', 'd1')).sort()).toEqual(['lock-order.json', 'refcounts.json']);
    expect(readFileSync(join(root, 'counterexamples', 'd1', 'refcounts.json'), 'utf8')).toBe('{"new": 1}\n');
    expect(JSON.parse(readFileSync(join(root, 'docs', 'matrix.json'), 'utf8'))).toEqual({ format: 1, rows: [row] });
  });

  it('a write that fails midway leaves the old corpus in place, each file whole', () => {
    const root = repo();
    let writes = 0;
    const fullAfterFour = (path: string, text: string) => {
      if (++writes > 4) throw new WriteError(path, 'no space left on device (ENOSPC)');
      writeFileAtomic(path, text);
    };
    expect(() => writeMatrixFiles(root, files, fullAfterFour)).toThrow(/lock-order\.json: no space left on device/);
    const d1 = join(root, 'counterexamples', 'd1');
    expect(readdirSync(d1).sort()).toEqual(['refcounts.json', 'stale.json']);
    expect(readFileSync(join(d1, 'refcounts.json'), 'utf8')).toBe('{"new": 1}\n');
    expect(readFileSync(join(d1, 'stale.json'), 'utf8')).toBe('{"old": 3}\n');
  });
});
