import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import {
  dma_fence_begin_signalling,
  dma_fence_end_signalling,
  dma_fence_init,
  dma_fence_signal,
  dma_fence_wait,
} from '../../kernel/dma-fence.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { heldLocks } from '../../kernel/task.ts';

/**
 * dma-fence rules: the signaller's critical section (dma_fence_begin_signalling)
 * takes L, so nobody may wait for a fence while holding L. The fix signals
 * without taking L in the section.
 */

function setup(w: World): void {
  mutex_init(w, '&obj->lock', { id: 'L' });
  dma_fence_init(w, { id: 'F' });
}

function* wait_fence_under_lock(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(dma_fence_wait, 'F', false);
  yield* ctx.call(mutex_unlock, 'L');
  return undefined;
}

function* job_run_locked(ctx: Ctx) {
  const cookie = dma_fence_begin_signalling(ctx);
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(mutex_unlock, 'L');
  yield* ctx.call(dma_fence_signal, 'F');
  dma_fence_end_signalling(ctx, cookie);
  return undefined;
}

function* job_run_lockless(ctx: Ctx) {
  const cookie = dma_fence_begin_signalling(ctx);
  yield* ctx.call(dma_fence_signal, 'F');
  dma_fence_end_signalling(ctx, cookie);
  return undefined;
}

export const broken: System = {
  name: 'fence-broken',
  setup,
  ops: { waiter: wait_fence_under_lock, signaller: job_run_locked },
  stepContext: heldLocks,
};
export const fixed: System = {
  name: 'fence-fixed',
  setup,
  ops: { waiter: wait_fence_under_lock, signaller: job_run_lockless },
  stepContext: heldLocks,
};

export const scenario: Scenario = {
  threads: [
    { name: 'S', ops: [{ op: 'signaller', args: {} }] },
    { name: 'W', ops: [{ op: 'waiter', args: {} }] },
  ],
};
