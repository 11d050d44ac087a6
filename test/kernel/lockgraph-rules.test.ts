import { describe, expect, it } from 'vitest';
import type { Ctx, OpFn } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { World } from '../../checker/world.ts';
import { complete, init_completion, wait_for_completion } from '../../kernel/completion.ts';
import { LockGraph, shorter, type Witness } from '../../kernel/lockdep/lockgraph.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { down_read, down_write, init_rwsem, up_read, up_write } from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';

/**
 * Lockdep across executions (LockGraph): what it keeps from many runs (every
 * edge with its shortest witness, every recursion), and what it answers (the
 * cycles, each once; a declared order's violations; the text of each).
 */

type Op = (ctx: Ctx) => Generator<unknown, undefined, unknown>;

function* nest(ctx: Ctx, outer: string, inner: string) {
  yield* ctx.call(mutex_lock, outer);
  yield* ctx.call(mutex_lock, inner);
  yield* ctx.call(mutex_unlock, inner);
  yield* ctx.call(mutex_unlock, outer);
}

const OPS: Record<string, Op> = {
  *pad(_ctx) {
    yield { action: 'pad', locs: [], fire: () => undefined };
    return undefined;
  },
  *ab(ctx) {
    yield* nest(ctx, 'a', 'b');
    return undefined;
  },
  *ba(ctx) {
    yield* nest(ctx, 'b', 'a');
    return undefined;
  },
  *bc(ctx) {
    yield* nest(ctx, 'b', 'c');
    return undefined;
  },
  *ca(ctx) {
    yield* nest(ctx, 'c', 'a');
    return undefined;
  },
  *read_sem_then_b(ctx) {
    yield* ctx.call(down_read, 'sem');
    yield* ctx.call(mutex_lock, 'b');
    yield* ctx.call(mutex_unlock, 'b');
    yield* ctx.call(up_read, 'sem');
    return undefined;
  },
  *write_sem_then_b(ctx) {
    yield* ctx.call(down_write, 'sem');
    yield* ctx.call(mutex_lock, 'b');
    yield* ctx.call(mutex_unlock, 'b');
    yield* ctx.call(up_write, 'sem');
    return undefined;
  },
  *aa(ctx) {
    yield* ctx.call(mutex_lock, 'a');
    yield* ctx.call(mutex_lock, 'a2');
    return undefined;
  },
  *cc(ctx) {
    yield* ctx.call(mutex_lock, 'c');
    yield* ctx.call(mutex_lock, 'c2');
    return undefined;
  },
  *signal_under_a(ctx) {
    yield* ctx.call(mutex_lock, 'a');
    yield* ctx.call(complete, 'C');
    yield* ctx.call(mutex_unlock, 'a');
    return undefined;
  },
  *signal_then_wait_under_a(ctx) {
    yield* ctx.call(mutex_lock, 'a');
    yield* ctx.call(complete, 'C');
    yield* ctx.call(wait_for_completion, 'C');
    yield* ctx.call(mutex_unlock, 'a');
    return undefined;
  },
  *wait_under_a(ctx) {
    yield* ctx.call(mutex_lock, 'a');
    yield* ctx.call(wait_for_completion, 'C');
    yield* ctx.call(mutex_unlock, 'a');
    return undefined;
  },
};

function setup(w: World): void {
  for (const n of ['a', 'b', 'c']) mutex_init(w, `&${n}`, { id: n });
  mutex_init(w, '&a', { id: 'a2' });
  mutex_init(w, '&c', { id: 'c2' });
  init_completion(w, '&C', { id: 'C' });
  init_rwsem(w, '&sem', { id: 'sem' });
}

const system: System = { name: 'lockgraph', setup, ops: OPS as unknown as Record<string, OpFn>, stepContext: heldLocks };

/** One thread running `ops` in order. */
function one(...ops: string[]): Scenario {
  return { threads: [{ name: 'T', ops: ops.map((op) => ({ op, args: {} })) }] };
}

function feed(g: LockGraph, ...scenarios: Scenario[]): LockGraph {
  for (const s of scenarios) runScenario(system, s, SEQUENTIAL, { monitors: [g.recorder()] });
  return g;
}

const w = (path: number[]) => ({ path }) as unknown as Witness;

describe('LockGraph', () => {
  it('shorter: a shorter path first, then the lexicographically smaller one', () => {
    expect(shorter(w([0, 1]), w([0, 0, 0]))).toBe(true);
    expect(shorter(w([0, 0, 0]), w([0, 1]))).toBe(false);
    expect(shorter(w([0, 1]), w([1, 0]))).toBe(true);
    expect(shorter(w([1, 0]), w([0, 1]))).toBe(false);
    expect(shorter(w([0, 1]), w([0, 1]))).toBe(false);
  });

  // a witness path counts the op's start and each step up to the one that made the dependency
  it('keeps the shortest witness of an edge, whichever execution came first', () => {
    for (const order of [
      [one('pad', 'ab'), one('ab')],
      [one('ab'), one('pad', 'ab')],
    ]) {
      const g = feed(new LockGraph(), ...order);
      expect(g.edges().map((e) => [e.from, e.to, e.types, e.witness.path.length, e.witness.scenario.threads[0]?.ops.length])).toEqual([
        ['&a', '&b', ['EN'], 2, 1],
      ]);
    }
  });

  it('an edge gains a type from a later execution, each type with its own shortest witness', () => {
    const g = feed(new LockGraph(), one('pad', 'write_sem_then_b'), one('read_sem_then_b'), one('pad', 'pad', 'read_sem_then_b'));
    const [e] = g.edges();
    expect([e?.from, e?.to, e?.types]).toEqual(['&sem', '&b', ['EN', 'SN']]);
    // the edge's witness is the shortest over its types: the read one
    expect([e?.witness.path.length, e?.witness.dep.type]).toEqual([2, 'SN']);
    expect(g.describeEdges()).toEqual(['&sem -> &b [EN,SN] by T in read_sem_then_b > mutex_lock (path 0,0)']);
  });

  it('describes each edge with its witness', () => {
    const g = feed(new LockGraph(), one('ab'), one('pad', 'bc'));
    expect(g.describeEdges()).toEqual([
      '&a -> &b [EN] by T in ab > mutex_lock (path 0,0)',
      '&b -> &c [EN] by T in bc > mutex_lock (path 0,0,0,0)',
    ]);
    expect(g.classes()).toEqual(['&a', '&b', '&c']);
    expect([g.size, g.hasEdge('&a', '&b'), g.hasEdge('&b', '&a'), g.hasEdge('&a', '&c')]).toEqual([2, true, false, false]);
  });

  it('records each recursion once per class, sorted, with its shortest witness and report', () => {
    const g = feed(new LockGraph(), one('pad', 'cc'), one('pad', 'aa'), one('aa'));
    expect(g.recursions().map((r) => [r.class, r.witness.path.length, r.witness.dep.prev.class, r.witness.dep.type])).toEqual([
      ['&a', 2, '&a', 'EN'],
      ['&c', 4, '&c', 'EN'],
    ]);
    expect(g.size).toBe(0);
    const report = g.recursionReport(g.recursions()[0] as ReturnType<LockGraph['recursions']>[0]);
    expect(report).toContain('WARNING: possible recursive locking detected');
    expect(report).toContain('T is trying to acquire lock:\n (&a){+.+.}, at: aa');
  });

  it('finds every strong cycle once, from its smallest class, shortest first', () => {
    const g = feed(new LockGraph(), one('ca'), one('bc'), one('ba'), one('ab'));
    const cycles = g.cycles();
    expect(cycles.map((c) => [c.classes.join(' '), c.hops.map((h) => h.type).join(','), c.kind])).toEqual([
      ['&a &b', 'EN,EN', 'lockdep-cycle'],
      ['&a &b &c', 'EN,EN,EN', 'lockdep-cycle'],
    ]);
    expect(cycles[1]?.hops.map((h) => `${h.from}>${h.to}`)).toEqual(['&a>&b', '&b>&c', '&c>&a']);
  });

  it('reports a cycle at the dependency made last (the longest witness)', () => {
    for (const [first, second, acquiring] of [
      [one('ab'), one('pad', 'ba'), '&a'],
      [one('pad', 'ab'), one('ba'), '&b'],
    ] as const) {
      const g = feed(new LockGraph(), first, second);
      const [cycle] = g.cycles();
      const report = g.report(cycle as NonNullable<typeof cycle>);
      expect(report).toContain(`T is trying to acquire lock:\n (${acquiring}){+.+.}`);
      expect(report).toContain(`but task is already holding lock:\n (${acquiring === '&a' ? '&b' : '&a'}){+.+.}`);
    }
  });

  it('a cycle through a completion is a wait under a lock', () => {
    const g = feed(new LockGraph(), one('signal_under_a'), one('wait_under_a'));
    expect(g.cycles().map((c) => [c.classes.join(' '), c.kind])).toEqual([['&a (completion)&C', 'wait-under-lock']]);
  });

  it('a signal becomes an edge when its lock is released, not when the task then waits on it itself', () => {
    expect(feed(new LockGraph(), one('signal_under_a')).describeEdges()).toEqual([
      '(completion)&C -> &a [EN] by T in signal_under_a > complete (path 0,0)',
    ]);
    const own = feed(new LockGraph(), one('signal_then_wait_under_a'));
    expect(own.describeEdges()).toEqual(['&a -> (completion)&C [EN] by T in signal_then_wait_under_a > wait_for_completion (path 0,0,0)']);
  });

  it('a declared order is broken by any path from a later class to an earlier one', () => {
    const g = feed(new LockGraph(), one('ab'), one('bc'));
    expect(g.checkOrder(['&a', '&b', '&c'])).toEqual([]);
    const broken = g.checkOrder(['&c', '&b', '&a']);
    expect(broken.map((v) => [v.earlier, v.later, v.path.length])).toEqual([
      ['&c', '&b', 1],
      ['&c', '&a', 2],
      ['&b', '&a', 1],
    ]);
    expect(g.describeOrderViolation(broken[1] as NonNullable<(typeof broken)[1]>)).toBe(
      'declared order &c before &a broken: &b taken under &a by T in ab > mutex_lock; &c taken under &b by T in bc > mutex_lock',
    );
  });
});
