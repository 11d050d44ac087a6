import type { Ctx } from '../checker/context.ts';
import type { RefcountEvent } from './lockdep/events.ts';
import { primitives, stackText } from './primitive.ts';
import { useAfterFree } from './slab.ts';
import { type Gen, isFreed } from './types.ts';

/**
 * refcount_t (include/linux/refcount.h, lib/refcount.c). Every operation is one
 * atomic scheduling point. Where the kernel would WARN and saturate
 * (refcount_warn_saturate) the model stops with a violation:
 * dec at 0 -> `refcount-underflow` ("underflow; use-after-free"),
 * inc at 0 -> `refcount-inc-from-zero` ("addition on 0; use-after-free"),
 * refcount_dec() to 0 -> `refcount-leak` ("decrement hit 0; leaking memory").
 * An operation on a kfree'd object is a `use-after-free`.
 */

/** A counter: a field of an object (`refcount` unless given). */
export type Counter = string | { readonly obj: string; readonly field: string };

export function refParts(ref: Counter): { readonly obj: string; readonly field: string } {
  return typeof ref === 'string' ? { obj: ref, field: 'refcount' } : ref;
}

function refText(ref: Counter): string {
  const { obj, field } = refParts(ref);
  return `${obj}.${field}`;
}

/**
 * One atomic read-modify-write: `next(old)` gives the new value (null: leave it).
 * Returns the old value, after the use-after-free check.
 */
function* rmw(ctx: Ctx, ref: Counter, fn: string, op: string, next: (old: number) => number | null): Gen<number> {
  const { obj, field } = refParts(ref);
  const old = yield {
    action: `${fn}(${refText(ref)})`,
    locs: [obj],
    fire: (w) => {
      if (isFreed(w, obj)) return null;
      const o = w.get(obj, field) as number;
      const n = next(o);
      if (n !== null) w.set(obj, field, n);
      return o;
    },
  };
  if (typeof old !== 'number') useAfterFree(ctx, obj, `${fn} on ${obj}->${field}`);
  const to = next(old) ?? old;
  const ev: RefcountEvent = { type: 'refcount', obj, field, op, from: old, to, fn };
  ctx.emit(ev);
  return old;
}

function warn(ctx: Ctx, kind: string, fn: string, ref: Counter, text: string): never {
  return ctx.fail(
    kind,
    `refcount_t: ${text} ${fn}(${refText(ref)}) in ${stackText(ctx.stack)}`,
    [
      '------------[ cut here ]------------',
      `refcount_t: ${text}`,
      `WARNING: at refcount_warn_saturate, called from ${fn}`,
      ...[...ctx.stack].reverse().map((f) => ` ${f}`),
      '---[ end trace ]---',
    ].join('\n'),
  );
}

export function* refcountSet(ctx: Ctx, ref: Counter, n: number, fn: string): Gen<void> {
  yield* rmw(ctx, ref, fn, 'set', () => n);
}

export function* refcountInc(ctx: Ctx, ref: Counter, fn: string): Gen<void> {
  const old = yield* rmw(ctx, ref, fn, 'inc', (o) => (o === 0 ? null : o + 1));
  if (old === 0) warn(ctx, 'refcount-inc-from-zero', fn, ref, 'addition on 0; use-after-free.');
}

export function* refcountIncNotZero(ctx: Ctx, ref: Counter, fn: string): Gen<boolean> {
  const old = yield* rmw(ctx, ref, fn, 'inc_not_zero', (o) => (o === 0 ? null : o + 1));
  return old !== 0;
}

export function* refcountDecAndTest(ctx: Ctx, ref: Counter, fn: string): Gen<boolean> {
  const old = yield* rmw(ctx, ref, fn, 'dec_and_test', (o) => (o === 0 ? null : o - 1));
  if (old === 0) warn(ctx, 'refcount-underflow', fn, ref, 'underflow; use-after-free.');
  return old === 1;
}

export function* refcountDec(ctx: Ctx, ref: Counter, fn: string): Gen<void> {
  const old = yield* rmw(ctx, ref, fn, 'dec', (o) => (o === 0 ? null : o - 1));
  if (old === 0) warn(ctx, 'refcount-underflow', fn, ref, 'underflow; use-after-free.');
  if (old === 1) warn(ctx, 'refcount-leak', fn, ref, 'decrement hit 0; leaking memory.');
}

export function* refcountRead(ctx: Ctx, ref: Counter, fn: string): Gen<number> {
  return yield* rmw(ctx, ref, fn, 'read', () => null);
}

export function* refcount_set(ctx: Ctx, ref: Counter, n: number): Gen<void> {
  yield* refcountSet(ctx, ref, n, 'refcount_set');
}
export function* refcount_read(ctx: Ctx, ref: Counter): Gen<number> {
  return yield* refcountRead(ctx, ref, 'refcount_read');
}
export function* refcount_inc(ctx: Ctx, ref: Counter): Gen<void> {
  yield* refcountInc(ctx, ref, 'refcount_inc');
}
export function* refcount_inc_not_zero(ctx: Ctx, ref: Counter): Gen<boolean> {
  return yield* refcountIncNotZero(ctx, ref, 'refcount_inc_not_zero');
}
export function* refcount_dec(ctx: Ctx, ref: Counter): Gen<void> {
  yield* refcountDec(ctx, ref, 'refcount_dec');
}
export function* refcount_dec_and_test(ctx: Ctx, ref: Counter): Gen<boolean> {
  return yield* refcountDecAndTest(ctx, ref, 'refcount_dec_and_test');
}

primitives(
  rmw,
  refcountSet,
  refcountInc,
  refcountIncNotZero,
  refcountDecAndTest,
  refcountDec,
  refcountRead,
  refcount_set,
  refcount_read,
  refcount_inc,
  refcount_inc_not_zero,
  refcount_dec,
  refcount_dec_and_test,
);
