import { Ctx, type Gen } from '../checker/context.ts';
import { type Fields, initialFields, type KindDecl, type Ref } from '../checker/kind.ts';
import type { Value } from '../checker/value.ts';
import { World } from '../checker/world.ts';

/**
 * What every kernel function is (checker/context.ts Gen). Call it as `yield* ctx.call(mutex_lock, lock)`
 * so that traces show kernel-like stacks (`vfio_pci_dma_buf_cleanup > down_write`).
 */
export type { Gen };

/** A kernel function the model may call through `ctx.call`. */
export type KFn<A extends unknown[] = never[], R = unknown> = (ctx: Ctx, ...args: A) => Gen<R>;

/**
 * Where objects are created: the world itself (in `System.setup`, before any
 * thread runs) or a running thread (its ctx, so the new id is logged).
 */
export type Where = Ctx | World;

export function worldOf(where: Where): World {
  return where instanceof World ? where : where.world;
}

/**
 * Creates a world object. With a thread context and no explicit id the id comes
 * from `ctx.create` (logged, as the search needs); an explicit id is a constant of
 * the model, so it needs no logging.
 */
export function alloc(where: Where, kind: string, fields: Record<string, Value>, id?: string): string {
  if (where instanceof Ctx) return id === undefined ? where.create(kind, fields) : where.world.create(kind, fields, null, id);
  return where.create(kind, fields, null, id);
}

/**
 * Creates an object of a declared kind (kinds.ts): its declared fields, some
 * given, in the declaration's order; the id as alloc() makes it.
 */
export function allocKind<K extends string, F extends Fields>(
  where: Where,
  decl: KindDecl<K, F, { type: string }>,
  given: Partial<F>,
  id?: string,
): Ref<K> {
  return alloc(where, decl.kind, initialFields(decl, given), id) as Ref<K>;
}

/** A field every kernel-allocated object has: set by kfree(), checked by every accessor. */
export const FREED = '__freed';

/**
 * True once kfree() ran on the object (or it never existed). Objects not made by
 * the kernel helpers have no such field and count as live.
 */
export function isFreed(w: World, id: string): boolean {
  return !w.has(id) || w.peekOr(id, FREED, false) === true;
}
