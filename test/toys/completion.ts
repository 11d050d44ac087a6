import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { complete, init_completion, wait_for_completion } from '../../kernel/completion.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { heldLocks } from '../../kernel/task.ts';

/**
 * A waiter holds L while it waits for C; the signaller needs L before it
 * completes C. Lockdep sees L -> (completion)C and (completion)C -> L; some
 * interleaving deadlocks. The fix waits after dropping L.
 */

function setup(w: World): void {
  mutex_init(w, '&priv->lock', { id: 'L' });
  init_completion(w, '&priv->comp', { id: 'C' });
}

function* drain_under_lock(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(wait_for_completion, 'C');
  yield* ctx.call(mutex_unlock, 'L');
  return undefined;
}

function* drain_after_unlock(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(mutex_unlock, 'L');
  yield* ctx.call(wait_for_completion, 'C');
  return undefined;
}

function* unmap_and_complete(ctx: Ctx) {
  yield* ctx.call(mutex_lock, 'L');
  yield* ctx.call(complete, 'C');
  yield* ctx.call(mutex_unlock, 'L');
  return undefined;
}

export const broken: System = {
  name: 'completion-broken',
  setup,
  ops: { waiter: drain_under_lock, signaller: unmap_and_complete },
  stepContext: heldLocks,
};
export const fixed: System = {
  name: 'completion-fixed',
  setup,
  ops: { waiter: drain_after_unlock, signaller: unmap_and_complete },
  stepContext: heldLocks,
};

/** Waiter first: run sequentially, it blocks at once and the signaller blocks on L. */
export const scenario: Scenario = {
  threads: [
    { name: 'W', ops: [{ op: 'waiter', args: {} }] },
    { name: 'S', ops: [{ op: 'signaller', args: {} }] },
  ],
};

/** Signaller first: run sequentially nothing blocks, and lockdep still sees the cycle. */
export const signallerFirst: Scenario = {
  threads: [
    { name: 'S', ops: [{ op: 'signaller', args: {} }] },
    { name: 'W', ops: [{ op: 'waiter', args: {} }] },
  ],
};
