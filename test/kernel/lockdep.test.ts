import { describe, expect, it } from 'vitest';
import type { Ctx, OpFn } from '../../checker/context.ts';
import { runPath, runScenario } from '../../checker/run.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { World } from '../../checker/world.ts';
import { complete, init_completion, wait_for_completion } from '../../kernel/completion.ts';
import { dma_fence_init, dma_fence_signal } from '../../kernel/dma-fence.ts';
import { dma_resv_init, dma_resv_lock, dma_resv_lockdep, dma_resv_unlock } from '../../kernel/dma-resv.ts';
import { LockGraph } from '../../kernel/lockdep/lockgraph.ts';
import { lock_map_acquire, lock_map_acquire_read, lock_map_release, might_lock } from '../../kernel/lockdep/map.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { mutex_init, mutex_lock, mutex_lock_nested, mutex_unlock } from '../../kernel/mutex.ts';
import { down_read, down_write, init_rwsem, up_read, up_write } from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';
import * as abba from '../toys/abba.ts';
import { explore } from './explore.ts';

type Op = (ctx: Ctx) => Generator<never, undefined, unknown> | ReturnType<OpFn>;

function sys(setup: (w: World) => void, ops: Record<string, Op>): System {
  return { name: 'inline', setup, ops: ops as unknown as Record<string, OpFn>, stepContext: heldLocks };
}

/** An op made only of lockdep annotations: no scheduling point of its own. */
function annotations(f: (ctx: Ctx) => void): Op {
  return function* (ctx: Ctx) {
    f(ctx);
    yield* [];
    return undefined;
  };
}

function threads(...names: string[]): Scenario {
  return { threads: names.map((op, i) => ({ name: `T${i + 1}`, ops: [{ op, args: {} }] })) };
}

function lockdep(system: System, scenario: Scenario) {
  return runScenario(system, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
}

function mutexes(w: World): void {
  for (const n of ['a', 'b', 'c']) mutex_init(w, `&${n}`, { id: n });
}

function* lock2(ctx: Ctx, x: string, y: string) {
  yield* ctx.call(mutex_lock, x);
  yield* ctx.call(mutex_lock, y);
  yield* ctx.call(mutex_unlock, y);
  yield* ctx.call(mutex_unlock, x);
}

describe('lockdep graph rules', () => {
  it('reports a three-class chain with "Chain exists of"', () => {
    const s = sys(mutexes, {
      *ab(ctx) {
        yield* lock2(ctx, 'a', 'b');
        return undefined;
      },
      *bc(ctx) {
        yield* lock2(ctx, 'b', 'c');
        return undefined;
      },
      *ca(ctx) {
        yield* lock2(ctx, 'c', 'a');
        return undefined;
      },
    });
    const v = lockdep(s, threads('ab', 'bc', 'ca'));
    expect(v?.kind).toBe('lockdep-cycle');
    expect(v?.report).toContain('Chain exists of:\n  &a --> &b --> &c');
    expect(v?.report).toContain('-> #2 (&c){+.+.}:');
    expect(v?.report).toContain('-> #1 (&b){+.+.}:');
    expect(v?.report).toContain('-> #0 (&a){+.+.}:');
  });

  it('adds edges only from the most recent non-trylock (A, B held: C depends on B only)', () => {
    const m = new LockdepMonitor();
    const s = sys(mutexes, {
      *abc(ctx) {
        yield* ctx.call(mutex_lock, 'a');
        yield* lock2(ctx, 'b', 'c');
        yield* ctx.call(mutex_unlock, 'a');
        return undefined;
      },
    });
    runScenario(s, threads('abc'), SEQUENTIAL, { monitors: [m] });
    expect(m.dependencies.edge('&a', '&b')).toBeDefined();
    expect(m.dependencies.edge('&b', '&c')).toBeDefined();
    expect(m.dependencies.edge('&a', '&c')).toBeUndefined();
    expect(m.key()).toBe('&a>&b:2;&b>&c:2');
  });

  it('mutex_lock_nested with a subclass is another class: no recursion', () => {
    const s = sys(mutexes, {
      *nested(ctx) {
        yield* ctx.call(mutex_lock, 'a');
        yield* ctx.call(mutex_lock_nested, 'b', 1);
        yield* ctx.call(mutex_unlock, 'b');
        yield* ctx.call(mutex_unlock, 'a');
        return undefined;
      },
    });
    const setup = (w: World) => {
      mutex_init(w, '&dev->lock', { id: 'a' });
      mutex_init(w, '&dev->lock', { id: 'b' });
    };
    expect(lockdep({ ...s, setup }, threads('nested'))).toBeNull();
    const flat = sys(setup, {
      *flat(ctx) {
        yield* lock2(ctx, 'a', 'b');
        return undefined;
      },
    });
    expect(lockdep(flat, threads('flat'))?.kind).toBe('lockdep-recursion');
  });

  it('two dma_resv locks with a NULL context are recursion on reservation_ww_class_mutex', () => {
    const s = sys(
      (w) => {
        dma_resv_init(w, { id: 'r1' });
        dma_resv_init(w, { id: 'r2' });
      },
      {
        *two(ctx) {
          yield* ctx.call(dma_resv_lock, 'r1', null);
          yield* ctx.call(dma_resv_lock, 'r2', null);
          yield* ctx.call(dma_resv_unlock, 'r2');
          yield* ctx.call(dma_resv_unlock, 'r1');
          return undefined;
        },
      },
    );
    const v = lockdep(s, threads('two'));
    expect(v?.kind).toBe('lockdep-recursion');
    expect(v?.report).toContain(' (reservation_ww_class_mutex){+.+.}, at: two');
  });

  it('strong paths: X -(ER)-> Y -(SN)-> X is no deadlock (recursive read), X -(EN)-> Y -(SN)-> X is', () => {
    const s = sys(() => {}, {
      x_then_recursive_y: annotations((ctx) => {
        lock_map_acquire(ctx, 'X');
        lock_map_acquire_read(ctx, 'Y');
        lock_map_release(ctx, 'Y');
        lock_map_release(ctx, 'X');
      }),
      y_then_x: annotations((ctx) => {
        lock_map_acquire_read(ctx, 'Y');
        lock_map_acquire(ctx, 'X');
        lock_map_release(ctx, 'X');
        lock_map_release(ctx, 'Y');
      }),
    });
    expect(lockdep(s, threads('x_then_recursive_y', 'y_then_x'))).toBeNull();
    expect(lockdep(s, threads('y_then_x', 'x_then_recursive_y'))).toBeNull();
    // with non-recursive readers (rwsem) the same shape is a cycle
    const r = sys(
      (w) => {
        init_rwsem(w, 'X', { id: 'X' });
        init_rwsem(w, 'Y', { id: 'Y' });
      },
      {
        *x_then_read_y(ctx) {
          yield* ctx.call(down_write, 'X');
          yield* ctx.call(down_read, 'Y');
          yield* ctx.call(up_read, 'Y');
          yield* ctx.call(up_write, 'X');
          return undefined;
        },
        *read_y_then_x(ctx) {
          yield* ctx.call(down_read, 'Y');
          yield* ctx.call(down_write, 'X');
          yield* ctx.call(up_write, 'X');
          yield* ctx.call(up_read, 'Y');
          return undefined;
        },
      },
    );
    const v = lockdep(r, threads('x_then_read_y', 'read_y_then_x'));
    expect(v?.kind).toBe('lockdep-cycle');
    expect(v?.report).toContain('  rlock(Y);');
  });

  it('two recursive readers of the same class are fine; a read after a write hold is not', () => {
    const s = sys(() => {}, {
      rr: annotations((ctx) => {
        lock_map_acquire_read(ctx, 'R');
        lock_map_acquire_read(ctx, 'R');
        lock_map_release(ctx, 'R');
        lock_map_release(ctx, 'R');
      }),
      wr: annotations((ctx) => {
        lock_map_acquire(ctx, 'R');
        lock_map_acquire_read(ctx, 'R');
      }),
    });
    expect(lockdep(s, threads('rr'))).toBeNull();
    expect(lockdep(s, threads('wr'))?.kind).toBe('lockdep-recursion');
  });

  it('might_lock checks without taking', () => {
    const s = sys(mutexes, {
      *ab(ctx) {
        yield* lock2(ctx, 'a', 'b');
        return undefined;
      },
      *b_might_a(ctx) {
        yield* ctx.call(mutex_lock, 'b');
        might_lock(ctx, 'a');
        yield* ctx.call(mutex_unlock, 'b');
        return undefined;
      },
    });
    const v = lockdep(s, threads('ab', 'b_might_a'));
    expect(v?.kind).toBe('lockdep-cycle');
    expect(v?.message).toContain('(might_lock in b_might_a)');
  });

  it('a signal under a lock that a waiter holds while waiting (signal reported)', () => {
    const s = sys(
      (w) => {
        mutex_init(w, '&L', { id: 'L' });
        init_completion(w, '&C', { id: 'C' });
      },
      {
        *complete_first(ctx) {
          yield* ctx.call(complete, 'C');
          return undefined;
        },
        *waiter(ctx) {
          yield* ctx.call(mutex_lock, 'L');
          yield* ctx.call(wait_for_completion, 'C');
          yield* ctx.call(mutex_unlock, 'L');
          return undefined;
        },
        *signaller(ctx) {
          yield* ctx.call(mutex_lock, 'L');
          yield* ctx.call(complete, 'C');
          yield* ctx.call(mutex_unlock, 'L');
          return undefined;
        },
      },
    );
    const v = lockdep(s, threads('complete_first', 'waiter', 'signaller'));
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.message).toContain('T3 signals (completion)&C (complete in signaller > complete) while holding &L');
    expect(v?.report).toContain('T3 is trying to signal (complete):');
    expect(v?.report).toContain('                               wait_for_completion((completion)&C);');
  });

  it('dma_resv_lockdep primes resv -> dma_fence_map, so signalling under a resv lock is reported', () => {
    const s = sys(
      (w) => {
        dma_resv_init(w, { id: 'r' });
        dma_fence_init(w, { id: 'f' });
      },
      {
        prime: annotations((ctx) => {
          dma_resv_lockdep(ctx);
        }),
        *signal_under_resv(ctx) {
          yield* ctx.call(dma_resv_lock, 'r', null);
          yield* ctx.call(dma_fence_signal, 'f');
          yield* ctx.call(dma_resv_unlock, 'r');
          return undefined;
        },
      },
    );
    const m = new LockdepMonitor();
    expect(runScenario(s, threads('prime'), SEQUENTIAL, { monitors: [m] }).violation).toBeNull();
    expect(m.dependencies.edge('reservation_ww_class_mutex', 'fs_reclaim')).toBeDefined();
    expect(m.dependencies.edge('__mmu_notifier_invalidate_range_start_map', 'dma_fence_map')).toBeDefined();
    const v = lockdep(s, threads('prime', 'signal_under_resv'));
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.message).toContain('T2 signals dma_fence_map (dma_fence_signal in signal_under_resv > dma_fence_signal)');
    expect(v?.report).toContain('Chain exists of:');
  });
});

describe('LockGraph across executions', () => {
  it('accumulates edges from separate scenarios and finds the cycle with replayable witnesses', () => {
    const g = new LockGraph();
    const one: Scenario = { threads: [{ name: 'T1', ops: [{ op: 'take_a_then_b', args: {} }] }] };
    const two: Scenario = { threads: [{ name: 'T2', ops: [{ op: 'other', args: {} }] }] };
    expect(runScenario(abba.broken, one, SEQUENTIAL, { monitors: [g.recorder()] }).violation).toBeNull();
    expect(runScenario(abba.broken, two, SEQUENTIAL, { monitors: [g.recorder()] }).violation).toBeNull();
    const edges = g.edges();
    expect(edges.map((e) => `${e.from}->${e.to}:${e.types.join(',')}`)).toEqual([
      '&dev->a_lock->&dev->b_lock:EN',
      '&dev->b_lock->&dev->a_lock:EN',
    ]);
    const w = edges[0]?.witness;
    expect(w?.threadName).toBe('T1');
    expect(w?.stack).toEqual(['take_a_then_b', 'mutex_lock']);
    expect(w?.scenario).toBe(one);
    // the witness path replays to the acquiring step
    const r = runPath(abba.broken, one, w?.path ?? [], { record: 'full' });
    expect(r.ok).toBe(true);
    expect(r.exec.steps.at(-1)?.stack).toEqual(['take_a_then_b', 'mutex_lock']);
    const cycles = g.cycles();
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.classes).toEqual(['&dev->a_lock', '&dev->b_lock']);
    expect(cycles[0]?.kind).toBe('lockdep-cycle');
    const report = g.report(cycles[0] as NonNullable<(typeof cycles)[0]>);
    expect(report).toContain('WARNING: possible circular locking dependency detected');
    expect(report).toContain('is trying to acquire lock:');
    expect(g.checkOrder(['&dev->a_lock', '&dev->b_lock']).map((v) => g.describeOrderViolation(v))).toEqual([
      'declared order &dev->a_lock before &dev->b_lock broken: &dev->a_lock taken under &dev->b_lock by T2 in other > mutex_lock',
    ]);
  });

  it('keeps the shortest witness over a whole search', () => {
    const g = new LockGraph();
    explore(abba.fixed, abba.scenario, { monitors: () => [g.recorder()] });
    const e = g.edges();
    expect(e).toHaveLength(1);
    // step 0 runs take_a_then_b up to mutex_lock(a); step 1 takes a and asks for b: the edge
    expect(e[0]?.witness.path).toEqual([0, 0]);
    expect(g.cycles()).toEqual([]);
    expect(g.checkOrder(['&dev->a_lock', '&dev->b_lock'])).toEqual([]);
  });
});
