import { Ctx } from '../checker/context.ts';
import {
  type FieldName,
  type Fields,
  type FieldsOf,
  type Id,
  initialFields,
  type KindDecl,
  type KindName,
  type Ref,
} from '../checker/kind.ts';
import type { Value } from '../checker/value.ts';
import type { World } from '../checker/world.ts';
import type { AllocEvent, FreeEvent } from './lockdep/events.ts';
import { callerOf, primitives, stackText } from './primitive.ts';
import { alloc, FREED, type Gen, isFreed, type Where } from './types.ts';

/**
 * Memory (mm/slub.c kzalloc/kfree) with KASAN-like checks: a freed object stays
 * in the world, marked, so any later access through the kernel accessors is a
 * `use-after-free` and a second kfree a `double-free`.
 */

export function kzalloc(where: Where, kind: string, fields: Record<string, Value>, id?: string): string {
  const obj = alloc(where, kind, { ...fields, [FREED]: false }, id);
  if (where instanceof Ctx) {
    const ev: AllocEvent = { type: 'alloc', obj, kind };
    where.emit(ev);
  }
  return obj;
}

/** kzalloc() of an object of a declared kind (kinds.ts): its declared fields, some given, then the slab's own marker. */
export function kzallocKind<K extends string, F extends Fields>(
  where: Where,
  decl: KindDecl<K, F, { type: string }>,
  given: Partial<F>,
  id?: string,
): Ref<K> {
  return kzalloc(where, decl.kind, initialFields(decl, given), id) as Ref<K>;
}

/** Who freed an object, for reports ("Freed by task ..."). */
export function freedBy(w: World, obj: string): string {
  if (!w.has(obj)) return 'never allocated';
  const by = w.peekOr(obj, '__freed_by', undefined);
  const stack = by === undefined ? undefined : w.peekOr(obj, '__freed_stack', undefined);
  return stack === undefined ? 'unknown' : `${by as string} in ${stackText(stack as string[])}`;
}

function kasan(ctx: Ctx, what: string, obj: string, access: string): string {
  return [
    '==================================================================',
    `BUG: KASAN: ${what} in ${callerOf(ctx.stack)}`,
    `${access} ${obj} by task ${ctx.thread}:`,
    ...[...ctx.stack].reverse().map((f) => ` ${f}`),
    '',
    `Freed by task ${freedBy(ctx.world, obj)}`,
    '==================================================================',
  ].join('\n');
}

/** Stops the execution with a use-after-free on `obj`; `access` says how it was touched (and names it). */
export function useAfterFree(ctx: Ctx, obj: string, access: string): never {
  return ctx.fail(
    'use-after-free',
    `use-after-free: ${access} in ${stackText(ctx.stack)}; ${obj} was freed by ${freedBy(ctx.world, obj)}`,
    kasan(ctx, 'slab-use-after-free', obj, access),
  );
}

/**
 * kfree(): a scheduling point (others may still reach the object). kfree(NULL)
 * does nothing. `members` are the structs embedded in the allocation (priv->kref,
 * priv->comp, the dma_buf's own resv): they are freed with it, by the same task.
 */
export function* kfree(ctx: Ctx, obj: string | null, members: readonly string[] = []): Gen<void> {
  if (obj === null) return;
  const me = ctx.thread;
  const stack = [...ctx.stack];
  const first = yield {
    action: `kfree(${obj})`,
    locs: [obj, ...members],
    fire: (w) => {
      if (isFreed(w, obj)) return false;
      for (const o of [obj, ...members]) {
        if (!w.has(o)) continue;
        w.set(o, FREED, true);
        w.set(o, '__freed_by', me);
        w.set(o, '__freed_stack', stack);
      }
      return true;
    },
  };
  if (first !== true)
    ctx.fail(
      'double-free',
      `double-free: kfree(${obj}) in ${stackText(ctx.stack)}; already freed by ${freedBy(ctx.world, obj)}`,
      kasan(ctx, 'double-free', obj, 'Free of'),
    );
  const ev: FreeEvent = { type: 'free', obj, fn: callerOf(ctx.stack) };
  ctx.emit(ev);
}

/**
 * Reads a field of a kernel object (a plain C load). Not a scheduling point: use
 * it for data protected by a held lock or owned by the thread; racy accesses go
 * through READ_ONCE/WRITE_ONCE (once.ts).
 */
export function load<K extends KindName, F extends FieldName<K>>(ctx: Ctx, obj: Ref<K>, field: F): FieldsOf<K>[F];
export function load<T extends Value = Value>(ctx: Ctx, obj: Id, field: string): T;
export function load(ctx: Ctx, obj: string, field: string): Value {
  if (isFreed(ctx.world, obj)) useAfterFree(ctx, obj, `read of ${obj}->${field}`);
  return ctx.get(obj as Id, field);
}

/** Writes a field of a kernel object (a plain C store); see load(). */
export function store<K extends KindName, F extends FieldName<K>>(
  ctx: Ctx,
  obj: Ref<K>,
  field: F,
  value: Exclude<FieldsOf<K>[F], undefined>,
): void;
export function store(ctx: Ctx, obj: Id, field: string, value: Value): void;
export function store(ctx: Ctx, obj: string, field: string, value: Value): void {
  if (isFreed(ctx.world, obj)) useAfterFree(ctx, obj, `write of ${obj}->${field}`);
  ctx.set(obj as Id, field, value);
}

primitives(kfree);
