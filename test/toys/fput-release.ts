import type { Ctx } from '../../checker/context.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { Args } from '../../checker/value.ts';
import type { World } from '../../checker/world.ts';
import { kernel_config } from '../../kernel/config.ts';
import { alloc_file, type FileOperations, fput } from '../../kernel/file.ts';
import { down_write, init_rwsem, up_write } from '../../kernel/rwsem.ts';
import { kfree, kzalloc, load } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';

/**
 * The release callback of a file takes the lock under which the last fput()
 * runs (vfio_pci_dma_buf_release takes memory_lock; cleanup fputs under it).
 * With __fput deferred to task work it runs after the lock is dropped; run
 * synchronously it self-deadlocks.
 */

function* vfio_pci_dma_buf_release(ctx: Ctx, file: string) {
  const priv = load<string>(ctx, file, 'private_data');
  yield* ctx.call(down_write, 'memory_lock');
  yield* ctx.call(up_write, 'memory_lock');
  yield* ctx.call(kfree, priv);
}

export const dmabufFops: FileOperations = { name: 'vfio_pci_dmabuf_ops', release: vfio_pci_dma_buf_release };

function setup(w: World, params: Args): void {
  kernel_config(w, { syncFput: params.syncFput === true });
  init_rwsem(w, '&vdev->memory_lock', { id: 'memory_lock' });
  const priv = kzalloc(w, 'priv', {}, 'priv');
  alloc_file(w, dmabufFops, { id: 'file', private_data: priv });
}

function* vfio_pci_dma_buf_cleanup(ctx: Ctx) {
  yield* ctx.call(down_write, 'memory_lock');
  yield* ctx.call(fput, 'file');
  yield* ctx.call(up_write, 'memory_lock');
  return undefined;
}

export const system: System = { name: 'fput-release', setup, ops: { vfio_pci_dma_buf_cleanup }, stepContext: heldLocks };

export function scenario(syncFput: boolean): Scenario {
  return { setup: { syncFput }, threads: [{ name: 'close', ops: [{ op: 'vfio_pci_dma_buf_cleanup', args: {} }] }] };
}
