/**
 * read()/write() of a BAR through the device fd (model/dmabuf/upstream/vfio_pci_rdwr.ts):
 * the errnos of 7.1's path, user copies that fault into a BAR mmap, and the lock order
 * that keeps memory_lock out of those faults, which a design holding it across the copy breaks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../loader/scenario-api.ts';
import { replayFile } from '../../properties/replay.ts';
import { builtin, checkOne } from './one-property.ts';

const SCENARIO = 'examples/scenarios/bar-rw-into-bar-mmap.json';
const BROKEN = 'broken-bar-rw-lock-across-copy';

function lockOrder(name: string, focus: readonly string[]) {
  return checkOne(name, 'lock-order', ['bar_rw=1', 'mmappers=1'], focus);
}

describe('vfio_pci_bar_rw', () => {
  it('returns the bytes done, -EIO while memory is disabled, -EINVAL out of range, -EFAULT into a mapping gone', () => {
    const r = runScenario(builtin('upstream-7.1'), SCENARIO);
    expect(r.steps.map((s) => s.value)).toEqual([0, 8, 12, 0, -5, -22, -22, 0, 0, -14, 0]);
    expect(r.violations).toEqual([]);
    // each chunk of the 12-byte write copies from the mapping and then writes under memory_lock: 8 then 4 bytes
    const accesses = r.exec.steps.map((s) => s.action).filter((a) => /vfio_io(read|write)\d+\(\)/.test(a));
    expect(accesses).toEqual([
      'primary0: vfio_ioread64() BAR0 of vdev0',
      'primary0: vfio_iowrite64() BAR0 of vdev0',
      'primary0: vfio_iowrite32() BAR0 of vdev0',
      'primary0: vfio_ioread64() BAR0 of vdev0', // the last read reads, then its copy_to_user() finds no mapping
    ]);
  });

  it('upstream-7.1 keeps memory_lock out of the user copies: lock-order passes with a BAR mmapper', () => {
    expect(lockOrder('upstream-7.1', ['bar_rw'])?.verdict).toBe('pass');
  });

  it(`${BROKEN} faults under memory_lock: lockdep reports the recursive read`, () => {
    const r = lockOrder(BROKEN, builtin(BROKEN).focus);
    expect(r?.verdict).toBe('fail');
    expect(r?.counterexample?.violation.report ?? '').toContain('WARNING: possible recursive locking detected');
    const run = runScenario(builtin(BROKEN), SCENARIO);
    expect(run.steps[1]?.violations.map((v) => v.kind)).toEqual(['lockdep-recursion']);
  });

  it('its saved counterexample replays', async () => {
    const { outcome } = await replayFile(readFileSync(`counterexamples/${BROKEN}/lock-order.json`, 'utf8'));
    expect(outcome).toBe('reproduced');
  });
});
