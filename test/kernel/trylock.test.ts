import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { World } from '../../checker/world.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { down_write, down_write_trylock, init_rwsem, up_write } from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';
import { scenario, withLock, withTrylock } from '../toys/trylock.ts';
import { explore, kinds } from './explore.ts';

describe('trylock adds no dependency', () => {
  it('mutex_trylock in the reverse order passes lockdep', () => {
    expect(runScenario(withTrylock, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation).toBeNull();
    const r = explore(withTrylock, scenario, { monitors: () => [new LockdepMonitor()] });
    expect(r.violations).toEqual([]);
  });

  it('a plain lock in the reverse order fails', () => {
    const v = runScenario(withLock, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
    expect(v?.kind).toBe('lockdep-cycle');
    expect(v?.message).toContain('reverse > mutex_lock');
    expect(kinds(explore(withLock, scenario, {}))).toEqual(['deadlock']);
  });

  it('the trylocked lock is on the held stack and later locks depend on it', () => {
    const m = new LockdepMonitor();
    runScenario(withTrylock, scenario, SEQUENTIAL, { monitors: [m] });
    expect(m.dependencies.edge('&a', '&b')).toBeDefined();
    expect(m.dependencies.edge('&b', '&a')).toBeUndefined();
  });

  it('a trylock of another lock of the held class is no recursion (hot reset: memory_lock of each device)', () => {
    const setup = (w: World) => {
      init_rwsem(w, '&vdev->memory_lock', { id: 'm0' });
      init_rwsem(w, '&vdev->memory_lock', { id: 'm1' });
    };
    const hotReset: System = {
      name: 'hot-reset',
      setup,
      ops: {
        *vfio_pci_dev_set_hot_reset(ctx: Ctx) {
          yield* ctx.call(down_write, 'm0');
          if (yield* ctx.call(down_write_trylock, 'm1')) yield* ctx.call(up_write, 'm1');
          yield* ctx.call(up_write, 'm0');
          return undefined;
        },
      },
      stepContext: heldLocks,
    };
    const one: Scenario = { threads: [{ name: 'T', ops: [{ op: 'vfio_pci_dev_set_hot_reset', args: {} }] }] };
    const m = new LockdepMonitor();
    const exec = runScenario(hotReset, one, SEQUENTIAL, { monitors: [m], record: 'full' });
    expect(exec.violation).toBeNull();
    expect(exec.steps.map((s) => s.context.join(' | '))).toContain('&vdev->memory_lock (W) | &vdev->memory_lock (W)');
    expect(m.key()).toBe('');
  });
});
