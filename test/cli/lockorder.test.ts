/** `lockorder`: the graph, a cycle in lockdep's format beside a real deadlock, a declared order, every format. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, expectUsageError, tempDir } from './helpers.ts';
import { here } from './here.ts';

const ABBA = 'examples/variants/resv-before-memory-lock.ts';
const ORDER = 'examples/lockorder/vfio-dmabuf.order';

describe('lockorder on a design with an inversion', () => {
  const out = tempDir();
  let r: CliResult;

  beforeAll(async () => {
    r = await here(['lockorder', '--variant', ABBA, '--design', ORDER, '--out', out]);
  }, 120_000);

  it('prints the edges with their shortest witness and the cycle as lockdep reports it', () => {
    expect(r.code, r.stderr).toBe(1);
    const o = r.stdout;
    expect(o).toContain('reservation_ww_class_mutex -> &vdev->memory_lock  [EN]');
    expect(o).toContain(
      '&vdev->memory_lock taken at vfio_pci_dma_buf_attach by sync0 in sync_attach > dma_buf_dynamic_attach > vfio_pci_dma_buf_attach > down_read',
    );
    expect(o).toMatch(/witness: step \d+ of \{primary0: config_write_command\(mem=false\)/);
    expect(o).toContain('Cycle 1 of 1 (lockdep-cycle): &vdev->memory_lock -> reservation_ww_class_mutex -> &vdev->memory_lock');
    expect(o).toContain('WARNING: possible circular locking dependency detected');
    expect(o).toContain('the existing dependency chain (in reverse order) is:');
    expect(o).toContain(' *** DEADLOCK ***');
  });

  it('shows a real interleaving that deadlocks, saved as a replayable counterexample', async () => {
    const o = r.stdout;
    expect(o).toMatch(/A real interleaving that deadlocks \(the shortest the search reached, \d+ steps\)/);
    expect(o).toMatch(/^step \| primary0 +\| sync0/m);
    expect(o).toContain('deadlock: no thread can run');
    const files = readdirSync(out);
    expect(files).toEqual(['user-resv-before-memory-lock.lock-order.1.json']);
    const file = join(out, files[0] as string);
    expect(o).toContain(`replay: vfio-dmabuf-model replay ${file} --variant examples/variants/resv-before-memory-lock.ts`);
    const again = await here(['replay', file, '--variant', 'examples/variants/resv-before-memory-lock.ts']);
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toMatch(/REPRODUCED: lockdep-cycle/);
  });

  it('checks the declared order: the inverted edge, and the declared edge never taken', () => {
    const o = r.stdout;
    expect(o).toContain(`Declared order ${ORDER}: 6 classes, 5 allowed edges.`);
    expect(o).toContain(
      'BROKEN reservation_ww_class_mutex -> &vdev->memory_lock: inverts the declared order &vdev->memory_lock -> reservation_ww_class_mutex',
    );
    expect(o).toMatch(/NEVER EXERCISED &mm->mmap_lock -> &vdev->memory_lock \(examples\/lockorder\/vfio-dmabuf\.order:\d+\)/);
  });
});

describe('lockorder on upstream-7.1 at a small bound', () => {
  it('text: no cycle, no deadlock, the declared order kept: exit 0', async () => {
    const out = join(tempDir(), 'runs');
    const r = await here(['lockorder', '--bound', 'ops=0', '--design', ORDER, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('&dev_set->lock -> &vdev->memory_lock  [EN]');
    expect(r.stdout).toContain('Cycles: none.');
    expect(r.stdout).toContain('Deadlocks: none reached within the bound.');
    expect(r.stdout).toContain('Every observed edge keeps the declared order.');
    expect(r.stdout).toContain('NEVER EXERCISED &vdev->memory_lock -> reservation_ww_class_mutex');
  });

  it('dot, mermaid, json and c', async () => {
    const [dot, mermaid, json, c] = await Promise.all(
      ['dot', 'mermaid', 'json', 'c'].map((f) => here(['lockorder', '--bound', 'ops=0', '--format', f])),
    );
    expect(dot?.code).toBe(0);
    expect(dot?.stdout).toMatch(/^digraph lockdep \{/);
    expect(dot?.stdout).toContain('"&dev_set->lock" -> "&vdev->memory_lock" [label="EN vfio_pci_dma_buf_cleanup"]');
    expect(dot?.stdout.trimEnd().endsWith('}')).toBe(true);
    expect(mermaid?.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid?.stdout).toMatch(/c\d -->\|"EN vfio_pci_dma_buf_cleanup"\| c\d/);
    const j = JSON.parse(json?.stdout ?? '');
    expect(j).toMatchObject({ variant: 'upstream-7.1', cycles: [], deadlock: null, complete: true });
    expect(j.edges).toEqual([expect.objectContaining({ from: '&dev_set->lock', to: '&vdev->memory_lock', types: ['EN'] })]);
    expect(j.edges[0].witness.path.length).toBe(j.edges[0].witness.steps);
    expect(c?.stdout).toContain('static int __init upstream_7_1_lockdep(void)');
    expect(c?.stdout).toContain('mutex_lock(&dev_set_lock);\n\tdown_write(&vdev_memory_lock);');
    expect(c?.stdout).toContain('subsys_initcall(upstream_7_1_lockdep);');
  });

  it('a malformed declared order is one line naming the line, before any search', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.lockorder');
    writeFileSync(bad, '# ok\n&dev_set->lock -> &vdev->memory_lock\n&vdev->memory_lock->reservation_ww_class_mutex\n');
    const line = expectUsageError(await here(['lockorder', '--design', bad, '--out', join(dir, 'runs')]));
    expect(line).toContain(`${bad}:3:`);
    expect(readFileSync(bad, 'utf8')).toContain('->reservation');
    expect(readdirSync(dir)).toEqual(['bad.lockorder']);
  });
});
