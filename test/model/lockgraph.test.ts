/**
 * The lock dependency graph of upstream-7.1 over scenarios that run every path
 * of the reference's lock-order table (kernel-upstream.md §7, E1–E13), explored
 * exhaustively: it has exactly the edges the table names, plus the ones lockdep
 * records because an outer lock is still held (noted per edge), and no cycle.
 */
import { describe, expect, it } from 'vitest';
import type { OpCall, Scenario } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { LockGraph } from '../../kernel/lockdep/lockgraph.ts';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { upstream71 } from '../../model/dmabuf/upstream/index.ts';
import { systemOf } from '../../properties/system.ts';

const op = (o: string, args: OpCall['args'] = {}): OpCall => ({ op: o, args });
const setup = (devices = 1) => ({ devices, exported: 1, no_command_memory: false });
const round = (kind: string) => [
  op(`${kind}_attach`, { dmabuf: 0 }),
  op(`${kind}_map`),
  op(`${kind}_dma_access`),
  op(`${kind}_unmap`),
  op(`${kind}_detach`),
];

const SCENARIOS: Record<string, Scenario> = {
  'revoke with a fence importer (E3, E11)': {
    setup: setup(),
    threads: [
      { name: 'config', ops: [op('config_write_command', { mem: false })] },
      { name: 'fence', ops: round('fence') },
    ],
  },
  'close with a live importer (E1, E13)': {
    setup: setup(),
    threads: [
      { name: 'closer', ops: [op('close_dmabuf_fd', { dmabuf: 0 }), op('close_device_fd')] },
      { name: 'sync', ops: round('sync') },
    ],
  },
  'hot reset over two devices (E1, E2 trylock, E12)': {
    setup: setup(2),
    threads: [
      { name: 'reset', ops: [op('hot_reset')] },
      { name: 'sync', ops: round('sync') },
    ],
  },
  'iommufd mapping vs revoke (E4, E5, E6)': {
    setup: setup(),
    threads: [
      { name: 'config', ops: [op('config_write_command', { mem: false })] },
      { name: 'iommufd', ops: [op('iommufd_map_file', { dmabuf: 0 }), op('iommufd_dma_access'), op('iommufd_unmap')] },
    ],
  },
  'BAR mmap fault vs zap (E7, E8)': {
    setup: setup(),
    threads: [
      { name: 'config', ops: [op('config_write_pm', { d3: true })] },
      { name: 'mmap', ops: [op('bar_mmap', { bar: 0 }), op('cpu_access'), op('munmap')] },
    ],
  },
  'MSI enable under igate (E10)': { setup: setup(), threads: [{ name: 'irq', ops: [op('set_irqs')] }] },
  'dma_resv_lockdep() priming (E9)': { setup: setup(), threads: [{ name: 'boot', ops: [op('dma_resv_lockdep')] }] },
};

/**
 * Expected edges (class -> class) and the table entry each stands for. Lockdep
 * records an edge from the nearest held lock that was not trylocked
 * (lockdep.c check_prevs_add), so an edge under nested locks names the
 * innermost one.
 */
const EXPECTED: Record<string, string> = {
  '&dev_set->lock -> &vdev->memory_lock': 'E1: close_device -> vfio_pci_dma_buf_cleanup / disable',
  '&vdev->memory_lock -> reservation_ww_class_mutex': 'E3: export publish, vfio_pci_dma_buf_move',
  'reservation_ww_class_mutex -> pages_dmabuf_mutex_key': 'E4/E5: iopt_revoke_notify under resv; iopt_map_dmabuf priming',
  '&iopt->domains_rwsem -> pages_dmabuf_mutex_key': 'E6: iopt_area_fill_domains',
  '&mm->mmap_lock -> &vdev->memory_lock': 'E7: vfio_pci_mmap_huge_fault',
  '&vdev->memory_lock -> &mapping->i_mmap_rwsem': 'E8: vfio_pci_zap_bars under memory_lock',
  '&mm->mmap_lock -> reservation_ww_class_acquire': 'E9: dma_resv_lockdep()',
  'reservation_ww_class_acquire -> reservation_ww_class_mutex': 'E9: dma_resv_lockdep()',
  'reservation_ww_class_mutex -> fs_reclaim': 'E9: dma_resv_lockdep()',
  'fs_reclaim -> &mapping->i_mmap_rwsem': 'E9: dma_resv_lockdep()',
  'fs_reclaim -> __mmu_notifier_invalidate_range_start_map': 'E9: dma_resv_lockdep()',
  '__mmu_notifier_invalidate_range_start_map -> dma_fence_map': 'E9: dma_resv_lockdep()',
  '&vdev->igate -> &vdev->memory_lock': 'E10: vfio_pci_memory_lock_and_enable under igate',
  '&vdev->memory_lock -> (completion)&priv->comp': 'E11: wait_for_completion under memory_lock',
  'reservation_ww_class_mutex -> dma_fence_map': 'E11: dma_resv_wait_timeout (under memory_lock and resv)',
  '(completion)&priv->comp -> reservation_ww_class_mutex': "E11: the signaller, the importer's unmap, completes under resv",
  '&dev_set->lock -> reservation_ww_class_mutex': 'E12: hot reset (memory_locks are trylocked: no edge from them)',
  '&dev_set->lock -> (completion)&priv->comp': 'E12: hot reset waits for unmaps under dev_set->lock',
  '&dev_set->lock -> &mapping->i_mmap_rwsem': 'E12: hot reset zaps under dev_set->lock',
};

describe('lock graph of upstream-7.1', () => {
  const system = systemOf(dmabufDomain, upstream71);
  const graph = new LockGraph();
  for (const [name, sc] of Object.entries(SCENARIOS)) {
    it(`explores: ${name}`, () => {
      const r = exploreScenario(system, sc, { monitors: [graph.recorder()], isFailure: () => false });
      expect(r.coverage.complete).toBe(true);
    });
  }

  it('has exactly the edges of the reference table (E1–E13), and no cycle', () => {
    const edges = graph.edges().map((e) => `${e.from} -> ${e.to}`);
    const unexpected = edges.filter((e) => !(e in EXPECTED));
    const missing = Object.keys(EXPECTED).filter((e) => !edges.includes(e));
    expect({ unexpected, missing }).toEqual({ unexpected: [], missing: [] });
    expect(graph.cycles()).toEqual([]);
  });

  it('never takes memory_lock under dma_resv, nor dev_set->lock under memory_lock; release takes memory_lock under nothing (E13)', () => {
    const edges = graph.edges().map((e) => `${e.from} -> ${e.to}`);
    const intoMemoryLock = edges.filter((e) => e.endsWith('-> &vdev->memory_lock')).sort();
    expect(intoMemoryLock).toEqual([
      '&dev_set->lock -> &vdev->memory_lock',
      '&mm->mmap_lock -> &vdev->memory_lock',
      '&vdev->igate -> &vdev->memory_lock',
    ]);
    expect(edges).not.toContain('reservation_ww_class_mutex -> &vdev->memory_lock');
    expect(edges).not.toContain('&vdev->memory_lock -> &dev_set->lock');
    expect(edges).not.toContain('&vdev->memory_lock -> &vdev->memory_lock'); // E2 is a trylock: no edge
  });
});
