/**
 * A full disk, for real: a tiny tmpfs (root only; skipped with the reason
 * otherwise, CI runs as root). A counterexample that cannot be saved must
 * leave no cut or empty file, and its trace must still be printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

const mounts: string[] = [];

/** A tmpfs of `kb` KiB, or why there cannot be one here. */
function tinyTmpfs(kb: number): { dir: string } | { why: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vfio-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmdirSync(dir);
    return { why: `cannot mount a tmpfs (${String((e as { stderr?: Buffer }).stderr ?? e).trim() || 'not root'})` };
  }
  mounts.push(dir);
  return { dir };
}

afterAll(() => {
  for (const d of mounts)
    try {
      execFileSync('umount', [d], { stdio: 'pipe' });
      rmdirSync(d);
    } catch {
      // left for the system's tmp cleaning
    }
});

// jgg-2022-v2 violates three properties in about 2 s: three counterexamples of about 2 KB each
const CHECK = ['check', '--variant', 'jgg-2022-v2', '--mode', 'exhaustive'];

describe('check on a full disk', () => {
  it('saves nothing, prints every trace with "not saved: <reason>", exits 1', async (ctx) => {
    const fs = tinyTmpfs(4);
    if ('why' in fs) return ctx.skip(fs.why);
    writeFileSync(join(fs.dir, 'fill'), Buffer.alloc(4096)); // the one page there is
    const r = await cli([...CHECK, '--out', join(fs.dir, 'runs')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    expect(readdirSync(fs.dir)).toEqual(['fill']);
    for (const p of ['no-mmio-access-while-unavailable', 'refcounts', 'error-contract']) expect(r.stdout).toContain(`=== ${p}: violated`);
    const notSaved = r.stdout.split('\n').filter((l) => l.startsWith('not saved: '));
    expect(notSaved).toHaveLength(3);
    for (const l of notSaved) expect(l).toMatch(/no space left on device \(ENOSPC\)$/);
    expect(r.stdout).not.toMatch(/^counterexample \(/m);
    expect(r.stdout).toMatch(/3 of 8 properties violated/);
  });

  it('with room for two files saves two whole ones and says the third was not saved', async (ctx) => {
    const fs = tinyTmpfs(8);
    if ('why' in fs) return ctx.skip(fs.why);
    const r = await cli([...CHECK, '--out', fs.dir]);
    expect(r.code, r.stderr).toBe(1);
    const files = readdirSync(fs.dir);
    expect(files).toHaveLength(2);
    for (const f of files) expect(JSON.parse(readFileSync(join(fs.dir, f), 'utf8')).format).toBe('vfio-dmabuf-model/counterexample');
    expect(r.stdout.split('\n').filter((l) => /^counterexample \(exhaustive\): /.test(l))).toHaveLength(2);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('not saved: '))).toHaveLength(1);
  });

  it('--json says which counterexample was not saved, on a full disk too', async (ctx) => {
    const fs = tinyTmpfs(4);
    if ('why' in fs) return ctx.skip(fs.why);
    mkdirSync(join(fs.dir, 'runs'));
    writeFileSync(join(fs.dir, 'fill'), Buffer.alloc(4096));
    const r = await cli([...CHECK, '--out', join(fs.dir, 'runs'), '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { verdict: string; counterexample: string | null; notSaved?: string }[] };
    const failed = report.results.filter((x) => x.verdict === 'fail');
    expect(failed).toHaveLength(3);
    for (const x of failed) {
      expect(x.counterexample).toBeNull();
      expect(x.notSaved).toMatch(/ENOSPC/);
    }
    expect(readdirSync(join(fs.dir, 'runs'))).toEqual([]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('not saved: '))).toHaveLength(3);
  });
});

describe('lockorder on a full disk', () => {
  it('prints the deadlock with "not saved: <reason>", saves nothing, exits 1', async (ctx) => {
    const fs = tinyTmpfs(4);
    if ('why' in fs) return ctx.skip(fs.why);
    writeFileSync(join(fs.dir, 'fill'), Buffer.alloc(4096));
    const r = await cli(['lockorder', '--variant', 'examples/variants/resv-before-memory-lock.ts', '--out', fs.dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('A real interleaving that deadlocks');
    expect(r.stdout).toMatch(/^not saved: the deadlock counterexample, .*lock-order\.<n>\.json: no space left on device \(ENOSPC\)$/m);
    expect(r.stdout).not.toMatch(/^counterexample: /m);
    expect(readdirSync(fs.dir)).toEqual(['fill']);
  });
});

describe('--html on a full disk', () => {
  it('check: no page and no temporary file left, the report printed anyway with "not saved: <reason>", exit 1 for the violation', async (ctx) => {
    const fs = tinyTmpfs(4);
    if ('why' in fs) return ctx.skip(fs.why);
    writeFileSync(join(fs.dir, 'fill'), Buffer.alloc(4096));
    const runs = mkdtempSync(join(tmpdir(), 'vfio-runs-'));
    const page = join(fs.dir, 'check.html');
    const r = await cli([
      'check',
      '--variant',
      'before-close-order',
      '--mode',
      'exhaustive',
      '--bound',
      'ops=1',
      '--out',
      runs,
      '--html',
      page,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('=== no-mmio-access-while-unavailable: violated');
    expect(r.stdout).toMatch(/1 of 8 properties violated/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`not saved: the page ${page}, no space left on device (ENOSPC)`);
    expect(readdirSync(fs.dir)).toEqual(['fill']);
  });

  it('lockorder, replay and matrix with nothing violated: the report, then "not saved", exit 2', async (ctx) => {
    const fs = tinyTmpfs(4);
    if ('why' in fs) return ctx.skip(fs.why);
    writeFileSync(join(fs.dir, 'fill'), Buffer.alloc(4096));
    const cases: [string[], RegExp][] = [
      [['lockorder', '--bound', 'ops=0', '--out', fs.dir], /Cycles: none\./],
      [
        ['replay', 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json', '--variant', 'upstream-7.1'],
        /NO LONGER REPRODUCES/,
      ],
      [['matrix', '--variant', 'before-close-order'], /^### before-close-order$/m],
    ];
    for (const [args, report] of cases) {
      const page = join(fs.dir, `${args[0]}.html`);
      const r = await cli([...args, '--html', page]);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toMatch(report);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`not saved: the page ${page}, no space left on device (ENOSPC)`);
    }
    expect(readdirSync(fs.dir)).toEqual(['fill']);
  }, 120_000);
});
