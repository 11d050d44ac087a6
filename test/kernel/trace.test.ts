import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../checker/context.ts';
import type { World } from '../../checker/world.ts';
import {
  complete,
  complete_all,
  completion_done,
  init_completion,
  reinit_completion,
  try_wait_for_completion,
  wait_for_completion,
  wait_for_completion_interruptible,
  wait_for_completion_timeout,
} from '../../kernel/completion.ts';
import { kref_get, kref_get_unless_zero, kref_init, kref_put, kref_read } from '../../kernel/kref.ts';
import {
  mutex_init,
  mutex_is_locked,
  mutex_lock,
  mutex_lock_interruptible,
  mutex_lock_nested,
  mutex_trylock,
  mutex_unlock,
} from '../../kernel/mutex.ts';
import { READ_ONCE, WRITE_ONCE } from '../../kernel/once.ts';
import {
  refcount_dec,
  refcount_dec_and_test,
  refcount_inc,
  refcount_inc_not_zero,
  refcount_read,
  refcount_set,
} from '../../kernel/refcount.ts';
import {
  down_read,
  down_read_nested,
  down_read_trylock,
  down_write,
  down_write_nested,
  down_write_trylock,
  downgrade_write,
  init_rwsem,
  rwsem_is_locked,
  up_read,
  up_write,
} from '../../kernel/rwsem.ts';
import { kfree, kzalloc } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';
import type { Gen } from '../../kernel/types.ts';
import { wait_event } from '../../kernel/wait.ts';
import { ww_mutex_init, ww_mutex_lock, ww_mutex_lock_interruptible, ww_mutex_trylock, ww_mutex_unlock } from '../../kernel/ww_mutex.ts';
import { traceOp } from './locks.ts';

/**
 * What each primitive shows in a trace and what it touches: one scheduling
 * point per call, its action text, and the objects of its footprint (what
 * partial-order reduction compares: a lock point touches the lock and the
 * task's own held stack, a counter or completion point its object), and what
 * it returns.
 */

function setup(w: World): void {
  mutex_init(w, '&m', { id: 'm' });
  init_rwsem(w, '&sem', { id: 'sem' });
  ww_mutex_init(w, 'reservation_ww_class_mutex', { id: 'ww' });
  init_completion(w, '&c', { id: 'c' });
  kzalloc(w, 'obj', { refcount: 1, users: 0, flag: false }, 'o');
  kzalloc(w, 'obj', {}, 'gone');
}

const trace = (op: (ctx: Ctx) => Gen<unknown>) => traceOp(setup, op);

describe('what each primitive shows and touches', () => {
  it('mutex and ww_mutex', () => {
    const r = trace(function* (ctx) {
      yield* ctx.call(mutex_lock, 'm');
      const locked = yield* ctx.call(mutex_is_locked, 'm');
      yield* ctx.call(mutex_unlock, 'm');
      const free = yield* ctx.call(mutex_is_locked, 'm');
      const i = yield* ctx.call(mutex_lock_interruptible, 'm');
      yield* ctx.call(mutex_unlock, 'm');
      yield* ctx.call(mutex_lock_nested, 'm', 2);
      yield* ctx.call(mutex_unlock, 'm');
      const t = yield* ctx.call(mutex_trylock, 'm');
      yield* ctx.call(mutex_unlock, 'm');
      const a = yield* ctx.call(ww_mutex_lock, 'ww', null);
      yield* ctx.call(ww_mutex_unlock, 'ww');
      const b = yield* ctx.call(ww_mutex_lock_interruptible, 'ww', null);
      yield* ctx.call(ww_mutex_unlock, 'ww');
      const c = yield* ctx.call(ww_mutex_trylock, 'ww', null);
      yield* ctx.call(ww_mutex_unlock, 'ww');
      return [locked, free, i, t, a, b, c];
    });
    expect(r.steps).toEqual([
      'mutex_lock(&m) @ m,task:T',
      'mutex_is_locked(&m) @ m',
      'mutex_unlock(&m) @ m,task:T',
      'mutex_is_locked(&m) @ m',
      'mutex_lock_interruptible(&m) @ m,task:T',
      'mutex_unlock(&m) @ m,task:T',
      'mutex_lock_nested(&m) @ m,task:T',
      'mutex_unlock(&m) @ m,task:T',
      'mutex_trylock(&m) @ m,task:T',
      'mutex_unlock(&m) @ m,task:T',
      'ww_mutex_lock(reservation_ww_class_mutex) @ ww,task:T',
      'ww_mutex_unlock(reservation_ww_class_mutex) @ ww,task:T',
      'ww_mutex_lock_interruptible(reservation_ww_class_mutex) @ ww,task:T',
      'ww_mutex_unlock(reservation_ww_class_mutex) @ ww,task:T',
      'ww_mutex_trylock(reservation_ww_class_mutex) @ ww,task:T',
      'ww_mutex_unlock(reservation_ww_class_mutex) @ ww,task:T',
    ]);
    expect(r.result).toEqual([true, false, 0, true, 0, 0, true]);
  });

  it('rwsem', () => {
    const r = trace(function* (ctx) {
      const before = yield* ctx.call(rwsem_is_locked, 'sem');
      yield* ctx.call(down_read, 'sem');
      const reading = yield* ctx.call(rwsem_is_locked, 'sem');
      yield* ctx.call(up_read, 'sem');
      yield* ctx.call(down_write, 'sem');
      const writing = yield* ctx.call(rwsem_is_locked, 'sem');
      yield* ctx.call(downgrade_write, 'sem');
      yield* ctx.call(up_read, 'sem');
      yield* ctx.call(down_read_nested, 'sem', 1);
      yield* ctx.call(up_read, 'sem');
      yield* ctx.call(down_write_nested, 'sem', 1);
      yield* ctx.call(up_write, 'sem');
      const tr = yield* ctx.call(down_read_trylock, 'sem');
      yield* ctx.call(up_read, 'sem');
      const tw = yield* ctx.call(down_write_trylock, 'sem');
      yield* ctx.call(up_write, 'sem');
      const after = yield* ctx.call(rwsem_is_locked, 'sem');
      return [before, reading, writing, tr, tw, after];
    });
    expect(r.steps).toEqual([
      'rwsem_is_locked(&sem) @ sem',
      'down_read(&sem) @ sem,task:T',
      'rwsem_is_locked(&sem) @ sem',
      'up_read(&sem) @ sem,task:T',
      'down_write(&sem) @ sem,task:T',
      'rwsem_is_locked(&sem) @ sem',
      'downgrade_write(&sem) @ sem,task:T',
      'up_read(&sem) @ sem,task:T',
      'down_read_nested(&sem) @ sem,task:T',
      'up_read(&sem) @ sem,task:T',
      'down_write_nested(&sem) @ sem,task:T',
      'up_write(&sem) @ sem,task:T',
      'down_read_trylock(&sem) @ sem,task:T',
      'up_read(&sem) @ sem,task:T',
      'down_write_trylock(&sem) @ sem,task:T',
      'up_write(&sem) @ sem,task:T',
      'rwsem_is_locked(&sem) @ sem',
    ]);
    expect(r.result).toEqual([false, true, true, true, true, false]);
  });

  it('the nested rwsem calls take a subclass of the class', () => {
    const held: string[] = [];
    trace(function* (ctx) {
      yield* ctx.call(down_read_nested, 'sem', 1);
      held.push(heldLocks(ctx.world, 'T').join());
      yield* ctx.call(up_read, 'sem');
      yield* ctx.call(down_write_nested, 'sem', 2);
      held.push(heldLocks(ctx.world, 'T').join());
      yield* ctx.call(up_write, 'sem');
    });
    expect(held).toEqual(['&sem/1 (r)', '&sem/2 (W)']);
  });

  it('each unlock names itself to lockdep, and in the bad unlock it reports', () => {
    const UNLOCKS = [
      [mutex_lock, mutex_unlock, 'm', '&m'],
      [ww_mutex_lock, ww_mutex_unlock, 'ww', 'reservation_ww_class_mutex'],
      [down_read, up_read, 'sem', '&sem'],
      [down_write, up_write, 'sem', '&sem'],
    ] as const;
    for (const [lock, unlock, id, name] of UNLOCKS) {
      const ok = traceOp(
        setup,
        function* (ctx) {
          yield* ctx.call(lock as (ctx: Ctx, l: string) => Gen<unknown>, id);
          yield* ctx.call(unlock, id);
        },
        { record: 'full' },
      );
      const releases = ok.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'release');
      expect(releases, unlock.name).toEqual([{ type: 'release', lock: id, class: name, at: 't', fn: unlock.name }]);
      const bad = trace(function* (ctx) {
        yield* ctx.call(unlock, id);
      });
      expect(bad.violation, unlock.name).toBe(`${unlock.name}(${name}) in t > ${unlock.name}: T releases a lock it does not hold`);
    }
  });

  it('refcount_t and kref', () => {
    function* release(_ctx: Ctx, _obj: string): Gen<void> {}
    const r = trace(function* (ctx) {
      yield* ctx.call(refcount_set, 'o', 2);
      yield* ctx.call(refcount_inc, 'o');
      const nz = yield* ctx.call(refcount_inc_not_zero, 'o');
      yield* ctx.call(refcount_dec, 'o');
      const last = yield* ctx.call(refcount_dec_and_test, 'o');
      const n = yield* ctx.call(refcount_read, 'o');
      yield* ctx.call(kref_init, 'o');
      yield* ctx.call(kref_get, 'o');
      const g = yield* ctx.call(kref_get_unless_zero, 'o');
      const k = yield* ctx.call(kref_read, 'o');
      const p = yield* ctx.call(kref_put, 'o', release);
      return [nz, last, n, g, k, p];
    });
    expect(r.steps).toEqual([
      'refcount_set(o.refcount) @ o',
      'refcount_inc(o.refcount) @ o',
      'refcount_inc_not_zero(o.refcount) @ o',
      'refcount_dec(o.refcount) @ o',
      'refcount_dec_and_test(o.refcount) @ o',
      'refcount_read(o.refcount) @ o',
      'kref_init(o.refcount) @ o',
      'kref_get(o.refcount) @ o',
      'kref_get_unless_zero(o.refcount) @ o',
      'kref_read(o.refcount) @ o',
      'kref_put(o.refcount) @ o',
    ]);
    expect(r.result).toEqual([true, false, 2, true, 3, false]);
  });

  it('completion', () => {
    const r = trace(function* (ctx) {
      const d0 = yield* ctx.call(completion_done, 'c');
      const t0 = yield* ctx.call(try_wait_for_completion, 'c');
      const w0 = yield* ctx.call(wait_for_completion_timeout, 'c', 50);
      yield* ctx.call(complete, 'c');
      yield* ctx.call(complete, 'c');
      const d1 = yield* ctx.call(completion_done, 'c');
      const w1 = yield* ctx.call(wait_for_completion_timeout, 'c', 50);
      const w2 = yield* ctx.call(wait_for_completion_timeout, 'c', 0);
      const d2 = yield* ctx.call(completion_done, 'c');
      yield* ctx.call(complete_all, 'c');
      yield* ctx.call(wait_for_completion, 'c');
      const i = yield* ctx.call(wait_for_completion_interruptible, 'c');
      const t1 = yield* ctx.call(try_wait_for_completion, 'c');
      const d3 = yield* ctx.call(completion_done, 'c');
      yield* ctx.call(reinit_completion, 'c');
      const d4 = yield* ctx.call(completion_done, 'c');
      return [d0, t0, w0, d1, w1, w2, d2, i, t1, d3, d4];
    });
    expect(r.steps).toEqual([
      'completion_done(&c) @ c',
      'try_wait_for_completion(&c) @ c',
      'wait_for_completion_timeout(&c) @ c',
      'complete(&c) @ c',
      'complete(&c) @ c',
      'completion_done(&c) @ c',
      'wait_for_completion_timeout(&c) @ c',
      'wait_for_completion_timeout(&c) @ c',
      'completion_done(&c) @ c',
      'complete_all(&c) @ c',
      'wait_for_completion(&c) @ c',
      'wait_for_completion(&c) @ c',
      'try_wait_for_completion(&c) @ c',
      'completion_done(&c) @ c',
      'reinit_completion(&c) @ c',
      'completion_done(&c) @ c',
    ]);
    // a timed wait returns the time left, at least 1 on success (0 means it timed out)
    expect(r.result).toEqual([false, false, 0, true, 50, 1, false, 0, true, true, false]);
  });

  it('a completion counts every complete(), and complete_all() is never used up', () => {
    const r = trace(function* (ctx) {
      for (let i = 0; i < 3; i++) yield* ctx.call(complete, 'c');
      const got: boolean[] = [];
      for (let i = 0; i < 4; i++) got.push(yield* ctx.call(try_wait_for_completion, 'c'));
      yield* ctx.call(complete_all, 'c');
      yield* ctx.call(complete, 'c');
      for (let i = 0; i < 3; i++) yield* ctx.call(wait_for_completion, 'c');
      return [got, ctx.world.peek('c', 'done')];
    });
    expect(r.result).toEqual([[true, true, true, false], 4294967295]);
  });

  it('READ_ONCE, WRITE_ONCE, kfree, wait_event', () => {
    const r = trace(function* (ctx) {
      yield* ctx.call(WRITE_ONCE, 'o', 'flag', true);
      const v = yield* ctx.call(READ_ONCE, 'o', 'flag');
      yield* ctx.call(wait_event, 'o->flag', ['o'], (w: World) => w.peek('o', 'flag') === true);
      yield* ctx.call(kfree, null);
      yield* ctx.call(kfree, 'gone');
      return v;
    });
    expect(r.steps).toEqual(['WRITE_ONCE(o->flag, true) @ o', 'READ_ONCE(o->flag) @ o', 'wait_event(o->flag) @ o', 'kfree(gone) @ gone']);
    expect(r.result).toBe(true);
  });

  it('READ_ONCE and WRITE_ONCE of a freed object are a use-after-free', () => {
    const write = trace(function* (ctx) {
      yield* ctx.call(kfree, 'gone');
      yield* ctx.call(WRITE_ONCE, 'gone', 'x', 1);
    });
    expect(write.violation).toBe('use-after-free: WRITE_ONCE of gone->x in t > WRITE_ONCE; gone was freed by T in t > kfree');
    const read = trace(function* (ctx) {
      yield* ctx.call(kfree, 'gone');
      yield* ctx.call(READ_ONCE, 'gone', 'x');
    });
    expect(read.violation).toBe('use-after-free: READ_ONCE of gone->x in t > READ_ONCE; gone was freed by T in t > kfree');
  });
});
