/** `variant new` on the command line: it writes a new file only, and bad input is one line and exit 2. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const dir = tempDir();
const KREF = join(REPO, 'test', 'fixtures', 'patches', 'c64a647c84f3-kref-underflow.eml');

describe('variant new', () => {
  it('writes the module, says what it replaced, and the module checks', async () => {
    const output = join(dir, 'kref.ts');
    const r = await here(['variant', 'new', '--from-patch', KREF, '--output', output]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote ');
    expect(r.stdout).toContain('  replace vfio_pci_dma_buf_move: upstream-7.1');
    expect(r.stdout).toContain('  replace vfio_pci_dma_buf_cleanup: upstream-7.1');
    expect(readFileSync(output, 'utf8')).toContain("return defineVariant(designs['upstream-7.1'], {");
    const c = await here([
      'check',
      '--variant',
      output,
      '--property',
      'refcounts',
      '--mode',
      'exhaustive',
      '--focus',
      'close_device_fd',
      '--out',
      join(dir, 'runs'),
    ]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('refcounts');
  });

  it('--help names the action and its flags', async () => {
    const h = await here(['variant', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^usage: vfio-dmabuf-model variant new \[--from-patch FILE\.\.\.\] \[--base NAME\|PATH\] \[--output FILE\]/);
  });

  it('refuses an existing --output: exit 2, one line, the file untouched', async () => {
    const output = join(dir, 'mine.ts');
    writeFileSync(output, '// my edits\n');
    const line = expectUsageError(await here(['variant', 'new', '--from-patch', KREF, '--output', output]));
    expect(line).toContain('already exists');
    expect(readFileSync(output, 'utf8')).toBe('// my edits\n');
    expectUsageError(await here(['variant', 'new', '--output', output]));
    expect(readFileSync(output, 'utf8')).toBe('// my edits\n');
  });

  it('bad input: one line naming what is wrong, exit 2, no file written', async () => {
    const noDiff = join(dir, 'words.eml');
    writeFileSync(noDiff, 'Subject: [PATCH] words\n\nNo diff at all.\n');
    const cases: [string[], RegExp][] = [
      [
        ['variant', 'new', '--from-patch', join(dir, 'missing.patch'), '--output', join(dir, 'a.ts')],
        /cannot read patch .*missing\.patch: no such file/,
      ],
      [['variant', 'new', '--from-patch', noDiff, '--output', join(dir, 'b.ts')], /no patch in .*words\.eml: no diff/],
      [['variant', 'new', '--from-patch', dir, '--output', join(dir, 'c.ts')], /it is a directory/],
      [
        ['variant', 'new', '--from-patch', KREF, '--base', 'no-such-design', '--output', join(dir, 'd.ts')],
        /unknown variant "no-such-design"/,
      ],
      [['variant', 'new', '--from-patch', KREF], /missing --output FILE/],
      [['variant', 'new', '--from-patch', KREF, '--output', join(dir, 'no-dir', 'e.ts')], /its directory does not exist/],
      [['variant', 'old', '--output', join(dir, 'f.ts')], /unknown action "old" \(expected one of new\)/],
      [['variant', 'new', '--output', join(dir, 'bad name!.ts')], /the file name gives the design's name/],
    ];
    for (const [args, message] of cases) expect(expectUsageError(await here(args))).toMatch(message);
    for (const f of ['a', 'b', 'c', 'd', 'f']) expect(existsSync(join(dir, `${f}.ts`))).toBe(false);
  });
});
