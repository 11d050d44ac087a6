import type { Ctx } from '../checker/context.ts';
import { getField, type Handle, peekField, type Ref, refTo, setField } from '../checker/kind.ts';
import type { World } from '../checker/world.ts';
import { dmaFence } from './kinds.ts';
import { kref_get, kref_put } from './kref.ts';
import { lockdep_signal, lockdep_wait } from './lockdep/annotate.ts';
import { lockdep_begin_signalling, lockdep_end_signalling } from './lockdep/map.ts';
import { primitives } from './primitive.ts';
import { kfree, kzallocKind, useAfterFree } from './slab.ts';
import { type Gen, isFreed, type Where } from './types.ts';

/**
 * struct dma_fence (drivers/dma-buf/dma-fence.c): a one-shot signal with a kref.
 * Lockdep: all fences share one pseudo-lock, dma_fence_lockdep_map
 * ("dma_fence_map"). Waiting takes it as a writer (__dma_fence_might_wait);
 * dma_fence_begin_signalling() read-trylocks it, so locks taken in a signalling
 * section depend on it; and, as for completions, signalling under held locks
 * makes the map depend on them.
 */

export const DMA_FENCE_MAP = 'dma_fence_map';

/** include/linux/sched.h: LONG_MAX, "wait forever". */
export const MAX_SCHEDULE_TIMEOUT = Number.MAX_SAFE_INTEGER;

export const EINVAL = 22;

export interface FenceInit {
  readonly id?: string;
  readonly name?: string;
}

/** dma_fence_init() of a new fence with one reference. */
export function dma_fence_init(where: Where, init: FenceInit = {}): Ref<'dma_fence'> {
  return kzallocKind(where, dmaFence, {}, init.id);
}

function signaled(w: World, f: Handle<'dma_fence'>): boolean {
  return getField(w, refTo('dma_fence', f), 'signaled');
}

export function* dma_fence_get(ctx: Ctx, f: Handle<'dma_fence'>): Gen<Ref<'dma_fence'>> {
  yield* kref_get(ctx, f);
  return refTo('dma_fence', f);
}

export function* dma_fence_release(ctx: Ctx, f: string): Gen<void> {
  yield* kfree(ctx, f);
}

export function* dma_fence_put(ctx: Ctx, f: Handle<'dma_fence'> | null): Gen<void> {
  if (f !== null) yield* kref_put(ctx, f, dma_fence_release);
}

/** dma_fence_begin_signalling(): opens a signalling section (cookie: already inside one). */
export function dma_fence_begin_signalling(ctx: Ctx): boolean {
  return lockdep_begin_signalling(ctx, DMA_FENCE_MAP);
}

export function dma_fence_end_signalling(ctx: Ctx, cookie: boolean): void {
  lockdep_end_signalling(ctx, DMA_FENCE_MAP, cookie);
}

/** dma_fence_signal(): 0, or -EINVAL when already signaled. */
export function* dma_fence_signal(ctx: Ctx, f: Handle<'dma_fence'>): Gen<number> {
  lockdep_signal(ctx, f, DMA_FENCE_MAP, 'dma_fence_signal');
  const r = yield {
    action: `dma_fence_signal(${f})`,
    locs: [f],
    fire: (w) => {
      if (isFreed(w, f)) return null;
      if (signaled(w, f)) return -EINVAL;
      setField(w, refTo('dma_fence', f), 'signaled', true);
      return 0;
    },
  };
  if (typeof r !== 'number') useAfterFree(ctx, f, `dma_fence_signal on ${f}`);
  return r;
}

export function* dma_fence_is_signaled(ctx: Ctx, f: Handle<'dma_fence'>): Gen<boolean> {
  const r = yield {
    action: `dma_fence_is_signaled(${f})`,
    locs: [f],
    fire: (w) => (isFreed(w, f) ? null : signaled(w, f)),
  };
  if (typeof r !== 'boolean') useAfterFree(ctx, f, `dma_fence_is_signaled on ${f}`);
  return r;
}

/**
 * dma_fence_wait_timeout(): annotated as a wait on dma_fence_map whatever the
 * timeout. With MAX_SCHEDULE_TIMEOUT it sleeps until signaled; with a finite
 * timeout the timeout may expire at any moment, so it is one step returning 0
 * (timed out) unless already signaled. Returns the time left.
 */
export function* dma_fence_wait_timeout(ctx: Ctx, f: Handle<'dma_fence'>, intr: boolean, timeout: number): Gen<number> {
  void intr;
  lockdep_wait(ctx, f, DMA_FENCE_MAP, 'dma_fence_wait_timeout');
  if (timeout === MAX_SCHEDULE_TIMEOUT) {
    const r = yield {
      action: `dma_fence_wait(${f})`,
      locs: [f],
      enabled: (w) => isFreed(w, f) || peekField(w, refTo('dma_fence', f), 'signaled'),
      fire: (w) => !isFreed(w, f),
      waitsFor: () => `${f} is not signaled`,
    };
    if (r !== true) useAfterFree(ctx, f, `dma_fence_wait on ${f}`);
    return timeout;
  }
  const r = yield {
    action: `dma_fence_wait_timeout(${f})`,
    locs: [f],
    fire: (w) => (isFreed(w, f) ? null : signaled(w, f)),
  };
  if (typeof r !== 'boolean') useAfterFree(ctx, f, `dma_fence_wait_timeout on ${f}`);
  return r ? Math.max(1, timeout) : 0;
}

/** dma_fence_wait(): 0 once signaled (no signals modelled, so never -ERESTARTSYS). */
export function* dma_fence_wait(ctx: Ctx, f: Handle<'dma_fence'>, intr: boolean): Gen<number> {
  yield* dma_fence_wait_timeout(ctx, f, intr, MAX_SCHEDULE_TIMEOUT);
  return 0;
}

primitives(
  dma_fence_get,
  dma_fence_put,
  dma_fence_release,
  dma_fence_begin_signalling,
  dma_fence_end_signalling,
  dma_fence_signal,
  dma_fence_is_signaled,
  dma_fence_wait_timeout,
  dma_fence_wait,
);
