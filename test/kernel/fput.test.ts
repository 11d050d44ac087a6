import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { scenario, system } from '../toys/fput-release.ts';
import { explore } from './explore.ts';

describe('release callback under the lock of the last fput', () => {
  it('synchronous release self-deadlocks', () => {
    const exec = runScenario(system, scenario(true), SEQUENTIAL);
    expect(exec.violation?.kind).toBe('deadlock');
    expect(exec.violation?.report).toContain(
      'close: blocked in vfio_pci_dma_buf_cleanup > fput > __fput > vfio_pci_dma_buf_release > down_write at down_write(&vdev->memory_lock) [queued]',
    );
    expect(exec.violation?.report).toContain('writer close');
  });

  it('synchronous release: lockdep reports the recursion first', () => {
    const v = runScenario(system, scenario(true), SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
    expect(v?.kind).toBe('lockdep-recursion');
    expect(v?.message).toContain('vfio_pci_dma_buf_cleanup > fput > __fput > vfio_pci_dma_buf_release > down_write');
    expect(v?.report).toContain(' (&vdev->memory_lock){++++}, at: vfio_pci_dma_buf_release');
  });

  it('deferred release runs as task work after the lock is dropped', () => {
    const exec = runScenario(system, scenario(false), SEQUENTIAL, { monitors: [new LockdepMonitor()], record: 'full' });
    expect(exec.violation).toBeNull();
    expect(exec.world.peek('file', '__freed')).toBe(true);
    expect(exec.world.peek('priv', '__freed')).toBe(true);
    const calls = exec.steps.filter((s) => s.action.startsWith('call ')).map((s) => s.action);
    expect(calls).toEqual(['call vfio_pci_dma_buf_cleanup()', 'call ____fput(file=file)']);
    const release = exec.steps.find((s) => s.action === 'down_write(&vdev->memory_lock)' && s.stack.includes('__fput'));
    expect(release?.stack).toEqual(['____fput', '__fput', 'vfio_pci_dma_buf_release', 'down_write']);
    const events = exec.steps.flatMap((s) => s.events);
    expect(events).toContainEqual({ type: 'fput', file: 'file', deferred: true });
    expect(explore(system, scenario(false), { monitors: () => [new LockdepMonitor()] }).violations).toEqual([]);
  });
});
