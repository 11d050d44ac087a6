import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../checker/context.ts';
import type { World } from '../../checker/world.ts';
import {
  mutex_init,
  mutex_is_locked,
  mutex_lock,
  mutex_lock_interruptible,
  mutex_lock_nested,
  mutex_trylock,
  mutex_unlock,
} from '../../kernel/mutex.ts';
import type { Gen } from '../../kernel/types.ts';
import { ww_mutex_init, ww_mutex_lock, ww_mutex_lock_interruptible, ww_mutex_trylock, ww_mutex_unlock } from '../../kernel/ww_mutex.ts';
import { type LockCall, LockDriver, lockSystem } from './locks.ts';

/**
 * The grant rules of struct mutex (kernel/locking/mutex.c) and of a ww_mutex
 * without an acquire context: one owner; a lock call sleeps while anyone owns
 * it; waiters are not queued (Linux gives no FIFO order: spinning and
 * stealing), so every sleeper may get a released mutex; trylock takes a free
 * mutex and otherwise fails at once.
 */

type Fn = (ctx: Ctx, lock: string) => Gen<unknown>;

interface Family {
  readonly name: string;
  readonly init: (w: World) => void;
  readonly locks: readonly Fn[];
  readonly trylock: Fn;
  readonly unlock: Fn;
  /** the class name the held stack shows */
  readonly held: string;
}

function* nested1(ctx: Ctx, lock: string): Gen<void> {
  yield* mutex_lock_nested(ctx, lock, 1);
}

const FAMILIES: readonly Family[] = [
  {
    name: 'mutex',
    init: (w) => {
      mutex_init(w, '&m', { id: 'm' });
    },
    locks: [mutex_lock, mutex_lock_interruptible],
    trylock: mutex_trylock,
    unlock: mutex_unlock,
    held: '&m',
  },
  {
    name: 'ww_mutex (NULL context)',
    init: (w) => {
      ww_mutex_init(w, 'reservation_ww_class_mutex', { id: 'm' });
    },
    locks: [ww_mutex_lock, ww_mutex_lock_interruptible],
    trylock: ww_mutex_trylock,
    unlock: ww_mutex_unlock,
    held: 'reservation_ww_class_mutex',
  },
];

// (holder, request) -> granted, for every lock call of the family
const TABLE: readonly { readonly holder: 'none' | 'other' | 'other, released'; readonly granted: boolean }[] = [
  { holder: 'none', granted: true },
  { holder: 'other', granted: false },
  { holder: 'other, released', granted: true },
];

for (const f of FAMILIES) {
  describe(`${f.name}: grant rules`, () => {
    function build(holder: string, request: readonly LockCall[]): LockDriver {
      const d = new LockDriver(
        lockSystem(f.init, {
          H: [
            [f.locks[0] as Fn, 'm'],
            [f.unlock, 'm'],
          ],
          R: [...request],
        }),
      );
      if (holder !== 'none') d.call('H');
      if (holder === 'other, released') d.call('H');
      return d;
    }

    for (const row of TABLE) {
      it(`held by ${row.holder}: ${f.locks.map((l) => l.name).join(', ')} ${row.granted ? 'take it' : 'sleep'}; trylock ${row.granted}`, () => {
        for (const lock of f.locks) {
          const d = build(row.holder, [[lock, 'm']]).start('R');
          expect(d.canRun('R'), lock.name).toBe(row.granted);
          if (row.granted) expect(d.call('R').held('R'), lock.name).toBe(f.held);
        }
        const t = build(row.holder, [[f.trylock, 'm']]).call('R');
        expect(t.done('R')).toBe(true);
        expect(t.results('R')).toEqual([row.granted]);
        expect(t.held('R')).toBe(row.granted ? f.held : '');
      });
    }

    it('every sleeper may get the released lock, in either order, and then the others sleep again', () => {
      for (const first of ['A', 'B']) {
        const other = first === 'A' ? 'B' : 'A';
        const lock = f.locks[0] as Fn;
        const d = new LockDriver(
          lockSystem(f.init, {
            H: [
              [lock, 'm'],
              [f.unlock, 'm'],
            ],
            A: [
              [lock, 'm'],
              [f.unlock, 'm'],
            ],
            B: [
              [lock, 'm'],
              [f.unlock, 'm'],
            ],
          }),
        );
        d.call('H').start('A').start('B');
        expect([d.canRun('A'), d.canRun('B')]).toEqual([false, false]);
        d.call('H');
        expect([d.canRun('A'), d.canRun('B')]).toEqual([true, true]);
        d.call(first);
        expect(d.held(first)).toBe(f.held);
        expect(d.canRun(other)).toBe(false);
        d.call(first);
        expect(d.canRun(other)).toBe(true);
      }
    });

    it('unlocking a lock another task owns is a bad unlock', () => {
      const d = new LockDriver(lockSystem(f.init, { H: [[f.locks[0] as Fn, 'm']], R: [[f.unlock, 'm']] }));
      d.call('H').start('R');
      expect(d.exec.violation?.kind).toBe('unlock-not-held');
      expect(d.exec.violation?.message).toContain(`R releases a lock it does not hold`);
    });
  });
}

describe('mutex: the rest of the interface', () => {
  it('mutex_lock_interruptible returns 0 (no signals are modelled)', () => {
    const d = new LockDriver(
      lockSystem(FAMILIES[0]!.init, {
        R: [
          [mutex_lock_interruptible, 'm'],
          [mutex_unlock, 'm'],
        ],
      }),
    );
    d.call('R').call('R');
    expect(d.exec.violation).toBeNull();
    expect(d.done('R')).toBe(true);
  });

  it('mutex_lock_nested takes the lock as a subclass of its class', () => {
    const d = new LockDriver(lockSystem(FAMILIES[0]!.init, { H: [[nested1, 'm']], R: [[mutex_trylock, 'm']] }));
    d.call('H');
    expect(d.held('H')).toBe('&m/1');
    expect(d.call('R').results('R')).toEqual([false]);
  });

  it('mutex_is_locked sees the owner', () => {
    const d = new LockDriver(
      lockSystem(FAMILIES[0]!.init, {
        R: [
          [mutex_is_locked, 'm'],
          [mutex_lock, 'm'],
          [mutex_is_locked, 'm'],
          [mutex_unlock, 'm'],
          [mutex_is_locked, 'm'],
        ],
      }),
    );
    for (let i = 0; i < 5; i++) d.call('R');
    expect(d.results('R')).toEqual([false, true, false]);
  });

  it('ww_mutex_lock with an acquire context is refused (only NULL is modelled)', () => {
    const withCtx = (ctx: Ctx, lock: string) => ww_mutex_lock(ctx, lock, {} as unknown as null);
    const d = new LockDriver(lockSystem(FAMILIES[1]!.init, { R: [[withCtx, 'm']] }));
    d.start('R');
    expect(d.exec.violation?.kind).toBe('model-error');
    expect(d.exec.violation?.message).toContain('ww_acquire_ctx is not modelled: pass null');
  });
});
