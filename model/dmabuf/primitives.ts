/**
 * The Linux primitives of kernel/, as entries of a design's function table
 * (each takes the bound kernel `k` and passes on its thread's ctx). Kernel
 * objects a function creates at run time get ids derived from their owner
 * (model/dmabuf/objects.ts), so they read like `&priv->kref` in traces.
 */
import * as completion from '../../kernel/completion.ts';
import * as fence from '../../kernel/dma-fence.ts';
import * as dmaResv from '../../kernel/dma-resv.ts';
import * as file from '../../kernel/file.ts';
import { kref as krefKind } from '../../kernel/kinds.ts';
import * as kref from '../../kernel/kref.ts';
import * as assert from '../../kernel/lockdep/assert.ts';
import * as mutex from '../../kernel/mutex.ts';
import * as once from '../../kernel/once.ts';
import { primitives } from '../../kernel/primitive.ts';
import * as refcount from '../../kernel/refcount.ts';
import * as rwsem from '../../kernel/rwsem.ts';
import * as slab from '../../kernel/slab.ts';
import { kzalloc, kzallocKind } from '../../kernel/slab.ts';
import { isFreed } from '../../kernel/types.ts';
import type { Gen } from '../bind.ts';
import { sleepingLockTable } from '../sleeping-locks.ts';
import type { FunctionTable, K, Primitives } from './functions.ts';
import { embeddedIn, PRIV_COMP_CLASS } from './objects.ts';

type PrimitiveTable = { readonly [N in keyof Primitives]: FunctionTable[N] };

export const primitiveTable: PrimitiveTable = {
  *mutex_init(k: K, lock: string, cls: string) {
    if (!k.ctx.world.has(lock)) mutex.mutex_init(k.ctx, cls, { id: lock, name: `&${lock}` });
  },
  ...sleepingLockTable<K>(),
  down_write_trylock: (k, sem) => rwsem.down_write_trylock(k.ctx, sem),
  *dma_resv_init(k, resv) {
    dmaResv.dma_resv_init(k.ctx, { id: resv });
  },
  *dma_resv_lock(k, resv) {
    yield* dmaResv.dma_resv_lock(k.ctx, resv);
  },
  dma_resv_unlock: (k, resv) => dmaResv.dma_resv_unlock(k.ctx, resv),
  dma_resv_trylock: (k, resv) => dmaResv.dma_resv_trylock(k.ctx, resv),
  *dma_resv_assert_held(k, resv) {
    dmaResv.dma_resv_assert_held(k.ctx, resv);
  },
  *dma_resv_wait_timeout(k, resv) {
    yield* dmaResv.dma_resv_wait_timeout(k.ctx, resv, dmaResv.DMA_RESV_USAGE_BOOKKEEP, false, dmaResv.MAX_SCHEDULE_TIMEOUT);
  },
  dma_resv_add_fence: (k, resv, f) => dmaResv.dma_resv_add_fence(k.ctx, resv, f, dmaResv.DMA_RESV_USAGE_BOOKKEEP),
  *dma_fence_init(k, f) {
    if (!k.ctx.world.has(f)) fence.dma_fence_init(k.ctx, { id: f });
    else k.ctx.set(f, 'signaled', false);
  },
  *dma_fence_signal(k, f) {
    yield* fence.dma_fence_signal(k.ctx, f);
  },
  *lockdep_assert_held_write(k, lock) {
    assert.lockdep_assert_held_write(k.ctx, lock);
  },
  i_mmap_lock_read: (k, sem) => rwsem.down_read(k.ctx, sem),
  i_mmap_unlock_read: (k, sem) => rwsem.up_read(k.ctx, sem),
  mmap_read_lock: (k, sem) => rwsem.down_read(k.ctx, sem),
  mmap_read_unlock: (k, sem) => rwsem.up_read(k.ctx, sem),
  mmap_write_lock: (k, sem) => rwsem.down_write(k.ctx, sem),
  mmap_write_unlock: (k, sem) => rwsem.up_write(k.ctx, sem),
  *kref_init(k, ref) {
    if (!k.ctx.world.has(ref)) kzallocKind(k.ctx, krefKind, {}, ref);
    yield* kref.kref_init(k.ctx, ref);
  },
  kref_get: (k, ref) => kref.kref_get(k.ctx, ref),
  kref_put: (k, ref, release) => kref.kref_put(k.ctx, ref, () => release()),
  refcount_inc_not_zero: (k, ref) => refcount.refcount_inc_not_zero(k.ctx, ref),
  refcount_dec_and_test: (k, ref) => refcount.refcount_dec_and_test(k.ctx, ref),
  *init_completion(k, c) {
    if (!k.ctx.world.has(c)) completion.init_completion(k.ctx, `&${c}`, { id: c, class: PRIV_COMP_CLASS });
    else yield* completion.reinit_completion(k.ctx, c);
  },
  reinit_completion: (k, c) => completion.reinit_completion(k.ctx, c),
  complete: (k, c) => completion.complete(k.ctx, c),
  wait_for_completion: (k, c) => completion.wait_for_completion(k.ctx, c),
  wait_for_completion_timeout: (k, c, j) => completion.wait_for_completion_timeout(k.ctx, c, j),
  *alloc_file_pseudo(k, f, fops, privateData) {
    file.alloc_file(k.ctx, k.fops.get(fops), { id: f, private_data: privateData });
  },
  *get_file(k, f) {
    yield* file.get_file(k.ctx, f);
  },
  *fget(_k, proc, fd, f) {
    const ok = yield {
      action: `fget(${fd})`,
      locs: [proc, f],
      fire: (w) => {
        if (!(w.peek(proc, 'fds') as string[]).includes(fd) || isFreed(w, f)) return false;
        const n = w.get(f, 'f_count') as number;
        if (n === 0) return false;
        w.set(f, 'f_count', n + 1);
        return true;
      },
    };
    return ok === true;
  },
  *kzalloc(k, obj, kind) {
    kzalloc(k.ctx, kind, {}, obj);
  },
  kfree: (k, obj) => slab.kfree(k.ctx, obj, embeddedIn(obj)),
  *get_file_active(k, f) {
    return (yield* file.get_file_active(k.ctx, f)) !== null;
  },
  fput: (k, f) => file.fput(k.ctx, f),
  __fput_sync: (k, f) => file.__fput_sync(k.ctx, f),
  READ_ONCE: (k, obj, field) => once.READ_ONCE(k.ctx, obj, field),
  *reset_in_progress(_k, vdev) {
    yield { action: `reset of ${vdev} in progress`, locs: [vdev] };
  },
  *schedule(_k, action, locs) {
    yield { action, locs };
  },
  *mmio_access(k, via, priv, vdev, bar) {
    const what =
      via === 'cpu'
        ? 'CPU load/store through the BAR mmap'
        : via === 'rw'
          ? 'read()/write() of the device fd'
          : via === 'dma'
            ? 'importer DMA'
            : 'device DMA through the IOMMU domain';
    k.ctx.note(`${what} reaches BAR${bar} of ${vdev ?? '(no device)'}${priv ? ` via ${priv}` : ''}`);
    k.ctx.emit({ type: 'mmio-access', via, priv, vdev, bar });
  },
};

// a scheduling point is not a function of the design: its step is shown under (and taken "at") the caller, such as importer_dma_access
primitives(primitiveTable.schedule);

export type { Gen };
