import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { one, system } from '../toys/assert.ts';

function run(op: string) {
  return runScenario(system, one(op), SEQUENTIAL, { record: 'full' });
}

describe('held-lock assertions', () => {
  it('lockdep_assert_held_write passes under down_write', () => {
    const exec = run('move_under_write');
    expect(exec.violation).toBeNull();
    expect(exec.steps.find((s) => s.action === 'down_write(&vdev->memory_lock)')?.context).toEqual(['&vdev->memory_lock (W)']);
  });

  it('fails under down_read', () => {
    const v = run('move_under_read').violation;
    expect(v?.kind).toBe('held-lock-assertion');
    expect(v?.message).toBe('lockdep_assert_held_write(&vdev->memory_lock) failed in vfio_pci_dma_buf_move: T holds it as r');
    expect(v?.stack).toEqual(['move_under_read', 'vfio_pci_dma_buf_move']);
    expect(v?.report).toContain(' #0: (&vdev->memory_lock){++++}, at: move_under_read');
  });

  it('fails without the lock', () => {
    const v = run('move_unlocked').violation;
    expect(v?.kind).toBe('held-lock-assertion');
    expect(v?.message).toContain('T does not hold it');
  });

  it('dma_resv_assert_held', () => {
    const exec = run('map_locked');
    expect(exec.violation).toBeNull();
    expect(exec.steps.find((s) => s.action === 'ww_mutex_lock(&resv->lock)')?.context).toEqual(['reservation_ww_class_mutex']);
    const v = run('map_unlocked').violation;
    expect(v?.kind).toBe('held-lock-assertion');
    expect(v?.message).toContain('lockdep_assert_held(&resv->lock) failed in vfio_pci_dma_buf_map');
  });

  it('unlocking a lock not held is a bad unlock balance', () => {
    const v = run('unlock_unheld').violation;
    expect(v?.kind).toBe('unlock-not-held');
    expect(v?.message).toContain('mutex_unlock(&vdev->igate) in unlock_unheld > mutex_unlock');
    expect(v?.report).toContain('WARNING: bad unlock balance detected!');
  });
});
