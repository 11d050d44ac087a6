import type { Ctx } from '../checker/context.ts';
import type { Value } from '../checker/value.ts';
import { primitives } from './primitive.ts';
import { useAfterFree } from './slab.ts';
import { type Gen, isFreed } from './types.ts';

/**
 * READ_ONCE/WRITE_ONCE (include/asm-generic/rwonce.h): a shared access with no
 * lock held, so another thread may run between it and the next one. Each is a
 * scheduling point; a read-modify-write made of the two can lose updates, as in
 * the kernel.
 */

export function* READ_ONCE<T extends Value = Value>(ctx: Ctx, obj: string, field: string): Gen<T> {
  const r = (yield {
    action: `READ_ONCE(${obj}->${field})`,
    locs: [obj],
    fire: (w) => (isFreed(w, obj) ? [false] : [true, w.get(obj, field)]),
  }) as readonly Value[];
  if (r[0] !== true) useAfterFree(ctx, obj, `READ_ONCE of ${obj}->${field}`);
  return r[1] as T;
}

export function* WRITE_ONCE(ctx: Ctx, obj: string, field: string, value: Value): Gen<void> {
  const ok = yield {
    action: `WRITE_ONCE(${obj}->${field}, ${JSON.stringify(value)})`,
    locs: [obj],
    fire: (w) => {
      if (isFreed(w, obj)) return false;
      w.set(obj, field, value);
      return true;
    },
  };
  if (ok !== true) useAfterFree(ctx, obj, `WRITE_ONCE of ${obj}->${field}`);
}

primitives(READ_ONCE, WRITE_ONCE);
