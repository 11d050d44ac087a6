import type { Ctx } from '../checker/context.ts';
import type { Value } from '../checker/value.ts';

import type { Gen } from '../kernel/types.ts';

/** What a kernel function yields and resumes with: the one generator type of kernel/ and model/. */
export type { Gen };

/** A kernel function of a function table: the bound kernel first, then its C arguments. */
export type KernelFn<K> = (k: K, ...args: never[]) => Gen<unknown>;

/** A table's functions with `k` bound: `k.vfio_pci_dma_buf_move(vdev, true)` reads like the C call. */
export type Bound<K, T> = {
  readonly [N in keyof T]: T[N] extends (k: K, ...args: infer A) => infer G ? (...args: A) => G : never;
};

function asValue(v: unknown): Value {
  if (v === undefined || typeof v === 'function') return null;
  if (v === null || typeof v !== 'object') return v as Value;
  if (Array.isArray(v)) return v.map(asValue);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asValue(x)]));
}

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return v === null || typeof v !== 'object' ? String(v) : Array.isArray(v) ? 'an array' : 'an object';
}

function* watched(ctx: Ctx, name: string, args: unknown[], body: Gen<unknown>): Gen<unknown> {
  const ret = yield* body;
  ctx.emit({ type: 'return', fn: name, args: asValue(args), ret: asValue(ret) });
  return ret;
}

/**
 * Builds, once per design, a prototype whose methods call the design's version
 * of each function inside a stack frame named after it; each operation then
 * gets a cheap object over that prototype holding its thread's ctx.
 * `watchedReturns`: functions whose returns are reported to monitors as
 * `{ type: 'return', fn, args, ret }` events, named by the properties checked
 * (e.g. "when vfio_pci_dma_buf_move(vdev, true) returns"), so the model needs
 * to know nothing about properties.
 */
export function binder<T extends Record<string, (k: never, ...args: never[]) => Gen<unknown>>, Extra extends object>(
  table: T,
  watchedReturns: ReadonlySet<string>,
): (ctx: Ctx, extra: Extra) => Bound<{ ctx: Ctx } & Extra, T> & { ctx: Ctx } & Extra {
  const proto: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(table)) {
    const watch = watchedReturns.has(name);
    proto[name] = function (this: { ctx: Ctx }, ...args: unknown[]) {
      const body = (fn as (k: unknown, ...a: unknown[]) => Gen<unknown>)(this, ...args);
      // `function` for `function*`: name it here, before `yield*` says only "0 is not iterable"
      if (typeof (body as Partial<Gen<unknown>> | null)?.next !== 'function')
        this.ctx.fail('model-error', `${name} is not a generator function: it returned ${shown(body)} (write function* ${name})`);
      const ctx = this.ctx;
      if (!watch) return ctx.framed(name, body, null, null);
      return ctx.framed(
        name,
        body,
        (ret) => ctx.emit({ type: 'return', fn: name, args: asValue(args), ret: asValue(ret) }),
        () => watched(ctx, name, args, body),
      );
    };
  }
  return (ctx, extra) => Object.assign(Object.create(proto), extra, { ctx });
}
