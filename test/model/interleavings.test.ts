/**
 * The interleavings the reference (kernel-upstream.md §7.1) says the locks are
 * designed to resolve, replayed on upstream-7.1 step by step.
 */
import { describe, expect, it } from 'vitest';
import type { OpCall, Scenario } from '../../checker/scenario.ts';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { upstream71 } from '../../model/dmabuf/upstream/index.ts';
import { ENODEV } from '../../model/errno.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { systemOf } from '../../properties/system.ts';
import { Driver } from './driver.ts';

const op = (o: string, args: OpCall['args'] = {}): OpCall => ({ op: o, args });
const system = systemOf(dmabufDomain, upstream71);
const monitors = () => dmabufProperties.flatMap((p) => p.monitors());

function scenario(importer: 'sync' | 'fence'): Scenario {
  return {
    setup: { devices: 1, exported: 1, no_command_memory: false },
    threads: [
      { name: 'config', ops: [op('config_write_command', { mem: false })] },
      {
        name: 'importer',
        ops: [
          op(`${importer}_attach`, { dmabuf: 0 }),
          op(`${importer}_map`),
          op(`${importer}_dma_access`),
          op(`${importer}_unmap`),
          op(`${importer}_detach`),
        ],
      },
      { name: 'exit', ops: [op('exit_all')] },
    ],
  };
}

describe('attach vs revoke', () => {
  it('an attach that read revoked = false before the revoke misses the invalidate, and its first map fails -ENODEV', () => {
    const d = new Driver(system, scenario('sync'), { monitors: monitors() });
    // the importer's .attach reads priv->revoked with no lock...
    d.until('importer', /READ_ONCE\(priv0->revoked\)/).step('importer');
    // ...then the whole revoke runs: revoked = true, invalidate (no attachment linked yet), waits
    d.run('config');
    expect(d.actions('config').some((a) => a.includes('dma_resv_wait_timeout'))).toBe(true);
    // the attachment is linked after the invalidate and attach returns 0
    d.run('importer');
    const [attach, map, access] = d.results('importer');
    expect(attach).toBe(0);
    expect(map).toBe(ENODEV); // vfio_pci_dma_buf_map sees revoked under resv
    expect(access).not.toBe(0); // nothing is mapped, nothing reaches the BAR
    d.run('exit');
    expect(d.exec.violation).toBeNull();
    expect(d.exec.isOver()).toBe(true);
  });
});

describe('map vs revoke', () => {
  it('revoke wins: the map under resv sees revoked and fails -ENODEV', () => {
    const d = new Driver(system, scenario('sync'), { monitors: monitors() });
    d.until('importer', /call sync_map/); // attached before the revoke: it will get the invalidate
    d.until('config', /dma_resv_wait_timeout/); // revoked = true under resv, invalidate sent
    d.until('importer', /ww_mutex_lock/); // the map blocks on resv...
    expect(d.blocked('importer')).toBe(true);
    d.run('config'); // ...until the revoke drops it
    d.run('importer');
    expect(d.results('importer').slice(0, 2)).toEqual([0, ENODEV]);
    d.run('exit');
    expect(d.exec.violation).toBeNull();
  });

  it('map wins: the revoke invalidates, waits for the fence, then waits for the importer to unmap before memory is disabled', () => {
    const d = new Driver(system, scenario('fence'), { monitors: monitors() });
    // the importer attaches and maps (kref_get: one reference per live mapping)
    d.until('importer', /call fence_dma_access/);
    expect(d.results('importer')).toEqual([0, 0]);
    // the config write takes memory_lock, sets revoked, invalidates: the importer fences its in-flight DMA
    d.until('config', /dma_resv_wait_timeout/);
    expect(d.exec.world.state('att0')).toBe('mapped.invalidated');
    d.run('config');
    expect(d.blocked('config')).toBe(true); // waiting for the importer's fence
    expect(d.exec.nextAction(0)).toMatch(/dma_fence_wait\(att0.fence\)/);
    // the importer's in-flight DMA is still legal: MMIO is available, the revoker holds memory_lock
    d.step('importer').step('importer');
    expect(d.results('importer')[2]).toBe(0);
    expect(d.exec.violation).toBeNull();
    // the importer's DMA completes (fence signalled); the revoker drops resv and waits for the unmap
    d.until('importer', /dma_fence_signal/).step('importer');
    d.run('config');
    expect(d.blocked('config')).toBe(true);
    expect(d.exec.world.peek('vdev0', 'cmd_mem')).toBe(true); // memory still enabled while a mapping lives
    // the unmap drops the last kref: complete(); the revoke finishes and only then MEM is cleared
    d.run('importer');
    d.run('config');
    expect(d.exec.world.peek('vdev0', 'cmd_mem')).toBe(false);
    expect(d.exec.world.state('att0')).toBe('detached');
    d.run('exit');
    expect(d.exec.violation).toBeNull();
  });
});
