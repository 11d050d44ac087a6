/**
 * A monitor's saved memory is what a search restores: a snapshot must not
 * change when the execution goes on after it (the monitors share their memory
 * with a snapshot and copy it on the first change after one).
 */
import { describe, expect, it } from 'vitest';
import type { ExecView } from '../../checker/monitor.ts';
import type { ModelEvent } from '../../checker/point.ts';
import { unrevokeLiveness } from '../../properties/dmabuf/unrevoke-liveness.ts';

const entry = (vdev: string): ModelEvent => ({ type: 'return', fn: 'vfio_pci_runtime_pm_entry', args: [vdev], ret: 0 }) as ModelEvent;
const noExec = {} as ExecView;

describe('unrevoke-liveness memory across save and load', () => {
  it('a snapshot keeps what the monitor held when it was taken, however often it is loaded', () => {
    const [m] = unrevokeLiveness.monitors();
    if (!m?.save || !m.load || !m.key || !m.onEvent) throw new Error('the monitor keeps memory');
    m.onEvent(entry('vdev0'), noExec);
    const one = m.save();
    m.onEvent(entry('vdev1'), noExec);
    expect(m.key()).toBe('vdev0,vdev1');
    m.load(one);
    expect(m.key()).toBe('vdev0');
    m.onEvent(entry('vdev2'), noExec);
    expect(m.key()).toBe('vdev0,vdev2');
    m.load(one);
    expect(m.key()).toBe('vdev0');
    // saved twice with no change between: both snapshots are the same memory, and neither moves
    const two = m.save();
    m.onEvent(entry('vdev3'), noExec);
    m.load(two);
    expect(m.key()).toBe('vdev0');
    m.load(one);
    expect(m.key()).toBe('vdev0');
  });
});
