import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { down_read, down_write, init_rwsem, up_read, up_write } from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';

/**
 * Read, read again: with a writer queued in between, the second down_read
 * queues behind the writer, which waits for the first read hold: deadlock.
 * The fix does not take the read lock twice.
 */

function setup(w: World): void {
  init_rwsem(w, '&vdev->memory_lock', { id: 'sem' });
}

function* helper_reads_again(ctx: Ctx) {
  yield* ctx.call(down_read, 'sem');
  yield* ctx.call(up_read, 'sem');
  return undefined;
}

function* reader_nested(ctx: Ctx) {
  yield* ctx.call(down_read, 'sem');
  yield* ctx.call(helper_reads_again);
  yield* ctx.call(up_read, 'sem');
  return undefined;
}

function* reader_once(ctx: Ctx) {
  yield* ctx.call(down_read, 'sem');
  yield* ctx.call(up_read, 'sem');
  return undefined;
}

function* writer(ctx: Ctx) {
  yield* ctx.call(down_write, 'sem');
  yield* ctx.call(up_write, 'sem');
  return undefined;
}

export const broken: System = { name: 'rwsem-broken', setup, ops: { reader: reader_nested, writer }, stepContext: heldLocks };
export const fixed: System = { name: 'rwsem-fixed', setup, ops: { reader: reader_once, writer }, stepContext: heldLocks };

export const scenario: Scenario = {
  threads: [
    { name: 'A', ops: [{ op: 'reader', args: {} }] },
    { name: 'B', ops: [{ op: 'writer', args: {} }] },
  ],
};
