/**
 * A task that completes a completion and then waits on it inside one critical
 * section (vfio_pci_dma_buf_move(): kref_put() of its own reference, then
 * wait_for_completion(), all under memory_lock) signals nobody who could be
 * blocked behind its lock: lockdep must not make that a dependency. The same
 * complete() followed by a release of the lock is a real signaller's edge.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { complete, init_completion, wait_for_completion } from '../../kernel/completion.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';

function* revoke_own_reference(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(complete, 'C'); // the last kref_put is our own
  yield* ctx.call(wait_for_completion, 'C');
  yield* ctx.call(mutex_unlock, 'L');
  return undefined;
}

function* complete_under_lock(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(complete, 'C');
  yield* ctx.call(mutex_unlock, 'L');
  return undefined;
}

function* wait_under_lock(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(wait_for_completion, 'C');
  yield* ctx.call(mutex_unlock, 'L');
  return undefined;
}

const system: System = {
  name: 'self-complete',
  setup(w) {
    mutex_init(w, '&vdev->memory_lock', { id: 'L' });
    init_completion(w, '&priv->comp', { id: 'C' });
  },
  ops: { revoke_own_reference, complete_under_lock, wait_under_lock },
};

const run = (...ops: string[][]) =>
  runScenario(system, { threads: ops.map((o, i) => ({ name: `T${i}`, ops: o.map((op) => ({ op, args: {} })) })) }, SEQUENTIAL, {
    monitors: [new LockdepMonitor()],
  });

describe('lockdep and a completion the waiter completes itself', () => {
  it('no dependency when the task completes and then waits in the same critical section, twice over', () => {
    expect(run(['revoke_own_reference', 'revoke_own_reference']).violation).toBeNull();
    expect(run(['revoke_own_reference'], ['revoke_own_reference']).violation).toBeNull();
  });

  it('a complete() under the lock that is released without waiting is a signaller: waiting under that lock is reported', () => {
    const v = run(['complete_under_lock'], ['wait_under_lock']).violation;
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.report).toContain('possible circular locking dependency');
  });
});
