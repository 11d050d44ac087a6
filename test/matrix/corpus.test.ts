/**
 * The regression corpus: every committed counterexample replays to the same
 * violation and the identical trace, and each before-* design's counterexample
 * shows the kernel functions in the order its fix's commit message describes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from '../../cli/matrix-files.ts';
import { replayFile } from '../../properties/replay.ts';
import { committedRows } from './rows.ts';

describe('the corpus replays', () => {
  const files = corpusFiles('.');
  it('has a file for every failing cell of the matrix', () => {
    const cells = committedRows().flatMap((r) => Object.values(r.cells).flatMap((c) => (c.counterexample ? [c.counterexample] : [])));
    expect(files).toEqual([...cells].sort());
  });
  for (const f of files) {
    it(`${f} reproduces with the identical trace`, async () => {
      const { cx, result } = await replayFile(readFileSync(f, 'utf8'));
      expect(result.reason).toBeNull();
      expect(result.reproduced).toBe(true);
      expect(result.sameTrace).toBe(true);
      expect(result.exec?.violation?.message).toBe(cx.violation.message);
    });
  }
});

/** design -> [property its bug breaks, kernel functions in the order the fix describes] */
const HISTORY: Record<string, [string, string[]]> = {
  // c64a647c84f3: clear PCI_COMMAND_MEMORY (temporary revoke), then close: cleanup's second kref_put underflows
  'before-kref-underflow': [
    'refcounts',
    ['vfio_basic_config_write_command', 'vfio_pci_dma_buf_move', 'vfio_pci_core_close_device', 'vfio_pci_dma_buf_cleanup'],
  ],
  // v6 fix: un-revoke publishes revoked = false before kref_init, a racing map takes a kref at 0
  'before-attach-kref-reinit': ['refcounts', ['vfio_pci_dma_buf_move', 'vfio_pci_dma_buf_map', 'kref_get']],
  // the 1 s timeout: the revoke gives up waiting for the unmap and returns with the mapping alive
  'before-completion-timeout': ['no-mapping-survives-revoke', ['vfio_pci_dma_buf_move', 'wait_for_completion_timeout']],
  // a pinned importer without invalidate_mappings attaches; the revoke then waits forever for its unmap
  'before-pinned-importer': [
    'lock-order',
    ['vfio_pci_dma_buf_attach', 'importer_pin', 'importer_map', 'dma_resv_wait_timeout', 'wait_for_completion'],
  ],
  // e98137f0a874: dma_buf_fd fails, dma_buf_put's release frees priv, then err_free_priv frees it again
  'before-double-free': [
    'refcounts',
    ['vfio_pci_core_feature_dma_buf', 'export_install_fd', 'dma_buf_put', 'kfree', 'vfio_pci_dma_buf_release'],
  ],
  // d97708701434: close disables the function before cleaning up dma-bufs, an importer's DMA lands in between
  'before-close-order': [
    'no-mmio-access-while-unavailable',
    ['vfio_pci_core_close_device', 'vfio_pci_core_disable', 'importer_dma_access'],
  ],
  // the open_count guard: hot reset's undo loop reads the NULL vconfig of an unopened dev_set member
  'before-hot-reset-open-count': ['refcounts', ['vfio_pci_dev_set_hot_reset', 'hot_reset_may_unrevoke', '__vfio_pci_memory_enabled']],
};

function inOrder(all: readonly string[], want: readonly string[]): boolean {
  let i = 0;
  for (const f of all) if (f === want[i]) i++;
  return i === want.length;
}

describe('each bug is found before its fix, in the order its commit describes', () => {
  for (const [design, [property, functions]] of Object.entries(HISTORY)) {
    it(`${design} fails ${property}: ${functions.join(' → ')}`, () => {
      const row = committedRows().find((r) => r.design === design);
      const cell = row?.cells[property];
      expect(cell?.verdict).toBe('fail');
      expect(inOrder(cell?.functions ?? [], functions), (cell?.functions ?? []).join(' → ')).toBe(true);
      expect(Object.values(row?.upstreamAtBound ?? {}).every((v) => v !== 'fail')).toBe(true);
    });
  }
});
