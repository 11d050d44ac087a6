import type { Ctx } from '../checker/context.ts';
import { primitives } from './primitive.ts';
import { type Counter, refcountDecAndTest, refcountInc, refcountIncNotZero, refcountRead, refcountSet, refParts } from './refcount.ts';
import type { Gen } from './types.ts';

/**
 * struct kref (include/linux/kref.h): a refcount_t whose last put calls a
 * release function. The kref lives in a field of its containing object
 * (`refcount` by default); release gets the object id (container_of).
 */

export type KrefRelease = (ctx: Ctx, obj: string) => Gen<unknown>;

/** kref_init(): sets the count to 1 (also used to re-arm a kref that reached 0). */
export function* kref_init(ctx: Ctx, ref: Counter): Gen<void> {
  yield* refcountSet(ctx, ref, 1, 'kref_init');
}

export function* kref_read(ctx: Ctx, ref: Counter): Gen<number> {
  return yield* refcountRead(ctx, ref, 'kref_read');
}

export function* kref_get(ctx: Ctx, ref: Counter): Gen<void> {
  yield* refcountInc(ctx, ref, 'kref_get');
}

export function* kref_get_unless_zero(ctx: Ctx, ref: Counter): Gen<boolean> {
  return yield* refcountIncNotZero(ctx, ref, 'kref_get_unless_zero');
}

/** kref_put(): true when this put released the object (release ran, in this thread, inside kref_put). */
export function* kref_put(ctx: Ctx, ref: Counter, release: KrefRelease): Gen<boolean> {
  if (!(yield* refcountDecAndTest(ctx, ref, 'kref_put'))) return false;
  yield* ctx.call(release, refParts(ref).obj);
  return true;
}

primitives(kref_init, kref_read, kref_get, kref_get_unless_zero, kref_put);
