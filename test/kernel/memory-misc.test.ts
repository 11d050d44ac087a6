import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../checker/context.ts';
import { World } from '../../checker/world.ts';
import { init_completion } from '../../kernel/completion.ts';
import { KCONFIG, kernel_config, syncFput } from '../../kernel/config.ts';
import { refcountLeakMonitor } from '../../kernel/leak.ts';
import { classKey, lockClasses, lockName } from '../../kernel/lock.ts';
import {
  lockdep_assert_held,
  lockdep_assert_held_read,
  lockdep_assert_held_write,
  lockdep_assert_not_held,
} from '../../kernel/lockdep/assert.ts';
import {
  lock_map_acquire,
  lock_map_acquire_read,
  lock_map_acquire_tryread,
  lock_map_release,
  lockdep_begin_signalling,
  lockdep_end_signalling,
  mapId,
  might_lock,
  might_lock_nested,
  might_lock_read,
} from '../../kernel/lockdep/map.ts';
import { mutex_init, mutex_lock } from '../../kernel/mutex.ts';
import { callerOf, isPrimitive, stackText } from '../../kernel/primitive.ts';
import { down_read, down_write, init_rwsem } from '../../kernel/rwsem.ts';
import { freedBy, kfree, kzalloc, load, store } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';
import { type Gen, isFreed } from '../../kernel/types.ts';
import { traceOp } from './locks.ts';

/** Memory, the leak check, lock names and classes, lockdep maps and assertions, the kernel config. */

function setup(w: World): void {
  kzalloc(w, 'buf', { refcount: 1, data: 0 }, 'buf');
  kzalloc(w, 'buf', { refcount: 2 }, 'spare');
  mutex_init(w, '&m', { id: 'm' });
  init_rwsem(w, '&sem', { id: 'sem' });
  init_completion(w, '&c', { id: 'c' });
}

const trace = (op: (ctx: Ctx) => Gen<unknown>) => traceOp(setup, op, { record: 'full' });

describe('slab', () => {
  it('a use-after-free is reported as KASAN would, with who freed it', () => {
    const r = trace(function* (ctx) {
      yield* ctx.call(kfree, 'buf');
      store(ctx, 'buf', 'data', 1);
    });
    expect(r.violation).toBe('use-after-free: write of buf->data in t; buf was freed by T in t > kfree');
    expect(r.exec.violation?.report).toBe(
      [
        '==================================================================',
        'BUG: KASAN: slab-use-after-free in t',
        'write of buf->data buf by task T:',
        ' t',
        '',
        'Freed by task T in t > kfree',
        '==================================================================',
      ].join('\n'),
    );
  });

  it('a double free is reported at the second kfree', () => {
    const r = trace(function* (ctx) {
      yield* ctx.call(kfree, 'buf');
      yield* ctx.call(kfree, 'buf');
    });
    expect(r.exec.violation?.kind).toBe('double-free');
    expect(r.exec.violation?.report?.split('\n').slice(1, 4)).toEqual(['BUG: KASAN: double-free in t', 'Free of buf by task T:', ' kfree']);
  });

  it('load and store work on a live object; kzalloc from a thread allocates and says so; kfree is an event', () => {
    const r = trace(function* (ctx) {
      store(ctx, 'buf', 'data', 5);
      const v = load(ctx, 'buf', 'data');
      const id = kzalloc(ctx, 'buf', { refcount: 1 });
      yield* ctx.call(kfree, id);
      return [v, id, isFreed(ctx.world, id)];
    });
    expect(r.violation).toBeNull();
    expect(r.result).toEqual([5, 'buf2', true]);
    const events = r.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'alloc' || e.type === 'free');
    expect(events).toEqual([
      { type: 'alloc', obj: 'buf2', kind: 'buf' },
      { type: 'free', obj: 'buf2', fn: 't' },
    ]);
  });

  it('freedBy and isFreed on objects the kernel did not allocate', () => {
    const w = new World();
    w.create('plain', { x: 1 }, null, 'plain');
    expect([freedBy(w, 'nothing'), freedBy(w, 'plain')]).toEqual(['never allocated', 'unknown']);
    expect([isFreed(w, 'nothing'), isFreed(w, 'plain')]).toEqual([true, false]);
  });
});

describe('the leak check at quiescence', () => {
  it('every live object of a kind whose count is not the expected one, freed ones skipped', () => {
    const r = trace(function* (ctx) {
      yield* ctx.call(kfree, 'buf');
      ctx.world.set('spare', '__expect_refs', 1);
    });
    const m = refcountLeakMonitor({ kinds: { buf: 'refcount' } });
    expect(m.name).toBe('refcount-leak');
    const v = m.atEnd?.(r.exec);
    expect(v).toEqual({
      kind: 'refcount-leak',
      message: 'references leaked at quiescence: spare.refcount = 2 (expected 1)',
      report: '  spare.refcount = 2 (expected 1)',
    });
    const none = trace(function* (ctx) {
      ctx.world.set('buf', 'refcount', 0);
      ctx.world.set('spare', 'refcount', 0);
      yield* [];
    });
    expect(m.atEnd?.(none.exec)).toBeNull();
    const two = trace(function* () {
      yield* [];
    });
    expect(m.atEnd?.(two.exec)?.report).toBe('  buf.refcount = 1 (expected 0)\n  spare.refcount = 2 (expected 0)');
  });
});

describe('lock names, classes and the primitives table', () => {
  it('names and classes of instances and of lockdep maps', () => {
    const w = new World();
    setup(w);
    mutex_init(w, '&dev->lock', { id: 'm2', name: 'dev0 lock' });
    expect(lockClasses(w).sort()).toEqual(['&dev->lock', '&m', '&sem', '(completion)&c']);
    expect([lockName(w, 'm2'), lockName(w, 'map:fs_reclaim'), lockName(w, 'fs_reclaim')]).toEqual([
      'dev0 lock',
      'fs_reclaim',
      'fs_reclaim',
    ]);
    expect([classKey(w, 'm2'), classKey(w, 'm2', 2), classKey(w, 'map:X', 1), mapId('X')]).toEqual([
      '&dev->lock',
      '&dev->lock/2',
      'X/1',
      'map:X',
    ]);
  });

  it('a lock is taken "at" the innermost frame that is not a primitive', () => {
    expect(callerOf(['f', 'g', 'mutex_lock', 'lockExclusive'])).toBe('g');
    expect(callerOf(['mutex_lock', 'lockExclusive'])).toBe('mutex_lock');
    expect(callerOf(['f'])).toBe('f');
    expect(callerOf([])).toBe('?');
    expect([stackText([]), stackText(['a', 'b'])]).toEqual(['?', 'a > b']);
    expect([isPrimitive('down_read'), isPrimitive('vfio_pci_core_ioctl')]).toEqual([true, false]);
  });
});

describe('lockdep maps', () => {
  it('a map is held between acquire and release; lockdep hears each acquire before a blocking one is held, after a trylock', () => {
    const r = trace(function* (ctx) {
      lock_map_acquire(ctx, 'A');
      lock_map_acquire_read(ctx, 'B');
      lock_map_acquire_tryread(ctx, 'C');
      const held = heldLocks(ctx.world, 'T');
      lock_map_release(ctx, 'B');
      lock_map_release(ctx, 'C');
      lock_map_release(ctx, 'A');
      yield* ctx.call(mutex_lock, 'm');
      return [held, heldLocks(ctx.world, 'T')];
    });
    expect(r.result).toEqual([['A (W)', 'B (R)', 'C (r)'], ['&m']]);
    const acquires = r.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'acquire');
    expect(acquires.map((e) => [e.lock, e.kind, e.trylock, e.fn, e.lockType])).toEqual([
      ['map:A', 'W', false, 'lock_map_acquire', 'map'],
      ['map:B', 'R', false, 'lock_map_acquire_read', 'map'],
      ['map:C', 'r', true, 'lock_map_acquire_tryread', 'map'],
      ['m', 'W', false, 'mutex_lock', 'mutex'],
    ]);
    const releases = r.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'release');
    expect(releases.map((e) => [e.lock, e.fn])).toEqual([
      ['map:B', 'lock_map_release'],
      ['map:C', 'lock_map_release'],
      ['map:A', 'lock_map_release'],
    ]);
  });

  it('releasing a map that is not held is a bad unlock', () => {
    const r = trace(function* (ctx) {
      lock_map_release(ctx, 'A');
      yield* [];
    });
    expect(r.violation).toContain('lock_map_release(A) in t: T releases a lock it does not hold');
  });

  it('might_lock announces an acquisition without taking anything', () => {
    const r = trace(function* (ctx) {
      might_lock(ctx, 'm');
      might_lock_read(ctx, 'sem');
      might_lock_nested(ctx, 'm', 1);
      yield* [];
      return heldLocks(ctx.world, 'T');
    });
    expect(r.result).toEqual([]);
    const acquires = r.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'acquire');
    expect(acquires.map((e) => [e.class, e.kind, e.might, e.fn])).toEqual([
      ['&m', 'W', true, 'might_lock'],
      ['&sem', 'r', true, 'might_lock_read'],
      ['&m/1', 'W', true, 'might_lock'],
    ]);
  });

  it('a signalling section opens once; inside a write hold of the map it opens anew', () => {
    const r = trace(function* (ctx) {
      const a = lockdep_begin_signalling(ctx, 'S');
      const b = lockdep_begin_signalling(ctx, 'S');
      lockdep_end_signalling(ctx, 'S', b);
      const inside = heldLocks(ctx.world, 'T');
      lockdep_end_signalling(ctx, 'S', a);
      lock_map_acquire(ctx, 'S');
      const c = lockdep_begin_signalling(ctx, 'S');
      const both = heldLocks(ctx.world, 'T');
      yield* [];
      return [a, b, inside, c, both];
    });
    expect(r.result).toEqual([false, true, ['S (r)'], false, ['S (W)', 'S (r)']]);
  });
});

describe('held-lock assertions', () => {
  // held how -> which assertions hold
  const TABLE: readonly [string, (ctx: Ctx) => Gen<unknown>, readonly boolean[]][] = [
    ['not held', function* () {}, [false, false, false, true]],
    ['held for write', (ctx) => ctx.call(down_write, 'sem'), [true, true, false, false]],
    ['held for read', (ctx) => ctx.call(down_read, 'sem'), [true, false, true, false]],
  ];
  const ASSERTS = [lockdep_assert_held, lockdep_assert_held_write, lockdep_assert_held_read, lockdep_assert_not_held];

  for (const [how, take, pass] of TABLE) {
    it(`${how}: ${ASSERTS.filter((_, i) => pass[i])
      .map((a) => a.name)
      .join(', ')}`, () => {
      ASSERTS.forEach((assert, i) => {
        const r = trace(function* (ctx) {
          yield* take(ctx);
          assert(ctx, 'sem');
        });
        expect(r.violation === null, assert.name).toBe(pass[i]);
        if (!pass[i]) {
          const held = how === 'not held' ? 'does not hold it' : `holds it as ${how === 'held for write' ? 'W' : 'r'}`;
          expect(r.violation).toBe(`${assert.name}(&sem) failed in t: T ${held}`);
          expect(r.exec.violation?.kind).toBe('held-lock-assertion');
        }
      });
    });
  }

  it('an assertion on something that is no lock names it as given', () => {
    const r = trace(function* (ctx) {
      lockdep_assert_held(ctx, 'nolock');
      yield* [];
    });
    expect(r.violation).toBe('lockdep_assert_held(nolock) failed in t: T does not hold it');
  });
});

describe('kernel config', () => {
  it('syncFput is off unless the world says so', () => {
    const w = new World();
    expect(syncFput(w)).toBe(false);
    kernel_config(w);
    expect([syncFput(w), w.peek(KCONFIG, 'syncFput')]).toEqual([false, false]);
    const on = new World();
    kernel_config(on, { syncFput: true });
    expect(syncFput(on)).toBe(true);
    expect(KCONFIG).toBe('kconfig');
  });
});
