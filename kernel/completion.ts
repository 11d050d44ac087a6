import type { Ctx } from '../checker/context.ts';
import { getField, type Handle, peekField, type Ref, refTo, setField } from '../checker/kind.ts';
import type { World } from '../checker/world.ts';
import { completion } from './kinds.ts';
import { lockdep_signal, lockdep_wait } from './lockdep/annotate.ts';
import { primitives } from './primitive.ts';
import { useAfterFree } from './slab.ts';
import { allocKind, type Gen, isFreed, type Where } from './types.ts';

/**
 * struct completion (kernel/sched/completion.c): a `done` count. complete() adds
 * one (saturating at UINT_MAX), complete_all() sets UINT_MAX, which waits never
 * consume; a wait sleeps until done > 0 and then takes one.
 *
 * Lockdep (not in mainline since crossrelease was reverted; modelled as DEPT
 * and the dma-fence annotations do it): each completion has a wait class, a
 * pseudo-lock. Waiting under held locks L adds L -> class; complete() under held
 * locks L adds class -> L (the signal needs L). A wait under a lock its
 * signaller needs is then a cycle through the class (`wait-under-lock`). Timed
 * waits are annotated too, like dma_fence_wait_timeout().
 */

/** done value of complete_all(): UINT_MAX. */
export const COMPLETION_ALL = 4294967295;

/** Default wait class of a completion named `name`: `(completion)name`, as crossrelease printed it. */
export function completionClass(name: string): string {
  return `(completion)${name}`;
}

export interface CompletionInit {
  readonly id?: string;
  /** the lockdep wait class (default `(completion)<name>`) */
  readonly class?: string;
}

/** init_completion(): `name` is how the kernel spells it, e.g. `&priv->comp`. */
export function init_completion(where: Where, name: string, init: CompletionInit = {}): Ref<'completion'> {
  return allocKind(where, completion, { name, class: init.class ?? completionClass(name) }, init.id);
}

/**
 * A completion embedded in a freed object (priv->comp after kfree(priv)) may
 * not be touched: checked when the call is reached and, for the point's own
 * access, when it fires (a waiter is woken by the free, as KASAN would catch it).
 */
const GONE = '__freed';
function live(ctx: Ctx, c: Handle<'completion'>, fn: string, r?: unknown): void {
  if (r === GONE || isFreed(ctx.world, c)) useAfterFree(ctx, c, `${fn} on ${c}`);
}

function cname(w: World, c: Handle<'completion'>): string {
  return peekField(w, refTo('completion', c), 'name');
}
function cclass(w: World, c: Handle<'completion'>): string {
  return peekField(w, refTo('completion', c), 'class');
}
function done(w: World, c: Handle<'completion'>): number {
  return getField(w, refTo('completion', c), 'done');
}
function take(w: World, c: Handle<'completion'>): void {
  const d = done(w, c);
  if (d !== COMPLETION_ALL) setField(w, refTo('completion', c), 'done', d - 1);
}

export function* wait_for_completion(ctx: Ctx, c: Handle<'completion'>): Gen<void> {
  live(ctx, c, 'wait_for_completion');
  lockdep_wait(ctx, c, cclass(ctx.world, c), 'wait_for_completion');
  const r = yield {
    action: `wait_for_completion(${cname(ctx.world, c)})`,
    locs: [c],
    enabled: (w) => isFreed(w, c) || peekField(w, refTo('completion', c), 'done') > 0,
    fire: (w) => {
      if (isFreed(w, c)) return GONE;
      take(w, c);
      return undefined;
    },
    waitsFor: (w) => `${cname(w, c)} is not completed`,
  };
  live(ctx, c, 'wait_for_completion', r);
}

/** Interruptible/killable waits: signals are not modelled, so like wait_for_completion(), returning 0. */
export function* wait_for_completion_interruptible(ctx: Ctx, c: Handle<'completion'>): Gen<number> {
  yield* wait_for_completion(ctx, c);
  return 0;
}

/**
 * wait_for_completion_timeout(): the timeout may expire at any moment, so it is
 * one step that takes the completion if done, else returns 0 (timed out); the
 * search tries the completer before and after it. Returns `timeout` (time left) on success.
 */
export function* wait_for_completion_timeout(ctx: Ctx, c: Handle<'completion'>, timeout: number): Gen<number> {
  live(ctx, c, 'wait_for_completion_timeout');
  lockdep_wait(ctx, c, cclass(ctx.world, c), 'wait_for_completion_timeout');
  const ok = yield {
    action: `wait_for_completion_timeout(${cname(ctx.world, c)})`,
    locs: [c],
    fire: (w) => {
      if (isFreed(w, c)) return GONE;
      if (done(w, c) === 0) return false;
      take(w, c);
      return true;
    },
  };
  live(ctx, c, 'wait_for_completion_timeout', ok);
  return ok === true ? Math.max(1, timeout) : 0;
}

/** try_wait_for_completion(): takes one without sleeping, or returns false. */
export function* try_wait_for_completion(ctx: Ctx, c: Handle<'completion'>): Gen<boolean> {
  const ok = yield {
    action: `try_wait_for_completion(${cname(ctx.world, c)})`,
    locs: [c],
    fire: (w) => {
      if (done(w, c) === 0) return false;
      take(w, c);
      return true;
    },
  };
  return ok === true;
}

/** completion_done(): true if a wait would not sleep. */
export function* completion_done(ctx: Ctx, c: Handle<'completion'>): Gen<boolean> {
  const v = yield { action: `completion_done(${cname(ctx.world, c)})`, locs: [c], fire: (w) => done(w, c) > 0 };
  return v === true;
}

export function* complete(ctx: Ctx, c: Handle<'completion'>): Gen<void> {
  live(ctx, c, 'complete');
  lockdep_signal(ctx, c, cclass(ctx.world, c), 'complete');
  const r = yield {
    action: `complete(${cname(ctx.world, c)})`,
    locs: [c],
    fire: (w) => {
      if (isFreed(w, c)) return GONE;
      const d = done(w, c);
      if (d !== COMPLETION_ALL) setField(w, refTo('completion', c), 'done', d + 1);
      return undefined;
    },
  };
  live(ctx, c, 'complete', r);
}

export function* complete_all(ctx: Ctx, c: Handle<'completion'>): Gen<void> {
  lockdep_signal(ctx, c, cclass(ctx.world, c), 'complete_all');
  yield {
    action: `complete_all(${cname(ctx.world, c)})`,
    locs: [c],
    fire: (w) => {
      setField(w, refTo('completion', c), 'done', COMPLETION_ALL);
      return undefined;
    },
  };
}

/** reinit_completion(): done = 0. */
export function* reinit_completion(ctx: Ctx, c: Handle<'completion'>): Gen<void> {
  live(ctx, c, 'reinit_completion');
  const r = yield {
    action: `reinit_completion(${cname(ctx.world, c)})`,
    locs: [c],
    fire: (w) => {
      if (isFreed(w, c)) return GONE;
      setField(w, refTo('completion', c), 'done', 0);
      return undefined;
    },
  };
  live(ctx, c, 'reinit_completion', r);
}

primitives(
  wait_for_completion,
  wait_for_completion_interruptible,
  wait_for_completion_timeout,
  try_wait_for_completion,
  completion_done,
  complete,
  complete_all,
  reinit_completion,
);
