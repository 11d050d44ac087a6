import type { Ctx } from '../checker/context.ts';
import { getField, type Handle, peekField, type Ref, refTo, setField } from '../checker/kind.ts';
import type { Value } from '../checker/value.ts';
import type { World } from '../checker/world.ts';
import { DMA_FENCE_MAP, dma_fence_wait_timeout, MAX_SCHEDULE_TIMEOUT } from './dma-fence.ts';
import { dmaResv, type FenceSlot } from './kinds.ts';
import { lockdep_wait } from './lockdep/annotate.ts';
import { lockdep_assert_held } from './lockdep/assert.ts';
import { lock_map_acquire, lock_map_acquire_kind, lock_map_release } from './lockdep/map.ts';
import { primitives } from './primitive.ts';
import { useAfterFree } from './slab.ts';
import { allocKind, type Gen, isFreed, type Where, worldOf } from './types.ts';
import {
  RESERVATION_WW_CLASS_MUTEX,
  type WwAcquireCtx,
  ww_mutex_init,
  ww_mutex_lock,
  ww_mutex_lock_interruptible,
  ww_mutex_trylock,
  ww_mutex_unlock,
} from './ww_mutex.ts';

/**
 * struct dma_resv (drivers/dma-buf/dma-resv.c, include/linux/dma-resv.h): a
 * ww_mutex of class reservation_ww_class_mutex plus a list of fences, each with
 * a usage. Fences are borrowed (no reference taken), and readers iterate the
 * list without the lock (RCU), so adding and snapshotting are scheduling points.
 */

export const DMA_RESV_USAGE_KERNEL = 0;
export const DMA_RESV_USAGE_WRITE = 1;
export const DMA_RESV_USAGE_READ = 2;
export const DMA_RESV_USAGE_BOOKKEEP = 3;

export interface ResvInit {
  readonly id?: string;
}

/** dma_resv_init(): the resv object and its ww_mutex (`<resv>.lock`). */
export function dma_resv_init(where: Where, init: ResvInit = {}): Ref<'dma_resv'> {
  const resv = allocKind(where, dmaResv, {}, init.id);
  const lock = ww_mutex_init(where, RESERVATION_WW_CLASS_MUTEX, { id: `${resv}.lock`, name: `&${resv}->lock` });
  setField(worldOf(where), resv, 'lock', lock);
  return resv;
}

/** The ww_mutex of a resv (`&obj->lock.base`); fixed at init. */
export function resvLock(w: World, resv: Handle<'dma_resv'>): Ref<'ww_mutex'> {
  const lock = peekField(w, refTo('dma_resv', resv), 'lock');
  if (lock === null) throw new Error(`${resv} has no lock: dma_resv_init() did not run on it`);
  return lock;
}

export function* dma_resv_lock(ctx: Ctx, resv: Handle<'dma_resv'>, acquire: WwAcquireCtx = null): Gen<number> {
  return yield* ww_mutex_lock(ctx, resvLock(ctx.world, resv), acquire);
}

export function* dma_resv_lock_interruptible(ctx: Ctx, resv: Handle<'dma_resv'>, acquire: WwAcquireCtx = null): Gen<number> {
  return yield* ww_mutex_lock_interruptible(ctx, resvLock(ctx.world, resv), acquire);
}

export function* dma_resv_trylock(ctx: Ctx, resv: Handle<'dma_resv'>): Gen<boolean> {
  return yield* ww_mutex_trylock(ctx, resvLock(ctx.world, resv), null);
}

export function* dma_resv_unlock(ctx: Ctx, resv: Handle<'dma_resv'>): Gen<void> {
  yield* ww_mutex_unlock(ctx, resvLock(ctx.world, resv));
}

/** dma_resv_assert_held(): lockdep_assert_held(&obj->lock.base). */
export function dma_resv_assert_held(ctx: Ctx, resv: Handle<'dma_resv'>): void {
  lockdep_assert_held(ctx, resvLock(ctx.world, resv));
}

function fences(w: World, resv: Handle<'dma_resv'>): readonly FenceSlot[] {
  return getField(w, refTo('dma_resv', resv), 'fences');
}

/** dma_resv_add_fence(): needs the resv lock; replaces nothing (fences accumulate). */
export function* dma_resv_add_fence(ctx: Ctx, resv: Handle<'dma_resv'>, fence: Handle<'dma_fence'>, usage: number): Gen<void> {
  dma_resv_assert_held(ctx, resv);
  yield {
    action: `dma_resv_add_fence(${resv}, ${fence})`,
    locs: [resv],
    fire: (w) => {
      w.set(resv, 'fences', [...fences(w, resv), { fence, usage }]);
      return undefined;
    },
  };
}

/** The fences a `dma_resv_for_each_fence_unlocked` walk sees: usage <= `usage`, in order. */
function* snapshot(_ctx: Ctx, resv: Handle<'dma_resv'>, usage: number, fn: string): Gen<Ref<'dma_fence'>[]> {
  const r = (yield {
    action: `${fn}(${resv}) iterate fences`,
    locs: [resv],
    fire: (w) =>
      fences(w, resv)
        .filter((s) => s.usage <= usage)
        .map((s) => s.fence) as Value,
  }) as Ref<'dma_fence'>[];
  return r;
}

/**
 * dma_resv_wait_timeout(): waits for each fence of the snapshot in turn, as
 * dma_resv.c does with dma_fence_wait_timeout() (so it is annotated as a fence
 * wait only when there is a fence to wait for). Returns the time left, 0 on
 * timeout.
 */
export function* dma_resv_wait_timeout(ctx: Ctx, resv: Handle<'dma_resv'>, usage: number, intr: boolean, timeout: number): Gen<number> {
  let ret = timeout > 0 ? timeout : 1;
  for (const f of yield* snapshot(ctx, resv, usage, 'dma_resv_wait_timeout')) {
    ret = yield* ctx.call(dma_fence_wait_timeout, f, intr, ret);
    if (ret <= 0) return ret;
  }
  return ret;
}

/** dma_resv_test_signaled(): true when every fence of the usage is signaled. */
export function* dma_resv_test_signaled(ctx: Ctx, resv: Handle<'dma_resv'>, usage: number): Gen<boolean> {
  const r = yield {
    action: `dma_resv_test_signaled(${resv})`,
    locs: [resv],
    fire: (w) => {
      for (const s of fences(w, resv)) {
        if (s.usage > usage) continue;
        if (isFreed(w, s.fence)) return null;
        if (getField(w, s.fence, 'signaled') !== true) return false;
      }
      return true;
    },
  };
  if (typeof r !== 'boolean') useAfterFree(ctx, resv, `dma_resv_test_signaled on a freed fence of ${resv}`);
  return r;
}

/**
 * dma_resv_lockdep() (dma-resv.c, a subsys_initcall under CONFIG_LOCKDEP): primes
 * the graph with mmap_lock -> reservation_ww_class_acquire ->
 * reservation_ww_class_mutex -> fs_reclaim -> i_mmap_rwsem and
 * mmu_notifier map -> dma_fence_map (fences may be waited under resv and in
 * reclaim). Only lockdep annotations: nothing is locked.
 */
export function dma_resv_lockdep(ctx: Ctx): void {
  lock_map_acquire_kind(ctx, '&mm->mmap_lock', 'r', false, 'mmap_read_lock');
  lock_map_acquire(ctx, 'reservation_ww_class_acquire');
  lock_map_acquire(ctx, RESERVATION_WW_CLASS_MUTEX);
  lock_map_acquire(ctx, 'fs_reclaim');
  lock_map_acquire(ctx, '&mapping->i_mmap_rwsem');
  lock_map_release(ctx, '&mapping->i_mmap_rwsem');
  lock_map_acquire(ctx, '__mmu_notifier_invalidate_range_start_map');
  lockdep_wait(ctx, 'dma_resv_lockdep', DMA_FENCE_MAP, '__dma_fence_might_wait');
  lock_map_release(ctx, '__mmu_notifier_invalidate_range_start_map');
  lock_map_release(ctx, 'fs_reclaim');
  lock_map_release(ctx, RESERVATION_WW_CLASS_MUTEX);
  lock_map_release(ctx, 'reservation_ww_class_acquire');
  lock_map_release(ctx, '&mm->mmap_lock');
}

export { MAX_SCHEDULE_TIMEOUT };

primitives(
  dma_resv_lock,
  dma_resv_lock_interruptible,
  dma_resv_trylock,
  dma_resv_unlock,
  dma_resv_add_fence,
  snapshot,
  dma_resv_wait_timeout,
  dma_resv_test_signaled,
);
