import { describe, expect, it } from 'vitest';
import type { Ctx, OpFn } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { World } from '../../checker/world.ts';
import { complete, init_completion, wait_for_completion_timeout } from '../../kernel/completion.ts';
import { cycleKind } from '../../kernel/lockdep/cycle.ts';
import type { Dep } from '../../kernel/lockdep/deps.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { heldLocks } from '../../kernel/task.ts';

/** A cycle through a wait class is a wait under a lock, wherever the wait is on it; one of locks only is a lock cycle. */

function setup(w: World): void {
  mutex_init(w, '&a', { id: 'a' });
  mutex_init(w, '&b', { id: 'b' });
  init_completion(w, '&C', { id: 'C' });
}

type Op = (ctx: Ctx) => Generator<unknown, undefined, unknown>;
const OPS: Record<string, Op> = {
  *wait_under_a(ctx) {
    yield* ctx.call(mutex_lock, 'a');
    yield* ctx.call(wait_for_completion_timeout, 'C', 5);
    yield* ctx.call(mutex_unlock, 'a');
    return undefined;
  },
  *signal_under_b(ctx) {
    yield* ctx.call(mutex_lock, 'b');
    yield* ctx.call(complete, 'C');
    yield* ctx.call(mutex_unlock, 'b');
    return undefined;
  },
  *b_then_a(ctx) {
    yield* ctx.call(mutex_lock, 'b');
    yield* ctx.call(mutex_lock, 'a');
    yield* ctx.call(mutex_unlock, 'a');
    yield* ctx.call(mutex_unlock, 'b');
    return undefined;
  },
};
const system: System = { name: 'cycles', setup, ops: OPS as unknown as Record<string, OpFn>, stepContext: heldLocks };

describe('cycle kinds', () => {
  it('closed by a plain acquisition, through a wait and a signal: a wait under a lock', () => {
    const scenario = {
      threads: ['wait_under_a', 'signal_under_b', 'b_then_a'].map((op, i) => ({ name: `T${i + 1}`, ops: [{ op, args: {} }] })),
    };
    const v = runScenario(system, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.message).toBe(
      'possible circular locking dependency: T3 acquires &a (mutex_lock in b_then_a > mutex_lock) while holding &b (taken in b_then_a); ' +
        'existing chain &a -> (completion)&C -> &b: (completion)&C waited for under &a by T1 in wait_under_a > wait_for_completion_timeout; ' +
        '&b needed to signal (completion)&C by T2 in signal_under_b > complete',
    );
  });

  it('the kind from the closing dependency and the path', () => {
    const dep = (mode: Dep['mode']) => ({ mode }) as unknown as Dep;
    const hop = (mode: Dep['mode']) => ({
      from: 'x',
      to: 'y',
      type: 'EN' as const,
      witness: { threadName: 'T', stack: [], fn: 'f', at: 'f', mode },
    });
    expect(cycleKind(dep('acquire'), [hop('acquire'), hop('acquire')])).toBe('lockdep-cycle');
    expect(cycleKind(dep('acquire'), [hop('acquire'), hop('signal')])).toBe('wait-under-lock');
    expect(cycleKind(dep('acquire'), [hop('wait'), hop('acquire')])).toBe('wait-under-lock');
    expect(cycleKind(dep('wait'), [hop('acquire')])).toBe('wait-under-lock');
    expect(cycleKind(dep('signal'), [])).toBe('wait-under-lock');
    expect(cycleKind(dep('acquire'), [])).toBe('lockdep-cycle');
  });
});
