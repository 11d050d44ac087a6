import { describe, expect, it } from 'vitest';
import type { Ctx, OpFn } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { World } from '../../checker/world.ts';
import { complete, init_completion, wait_for_completion } from '../../kernel/completion.ts';
import { lockdep_assert_held_write } from '../../kernel/lockdep/assert.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { down_read, down_write, init_rwsem, up_read, up_write } from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';

/**
 * Lockdep's reports, whole, in the kernel's format (kernel/locking/lockdep.c
 * print_circular_bug, print_deadlock_bug, print_unlock_imbalance_bug and a
 * lockdep_assert WARN), with the addresses, wait types and offsets the model
 * drops: what a kernel developer compares with a splat, so every line counts.
 */

function setup(w: World): void {
  mutex_init(w, '&a', { id: 'a' });
  mutex_init(w, '&b', { id: 'b' });
  init_rwsem(w, '&sem', { id: 'sem' });
  init_completion(w, '&C', { id: 'C' });
}

type Op = (ctx: Ctx) => Generator<unknown, undefined, unknown>;

function report(ops: Record<string, Op>, order: string[]) {
  const system: System = { name: 'reports', setup, ops: ops as unknown as Record<string, OpFn>, stepContext: heldLocks };
  const scenario = { threads: order.map((op, i) => ({ name: `T${i + 1}`, ops: [{ op, args: {} }] })) };
  return runScenario(system, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
}

describe('lockdep reports', () => {
  it('a circular dependency through three classes, closed by a read-held rwsem', () => {
    const v = report(
      {
        *ab(ctx) {
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(mutex_lock, 'b');
          yield* ctx.call(mutex_unlock, 'b');
          yield* ctx.call(mutex_unlock, 'a');
          return undefined;
        },
        *b_sem(ctx) {
          yield* ctx.call(mutex_lock, 'b');
          yield* ctx.call(down_write, 'sem');
          yield* ctx.call(up_write, 'sem');
          yield* ctx.call(mutex_unlock, 'b');
          return undefined;
        },
        *sem_a(ctx) {
          yield* ctx.call(down_read, 'sem');
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(mutex_unlock, 'a');
          yield* ctx.call(up_read, 'sem');
          return undefined;
        },
      },
      ['ab', 'b_sem', 'sem_a'],
    );
    expect(v?.kind).toBe('lockdep-cycle');
    expect(v?.message).toBe(
      'possible circular locking dependency: T3 acquires &a (mutex_lock in sem_a > mutex_lock) while holding &sem (taken in sem_a); existing chain &a -> &b -> &sem: &b taken under &a by T1 in ab > mutex_lock; &sem taken under &b by T2 in b_sem > down_write',
    );
    expect(v?.report?.split('\n')).toEqual([
      '======================================================',
      'WARNING: possible circular locking dependency detected',
      '------------------------------------------------------',
      'T3 is trying to acquire lock:',
      ' (&a){+.+.}, at: sem_a',
      '',
      'but task is already holding lock:',
      ' (&sem){++++}, at: sem_a',
      '',
      'which lock already depends on the new lock.',
      '',
      '',
      'the existing dependency chain (in reverse order) is:',
      '',
      '-> #2 (&sem){++++}:',
      '       down_write',
      '       b_sem',
      '',
      '-> #1 (&b){+.+.}:',
      '       mutex_lock',
      '       ab',
      '',
      '-> #0 (&a){+.+.}:',
      '       mutex_lock',
      '       sem_a',
      '',
      'other info that might help us debug this:',
      '',
      'Chain exists of:',
      '  &a --> &b --> &sem',
      '',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0                    CPU1',
      '       ----                    ----',
      '  rlock(&sem);',
      '                               lock(&b);',
      '                               lock(&sem);',
      '  lock(&a);',
      '',
      ' *** DEADLOCK ***',
      '',
      '1 lock held by T3:',
      ' #0: (&sem){++++}, at: sem_a',
      '',
      'stack backtrace:',
      ' mutex_lock',
      ' sem_a',
    ]);
  });

  it('a wait for a completion under a lock its signaller needs', () => {
    const v = report(
      {
        *signaller(ctx) {
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(complete, 'C');
          yield* ctx.call(mutex_unlock, 'a');
          return undefined;
        },
        *waiter(ctx) {
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(wait_for_completion, 'C');
          yield* ctx.call(mutex_unlock, 'a');
          return undefined;
        },
      },
      ['signaller', 'waiter'],
    );
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.message).toBe(
      'possible circular locking dependency: T2 waits for (completion)&C (wait_for_completion in waiter > wait_for_completion) while holding &a (taken in waiter); existing chain (completion)&C -> &a: &a needed to signal (completion)&C by T1 in signaller > complete',
    );
    expect(v?.report?.split('\n')).toEqual([
      '======================================================',
      'WARNING: possible circular locking dependency detected',
      '------------------------------------------------------',
      'T2 is trying to wait (wait_for_completion):',
      ' ((completion)&C){++++}, at: waiter',
      '',
      'but task is already holding lock:',
      ' (&a){+.+.}, at: waiter',
      '',
      'which lock already depends on the new lock.',
      '',
      '',
      'the existing dependency chain (in reverse order) is:',
      '',
      '-> #1 (&a){+.+.}:',
      '       complete',
      '       signaller',
      '',
      '-> #0 ((completion)&C){++++}:',
      '       wait_for_completion',
      '       waiter',
      '',
      'other info that might help us debug this:',
      '',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0                    CPU1',
      '       ----                    ----',
      '  lock(&a);',
      '                               lock((completion)&C);',
      '                               lock(&a);',
      '  wait_for_completion((completion)&C);',
      '',
      ' *** DEADLOCK ***',
      '',
      '1 lock held by T2:',
      ' #0: (&a){+.+.}, at: waiter',
      '',
      'stack backtrace:',
      ' wait_for_completion',
      ' waiter',
    ]);
  });

  it('a signal under a lock that a waiter for it held while waiting', () => {
    const v = report(
      {
        *complete_first(ctx) {
          yield* ctx.call(complete, 'C');
          return undefined;
        },
        *waiter(ctx) {
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(wait_for_completion, 'C');
          yield* ctx.call(mutex_unlock, 'a');
          return undefined;
        },
        *signaller(ctx) {
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(complete, 'C');
          yield* ctx.call(mutex_unlock, 'a');
          return undefined;
        },
      },
      ['complete_first', 'waiter', 'signaller'],
    );
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.message).toBe(
      'possible circular locking dependency: T3 signals (completion)&C (complete in signaller > complete) while holding &a (taken in signaller); existing chain &a -> (completion)&C: (completion)&C waited for under &a by T2 in waiter > wait_for_completion',
    );
    expect(v?.report?.split('\n')).toEqual([
      '======================================================',
      'WARNING: possible circular locking dependency detected',
      '------------------------------------------------------',
      'T3 is trying to signal (complete):',
      ' ((completion)&C){++++}, at: signaller',
      '',
      'but task is already holding lock:',
      ' (&a){+.+.}, at: signaller',
      '',
      'which a waiter for the signal already holds while it waits.',
      '',
      '',
      'the existing dependency chain (in reverse order) is:',
      '',
      '-> #1 ((completion)&C){++++}:',
      '       wait_for_completion',
      '       waiter',
      '',
      '-> #0 (&a){+.+.}:',
      '       complete',
      '       signaller',
      '',
      'other info that might help us debug this:',
      '',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0                    CPU1',
      '       ----                    ----',
      '                               lock(&a);',
      '                               wait_for_completion((completion)&C);',
      '  lock(&a);',
      '  complete((completion)&C);',
      '',
      ' *** DEADLOCK ***',
      '',
      '1 lock held by T3:',
      ' #0: (&a){+.+.}, at: signaller',
      '',
      'stack backtrace:',
      ' complete',
      ' signaller',
    ]);
  });

  it('a recursive read of a non-recursive reader', () => {
    const v = report(
      {
        *twice(ctx) {
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(down_read, 'sem');
          yield* ctx.call(down_read, 'sem');
          return undefined;
        },
      },
      ['twice'],
    );
    expect(v?.kind).toBe('lockdep-recursion');
    expect(v?.message).toBe(
      'possible recursive locking: T1 acquires &sem (down_read in twice > down_read) while already holding it (taken in twice)',
    );
    expect(v?.report?.split('\n')).toEqual([
      '============================================',
      'WARNING: possible recursive locking detected',
      '--------------------------------------------',
      'T1 is trying to acquire lock:',
      ' (&sem){++++}, at: twice',
      '',
      'but task is already holding lock:',
      ' (&sem){++++}, at: twice',
      '',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0',
      '       ----',
      '  rlock(&sem);',
      '  rlock(&sem);',
      '',
      ' *** DEADLOCK ***',
      '',
      ' May be due to missing lock nesting notation',
      '',
      '2 locks held by T1:',
      ' #0: (&a){+.+.}, at: twice',
      ' #1: (&sem){++++}, at: twice',
      '',
      'stack backtrace:',
      ' down_read',
      ' twice',
    ]);
  });

  it('a bad unlock balance', () => {
    const v = report(
      {
        *bad(ctx) {
          yield* ctx.call(mutex_lock, 'a');
          yield* ctx.call(mutex_unlock, 'b');
          return undefined;
        },
      },
      ['bad'],
    );
    expect(v?.kind).toBe('unlock-not-held');
    expect(v?.message).toBe('mutex_unlock(&b) in bad > mutex_unlock: T1 releases a lock it does not hold');
    expect(v?.report?.split('\n')).toEqual([
      '=====================================',
      'WARNING: bad unlock balance detected!',
      '-------------------------------------',
      'T1 is trying to release lock (&b) at:',
      'bad',
      'but there are no more locks to release!',
      '',
      'other info that might help us debug this:',
      '1 lock held by T1:',
      ' #0: (&a){+.+.}, at: bad',
      '',
      'stack backtrace:',
      ' mutex_unlock',
      ' bad',
    ]);
  });

  it('a held-lock assertion in the wrong mode', () => {
    const v = report(
      {
        *as(ctx) {
          yield* ctx.call(down_read, 'sem');
          lockdep_assert_held_write(ctx, 'sem');
          return undefined;
        },
      },
      ['as'],
    );
    expect(v?.kind).toBe('held-lock-assertion');
    expect(v?.message).toBe('lockdep_assert_held_write(&sem) failed in as: T1 holds it as r');
    expect(v?.report?.split('\n')).toEqual([
      '------------[ cut here ]------------',
      'WARNING: lockdep_assert_held_write(&sem) failed at as',
      '1 lock held by T1:',
      ' #0: (&sem){++++}, at: as',
      '',
      'stack backtrace:',
      ' as',
      '---[ end trace ]---',
    ]);
  });
});
