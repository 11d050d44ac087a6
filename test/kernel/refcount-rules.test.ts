import { describe, expect, it } from 'vitest';
import type { Ctx, OpFn } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { Value } from '../../checker/value.ts';
import { kref_get, kref_get_unless_zero, kref_init, kref_put, kref_read } from '../../kernel/kref.ts';
import {
  type Counter,
  refcount_dec,
  refcount_dec_and_test,
  refcount_inc,
  refcount_inc_not_zero,
  refcount_read,
  refcount_set,
} from '../../kernel/refcount.ts';
import { kfree, kzalloc } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';
import type { Gen } from '../../kernel/types.ts';

/**
 * refcount_t and kref, operation by operation against lib/refcount.c and
 * include/linux/refcount.h: the new count, the result, and where the kernel
 * would WARN (refcount_warn_saturate) the model's violation instead. Counts live
 * in `obj.refcount` or, given a `{obj, field}` ref, in any field.
 */

type Call = (ctx: Ctx) => Gen<unknown>;

function run(start: number, call: Call, field = 'refcount') {
  const system: System = {
    name: 'refcount',
    setup: (w) => {
      kzalloc(w, 'obj', { [field]: start }, 'obj');
    },
    ops: {
      *t(ctx: Ctx) {
        return (yield* call(ctx)) as Value;
      },
    } as unknown as Record<string, OpFn>,
    stepContext: heldLocks,
  };
  const exec = runScenario(system, { threads: [{ name: 'T', ops: [{ op: 't', args: {} }] }] }, SEQUENTIAL, { record: 'full' });
  const count = exec.world.peek('obj', field);
  return { exec, count, result: exec.violation ? undefined : exec.results('T')[0], kind: exec.violation?.kind ?? null };
}

const on =
  (fn: (ctx: Ctx, ref: Counter) => Gen<unknown>, ref: Counter = 'obj'): Call =>
  (ctx) =>
    ctx.call(fn, ref);

// op, count before -> count after, result (null: a void function), violation (null: none)
const TABLE: readonly [string, Call, number, number, unknown, string | null][] = [
  ['refcount_inc', on(refcount_inc), 1, 2, null, null],
  ['refcount_inc', on(refcount_inc), 2, 3, null, null],
  // "addition on 0; use-after-free": the count stays (saturation is the kernel's way to go on)
  ['refcount_inc', on(refcount_inc), 0, 0, null, 'refcount-inc-from-zero'],
  ['refcount_inc_not_zero', on(refcount_inc_not_zero), 0, 0, false, null],
  ['refcount_inc_not_zero', on(refcount_inc_not_zero), 1, 2, true, null],
  ['refcount_inc_not_zero', on(refcount_inc_not_zero), 5, 6, true, null],
  ['refcount_dec_and_test', on(refcount_dec_and_test), 1, 0, true, null],
  ['refcount_dec_and_test', on(refcount_dec_and_test), 2, 1, false, null],
  ['refcount_dec_and_test', on(refcount_dec_and_test), 0, 0, null, 'refcount-underflow'],
  ['refcount_dec', on(refcount_dec), 2, 1, null, null],
  ['refcount_dec', on(refcount_dec), 3, 2, null, null],
  // refcount_dec() must not reach 0: "decrement hit 0; leaking memory"
  ['refcount_dec', on(refcount_dec), 1, 0, null, 'refcount-leak'],
  ['refcount_dec', on(refcount_dec), 0, 0, null, 'refcount-underflow'],
  ['refcount_read', on(refcount_read), 0, 0, 0, null],
  ['refcount_read', on(refcount_read), 4, 4, 4, null],
  ['refcount_set', (ctx) => ctx.call(refcount_set, 'obj', 7), 2, 7, null, null],
  ['kref_init', on(kref_init), 0, 1, null, null],
  ['kref_init', on(kref_init), 3, 1, null, null],
  ['kref_read', on(kref_read), 3, 3, 3, null],
  ['kref_get', on(kref_get), 1, 2, null, null],
  ['kref_get', on(kref_get), 0, 0, null, 'refcount-inc-from-zero'],
  ['kref_get_unless_zero', on(kref_get_unless_zero), 0, 0, false, null],
  ['kref_get_unless_zero', on(kref_get_unless_zero), 2, 3, true, null],
];

describe('refcount_t and kref: count, result, warning', () => {
  for (const [name, call, before, after, result, kind] of TABLE) {
    it(`${name} at ${before}: ${kind ?? `${after}${result === null ? '' : `, returns ${String(result)}`}`}`, () => {
      const r = run(before, call);
      expect(r.kind).toBe(kind);
      expect(r.count).toBe(after);
      if (!kind) expect(r.result).toBe(result);
    });
  }

  it('the same rules on a counter in another field', () => {
    const ref = { obj: 'obj', field: 'users' };
    expect(run(1, on(refcount_inc, ref), 'users').count).toBe(2);
    expect(run(1, on(refcount_dec_and_test, ref), 'users').result).toBe(true);
    expect(run(0, on(refcount_inc, ref), 'users').exec.violation?.message).toBe(
      'refcount_t: addition on 0; use-after-free. refcount_inc(obj.users) in t > refcount_inc',
    );
  });

  it('each warning is the kernel WARN of refcount_warn_saturate, with the stack', () => {
    const v = run(1, on(refcount_dec)).exec.violation;
    expect(v?.message).toBe('refcount_t: decrement hit 0; leaking memory. refcount_dec(obj.refcount) in t > refcount_dec');
    expect(v?.report).toBe(
      [
        '------------[ cut here ]------------',
        'refcount_t: decrement hit 0; leaking memory.',
        'WARNING: at refcount_warn_saturate, called from refcount_dec',
        ' refcount_dec',
        ' t',
        '---[ end trace ]---',
      ].join('\n'),
    );
    expect(run(0, on(refcount_dec_and_test)).exec.violation?.message).toBe(
      'refcount_t: underflow; use-after-free. refcount_dec_and_test(obj.refcount) in t > refcount_dec_and_test',
    );
  });

  it('every operation is one step that reports the change as an event', () => {
    const r = run(2, on(refcount_dec_and_test));
    const steps = r.exec.steps.filter((s) => s.events.some((e) => e.type === 'refcount'));
    expect(steps.map((s) => s.action)).toEqual(['refcount_dec_and_test(obj.refcount)']);
    expect(steps[0]?.events).toEqual([
      { type: 'refcount', obj: 'obj', field: 'refcount', op: 'dec_and_test', from: 2, to: 1, fn: 'refcount_dec_and_test' },
    ]);
    const read = run(3, on(refcount_read)).exec.steps.flatMap((s) => s.events);
    expect(read).toContainEqual({ type: 'refcount', obj: 'obj', field: 'refcount', op: 'read', from: 3, to: 3, fn: 'refcount_read' });
  });

  it('an operation on a freed object is a use-after-free, not a count', () => {
    const freed: Call = function* (ctx) {
      yield* ctx.call(kfree, 'obj');
      yield* ctx.call(refcount_inc, 'obj');
    };
    const v = run(1, freed).exec.violation;
    expect(v?.kind).toBe('use-after-free');
    expect(v?.message).toContain('refcount_inc on obj->refcount');
  });

  it('kref_put releases exactly on the last put, inside kref_put, with the object', () => {
    const released: string[] = [];
    function* release(_ctx: Ctx, obj: string): Gen<void> {
      released.push(obj);
    }
    const put: Call = function* (ctx) {
      return [yield* ctx.call(kref_put, 'obj', release), yield* ctx.call(kref_put, 'obj', release)];
    };
    const r = run(2, put);
    expect(r.result).toEqual([false, true]);
    expect(released).toEqual(['obj']);
    expect(r.count).toBe(0);
  });
});
