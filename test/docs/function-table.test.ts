/**
 * docs/function-table.md is what `npx tsx cli/function-table.ts` writes from
 * the tables and the built-in designs: a table function added, moved or
 * newly replaced makes it stale, and every function says what C it models.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionTableMarkdown } from '../../cli/function-table.ts';
import { upstreamFunctions } from '../../model/dmabuf/upstream/index.ts';
import { functionRows } from '../../model/function-table.ts';
import { sva2018Functions } from '../../model/sva/table.ts';
import { REPO } from '../cli/helpers.ts';

const DOC = join(REPO, 'docs', 'function-table.md');
const REGENERATE = 'npx tsx cli/function-table.ts > docs/function-table.md';

describe('docs/function-table.md', () => {
  const rows = functionRows();

  it(`is current (regenerate: ${REGENERATE})`, () => {
    expect(readFileSync(DOC, 'utf8')).toBe(functionTableMarkdown(rows));
  });

  it('has every function of both tables once, each in a model module and a kernel file', () => {
    const names = (table: string) => rows.filter((r) => r.table === table).map((r) => r.name);
    for (const [table, fns] of [
      ['dmabuf', upstreamFunctions],
      ['sva', sva2018Functions],
    ] as const)
      expect(names(table).sort()).toEqual(Object.keys(fns).sort());
    expect(rows.filter((r) => r.module === '' || r.kernelFile === '').map((r) => r.name)).toEqual([]);
  });

  it('gives every dma-buf function its C prototype or, for a model helper, what it models', () => {
    expect(rows.filter((r) => r.table === 'dmabuf' && r.cFrom === 'none').map((r) => r.name)).toEqual([]);
    const move = rows.find((r) => r.name === 'vfio_pci_dma_buf_move');
    expect(move).toMatchObject({ cFrom: 'read', kernelFile: 'drivers/vfio/pci/vfio_pci_dmabuf.c' });
    expect(move?.replacedBy).toContain('before-kref-underflow');
    expect(rows.find((r) => r.name === 'export_install_fd')).toMatchObject({
      cFrom: 'helper',
      kernelFunction: 'vfio_pci_core_feature_dma_buf',
    });
  });

  it('goes stale when a design replaces one more function', () => {
    const changed = rows.map((r) => (r.name === 'fput' ? { ...r, replacedBy: [...r.replacedBy, 'new-design'] } : r));
    expect(functionTableMarkdown(changed)).not.toBe(readFileSync(DOC, 'utf8'));
  });

  it('--check says so with exit 0 when current', async () => {
    const code = await new Promise<number>((done) =>
      execFile(join(REPO, 'node_modules', '.bin', 'tsx'), [join(REPO, 'cli', 'function-table.ts'), '--check'], (e) =>
        done(e ? Number(e.code ?? 1) : 0),
      ),
    );
    expect(code).toBe(0);
  }, 60_000);
});
