import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { complete, init_completion } from '../../kernel/completion.ts';
import { kref_get, kref_put } from '../../kernel/kref.ts';
import { kfree, kzalloc, load } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';

/** Reference bugs, one op each, on a `priv` with a kref (and a completion its release signals). */

function setup(w: World): void {
  kzalloc(w, 'priv', { refcount: 1, revoked: false }, 'priv');
  kzalloc(w, 'buf', { refcount: 1 }, 'buf');
  init_completion(w, '&priv->comp', { id: 'comp' });
}

/** Like vfio_pci_dma_buf_done(): signals, frees nothing. */
function* vfio_pci_dma_buf_done(ctx: Ctx, _priv: string) {
  yield* ctx.call(complete, 'comp');
}

function* buf_release(ctx: Ctx, obj: string) {
  yield* ctx.call(kfree, obj);
}

/** The pre-c64a647c84f3 bug: the registered reference is dropped twice. */
function* double_put(ctx: Ctx) {
  yield* ctx.call(kref_put, 'priv', vfio_pci_dma_buf_done);
  yield* ctx.call(kref_put, 'priv', vfio_pci_dma_buf_done);
  return undefined;
}

function* single_put(ctx: Ctx) {
  yield* ctx.call(kref_put, 'priv', vfio_pci_dma_buf_done);
  return undefined;
}

function* get_after_last_put(ctx: Ctx) {
  yield* ctx.call(kref_put, 'priv', vfio_pci_dma_buf_done);
  yield* ctx.call(kref_get, 'priv');
  return undefined;
}

function* use_after_release(ctx: Ctx) {
  yield* ctx.call(kref_put, 'buf', buf_release);
  load(ctx, 'buf', 'refcount');
  return undefined;
}

function* put_after_release(ctx: Ctx) {
  yield* ctx.call(kref_put, 'buf', buf_release);
  yield* ctx.call(kref_put, 'buf', buf_release);
  return undefined;
}

function* free_twice(ctx: Ctx) {
  yield* ctx.call(kfree, 'buf');
  yield* ctx.call(kfree, 'buf');
  return undefined;
}

function* free_once(ctx: Ctx) {
  yield* ctx.call(kfree, 'buf');
  return undefined;
}

function* get_without_put(ctx: Ctx) {
  yield* ctx.call(kref_get, 'buf');
  return undefined;
}

export const system: System = {
  name: 'refs',
  setup,
  ops: { double_put, single_put, get_after_last_put, use_after_release, put_after_release, free_twice, free_once, get_without_put },
  stepContext: heldLocks,
};

export function one(op: string): Scenario {
  return { threads: [{ name: 'T', ops: [{ op, args: {} }] }] };
}
