import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { dma_resv_assert_held, dma_resv_init, dma_resv_lock, dma_resv_unlock } from '../../kernel/dma-resv.ts';
import { lockdep_assert_held_write } from '../../kernel/lockdep/assert.ts';
import { mutex_init, mutex_unlock } from '../../kernel/mutex.ts';
import { down_read, down_write, init_rwsem, up_read, up_write } from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';

/** vfio_pci_dma_buf_move() asserts memory_lock is held for write; callers that hold it for read, or not at all, break it. */

function setup(w: World): void {
  init_rwsem(w, '&vdev->memory_lock', { id: 'memory_lock' });
  dma_resv_init(w, { id: 'resv' });
  mutex_init(w, '&vdev->igate', { id: 'igate' });
}

function* vfio_pci_dma_buf_move(ctx: Ctx) {
  lockdep_assert_held_write(ctx, 'memory_lock');
}

function* vfio_pci_dma_buf_map(ctx: Ctx) {
  dma_resv_assert_held(ctx, 'resv');
}

function* move_under_write(ctx: Ctx) {
  yield* ctx.call(down_write, 'memory_lock');
  yield* ctx.call(vfio_pci_dma_buf_move);
  yield* ctx.call(up_write, 'memory_lock');
  return undefined;
}

function* move_under_read(ctx: Ctx) {
  yield* ctx.call(down_read, 'memory_lock');
  yield* ctx.call(vfio_pci_dma_buf_move);
  yield* ctx.call(up_read, 'memory_lock');
  return undefined;
}

function* move_unlocked(ctx: Ctx) {
  yield* ctx.call(vfio_pci_dma_buf_move);
  return undefined;
}

function* map_locked(ctx: Ctx) {
  yield* ctx.call(dma_resv_lock, 'resv', null);
  yield* ctx.call(vfio_pci_dma_buf_map);
  yield* ctx.call(dma_resv_unlock, 'resv');
  return undefined;
}

function* map_unlocked(ctx: Ctx) {
  yield* ctx.call(vfio_pci_dma_buf_map);
  return undefined;
}

function* unlock_unheld(ctx: Ctx) {
  yield* ctx.call(mutex_unlock, 'igate');
  return undefined;
}

export const system: System = {
  name: 'assert',
  setup,
  ops: { move_under_write, move_under_read, move_unlocked, map_locked, map_unlocked, unlock_unheld },
  stepContext: heldLocks,
};

export function one(op: string): Scenario {
  return { threads: [{ name: 'T', ops: [{ op, args: {} }] }] };
}
