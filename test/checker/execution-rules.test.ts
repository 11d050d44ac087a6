/**
 * One execution (checker/execution.ts), rule by rule: which threads may run
 * (guards, joins), what a step records, how an operation's queued task work
 * runs as part of it, what ends an execution (the end, a deadlock, a livelock,
 * a model error, a monitor) and with which message, and what the state's
 * fingerprint and key tell apart.
 */
import { describe, expect, it } from 'vitest';
import type { OpFn, OpGenerator } from '../../checker/context.ts';
import { callLabel, Execution } from '../../checker/execution.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Point } from '../../checker/point.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';

const gate = (id: string): Point => ({
  action: `wait(${id})`,
  locs: [id],
  enabled: (w: World) => w.peek(id, 'open') === true,
  waitsFor: (w: World) => `${id} is ${w.peek(id, 'open') ? 'open' : 'shut'}`,
});

const open: OpFn = function* open(ctx) {
  yield { action: 'open(g)', locs: ['g'], fire: (w) => (w.set('g', 'open', true), 'opened') };
  ctx.note('the gate is open');
  return 'done';
};
const pass: OpFn = function* pass(ctx) {
  const got = yield gate('g');
  ctx.set('log', 'got', got === undefined ? 'nothing' : String(got));
  return null;
};
const join: OpFn = function* join() {
  yield { action: 'join', joinAll: true };
  return null;
};
const joinButT2: OpFn = function* join_but_t2() {
  yield { action: 'join', joinAll: true, joinExcept: ['T2'] };
  return null;
};
const idle: OpFn = function* idle() {
  yield { action: 'idle' };
  return 7;
};
const stuck: OpFn = function* stuck() {
  yield gate('never');
  return null;
};
const emits: OpFn = function* emits(ctx) {
  ctx.emit({ type: 'hello', n: 1 });
  yield { action: 'after hello' };
  ctx.emit({ type: 'bye' });
  return null;
};
const queues: OpFn = function* queues(ctx, args) {
  ctx.defer('task', { n: args.n ?? 1 }, function* task(c) {
    yield { action: 'task step' };
    c.set('log', 'got', 'task ran');
    return 'task';
  });
  yield { action: 'queued' };
  return 'queued';
};
const bare: OpFn = function* bare(_ctx, args) {
  yield args.v as unknown as Point;
  return null;
};
const throws: OpFn = function* throws() {
  yield { action: 'before' };
  throw new TypeError('boom');
};
const fails: OpFn = function* fails(ctx): OpGenerator {
  yield { action: 'before' };
  return ctx.fail('broken', 'it broke', 'the report');
};
const forever: OpFn = function* forever() {
  for (;;) yield { action: 'again' };
};

let setups = 0;
const sys: System = {
  name: 'exec-rules',
  setup(w, params) {
    setups++;
    w.create('gate', { open: false }, null, 'g');
    w.create('gate', { open: false }, null, 'never');
    w.create('log', { got: '', size: (params.size as number | undefined) ?? 0 }, null, 'log');
  },
  ops: { open, pass, join, join_but_t2: joinButT2, idle, stuck, emits, queues, bare, throws, fails, forever },
  stepContext: (w, t) => (w.peek('g', 'open') ? [`${t} sees g open`] : []),
};
const sc = (...threads: [string, ...string[]][]): Scenario => ({
  threads: threads.map(([name, ...ops]) => ({ name, ops: ops.map((op) => ({ op, args: {} })) })),
});
const run = (e: Execution, ...path: number[]) => {
  for (const t of path) e.step(t);
  return e;
};

describe('runnable threads', () => {
  it('a thread at a guard runs once it holds; a thread between operations always may', () => {
    const e = new Execution(sys, sc(['T0', 'open'], ['T1', 'pass']));
    expect(e.runnable()).toEqual([0, 1]);
    e.step(1);
    // T1 waits at the gate
    expect(e.runnable()).toEqual([0]);
    expect(e.nextAction(1)).toBe('wait(g)');
    expect(e.nextLocs(1)).toEqual(['g']);
    expect(e.position(1)).toEqual({ op: 0, done: false, waitsFor: 'g is shut' });
    expect(e.nextAction(0)).toBe('call open()');
    expect(e.nextLocs(0)).toBeNull();
    run(e, 0, 0);
    expect(e.runnable()).toEqual([1]);
    expect(e.position(0)).toEqual({ op: 1, done: true, waitsFor: null });
    expect(e.nextAction(0)).toBe('(done)');
    expect(e.position(1).waitsFor).toBe('g is open');
    e.step(1);
    expect(e.isOver()).toBe(true);
    expect(e.violation).toBeNull();
    expect(e.results('T0')).toEqual(['done']);
    expect(e.results('T1')).toEqual([null]);
    expect(e.results('nobody')).toEqual([]);
    // the gate's fire result is what the waiting thread's yield got: nothing
    expect(e.world.peek('log', 'got')).toBe('nothing');
  });

  it('a join waits for every other thread, but those it excepts', () => {
    const e = new Execution(sys, sc(['T0', 'join'], ['T1', 'idle']));
    e.step(0);
    expect(e.runnable()).toEqual([1]);
    run(e, 1, 1);
    expect(e.runnable()).toEqual([0]);
    const x = new Execution(sys, sc(['T0', 'join_but_t2'], ['T1', 'idle'], ['T2', 'stuck']));
    x.step(0);
    expect(x.runnable()).toEqual([1, 2]);
    run(x, 2, 1, 1);
    // T2 is blocked for good, T1 done: the join does not wait for T2
    expect(x.runnable()).toEqual([0]);
  });

  it('refuses unknown threads, duplicate names, unknown operations and steps after the end', () => {
    const e = new Execution(sys, sc(['T0', 'idle']));
    expect(() => e.step(3)).toThrow('no thread 3');
    expect(() => e.nextAction(-1)).toThrow('no thread -1');
    expect(() => new Execution(sys, sc(['T0'], ['T0']))).toThrow('thread names must be unique');
    expect(() => new Execution(sys, sc(['T0', 'nope']))).toThrow('unknown operation nope');
    run(e, 0, 0);
    expect(e.isOver()).toBe(true);
    expect(() => e.step(0)).toThrow('execution is over');
    expect(() => new Execution(sys, sc(['T0'])).setRecord('full')).toThrow('full recording is fixed at construction');
    expect(() => new Execution(sys, sc(['T0']), { record: 'full' }).setRecord('none')).toThrow('full recording is fixed at construction');
  });
});

describe('what a step records', () => {
  it('in full: thread, stack, action, notes, context, changes, reads, writes, events, the value returned', () => {
    const e = run(new Execution(sys, sc(['T0', 'open'], ['T1', 'emits']), { record: 'full' }), 0, 0, 1, 1);
    expect(e.steps.map((s) => [s.index, s.thread, s.action, s.stack])).toEqual([
      [0, 'T0', 'call open()', ['open']],
      [1, 'T0', 'open(g)', ['open']],
      [2, 'T1', 'call emits()', ['emits']],
      [3, 'T1', 'after hello', ['emits']],
    ]);
    const s = e.steps[1]!;
    expect(s.notes).toEqual(['the gate is open']);
    expect(s.context).toEqual(['T0 sees g open']);
    expect(s.changes).toEqual([{ obj: 'g', field: 'open', from: false, to: true }]);
    expect(s.writes).toContain('g');
    expect(s.returned).toEqual({ op: 'open', value: 'done' });
    expect(e.steps[0]!.returned).toBeUndefined();
    expect(Object.hasOwn(e.steps[0]!, 'returned')).toBe(false);
    expect(e.steps[2]!.events).toEqual([{ type: 'hello', n: 1 }]);
    expect(e.steps[3]!.events).toEqual([{ type: 'bye' }]);
    expect(e.steps[3]!.notes).toEqual([]);
  });

  it('footprints only: the step returns what it touched, and nothing is kept as a trace', () => {
    const e = new Execution(sys, sc(['T0', 'open']), { record: 'footprint' });
    e.step(0);
    const fp = e.step(0);
    expect(fp.writes.length).toBeGreaterThan(0);
    expect(e.steps).toEqual([]);
    const none = new Execution(sys, sc(['T0', 'open']));
    none.step(0);
    expect(none.step(0)).toEqual({ reads: [], writes: [], counts: [] });
  });

  it("runs an operation's queued task work on its thread after it returns, as part of it", () => {
    const e = new Execution(
      sys,
      {
        threads: [
          {
            name: 'T0',
            ops: [
              { op: 'queues', args: { n: 2 } },
              { op: 'idle', args: {} },
            ],
          },
        ],
      },
      { record: 'full' },
    );
    run(e, 0, 0);
    expect(e.results('T0')).toEqual(['queued']);
    // the task is next, and the thread counts as inside its operation until it has run
    expect(e.nextAction(0)).toBe('call task(n=2)');
    expect(e.betweenOperations()).toBe(false);
    expect(e.position(0).op).toBe(0);
    run(e, 0, 0);
    expect(e.results('T0')).toEqual(['queued', 'task']);
    expect(e.world.peek('log', 'got')).toBe('task ran');
    expect(e.betweenOperations()).toBe(true);
    expect(e.nextAction(0)).toBe('call idle()');
    expect(e.position(0).op).toBe(1);
    e.step(0);
    expect(e.betweenOperations()).toBe(false);
  });
});

describe('what ends an execution', () => {
  it('the end: every thread done, then the monitors at the end', () => {
    const seen: string[] = [];
    const m: Monitor = { name: 'end', atEnd: (x) => (seen.push(x.threadNames.join()), null) };
    const e = run(new Execution(sys, sc(['T0', 'idle'], ['T1']), { monitors: [m] }), 0, 0);
    expect(e.allDone()).toBe(true);
    expect(e.isOver()).toBe(true);
    expect(seen).toEqual(['T0,T1']);
    expect(e.stuck()).toBeNull();
    expect(seen).toHaveLength(1);
    // a scenario with nothing to do ends when asked
    const empty = new Execution(sys, sc(['T0']), { monitors: [m] });
    expect(empty.isOver()).toBe(false);
    expect(empty.stuck()).toBeNull();
    expect(empty.isOver()).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it('a deadlock: who is blocked where, waiting for what; the culprit is the first not just joining', () => {
    const e = run(new Execution(sys, sc(['T0', 'join'], ['T1', 'stuck'], ['T2', 'pass'])), 0, 1, 2);
    expect(e.runnable()).toEqual([]);
    const v = e.stuck()!;
    expect(v).toEqual({
      kind: 'deadlock',
      message: 'deadlock: no thread can run (3 blocked: T1 at wait(never) in stuck; T2 at wait(g) in pass)',
      report: [
        '  T0: blocked in join at join',
        '  T1: blocked in stuck at wait(never) — never is shut',
        '  T2: blocked in pass at wait(g) — g is shut',
      ].join('\n'),
      thread: 'T1',
      stack: ['stuck'],
    });
    expect(e.isOver()).toBe(true);
    expect(e.stuck()).toBe(v);
  });

  it('a deadlock of joins only blames the first', () => {
    const e = run(new Execution(sys, sc(['T0', 'join'], ['T1', 'join'])), 0, 1);
    const v = e.stuck()!;
    expect(v.message).toBe('deadlock: no thread can run (2 blocked)');
    expect(v.thread).toBe('T0');
  });

  it('a monitor may judge the stuck state: its violation, or with soft monitors a note beside the deadlock', () => {
    const m: Monitor = {
      name: 'stuck-judge',
      atStuck: (_x, blocked) => ({
        kind: 'stuck-forever',
        message: blocked.map((b) => `${b.thread}:${b.action}:${b.stack.join('>')}`).join(' '),
      }),
    };
    const hard = run(new Execution(sys, sc(['T0', 'stuck']), { monitors: [m] }), 0);
    expect(hard.stuck()).toEqual({ kind: 'stuck-forever', message: 'T0:wait(never):stuck' });
    const soft = run(new Execution(sys, sc(['T0', 'stuck']), { monitors: [m], softMonitors: true }), 0);
    expect(soft.stuck()?.kind).toBe('deadlock');
    expect(soft.soft.map((v) => v.kind)).toEqual(['stuck-forever']);
  });

  it('a livelock: a thread still running at the step limit', () => {
    const e = new Execution(sys, sc(['T0', 'forever']), { maxSteps: 5 });
    run(e, 0, 0, 0, 0);
    expect(e.isOver()).toBe(false);
    e.step(0);
    expect(e.violation).toEqual({ kind: 'livelock', message: 'thread T0 did not finish after 5 steps', thread: 'T0', stack: ['forever'] });
    const long = new Execution(sys, sc(['T0', 'forever']));
    for (let i = 0; i < 9_999; i++) long.step(0);
    expect(long.isOver()).toBe(false);
    long.step(0);
    expect(long.violation?.message).toBe('thread T0 did not finish after 10000 steps');
  });

  it('a model error: a bare yield, or code that throws; a failure the model raises', () => {
    const yieldOf = (v: unknown) => {
      const e = new Execution(sys, { threads: [{ name: 'T0', ops: [{ op: 'bare', args: { v: v as never } }] }] });
      e.step(0);
      return e.violation;
    };
    expect(yieldOf(3)).toEqual({
      kind: 'model-error',
      message: 'a bare yield of 3 is not a scheduling point (wait with yield* on a primitive)',
      thread: 'T0',
      stack: ['bare'],
    });
    expect(yieldOf('short')?.message).toBe('a bare yield of "short" is not a scheduling point (wait with yield* on a primitive)');
    expect(yieldOf('x'.repeat(41))?.message).toBe(
      `a bare yield of "${'x'.repeat(40)}…" is not a scheduling point (wait with yield* on a primitive)`,
    );
    expect(yieldOf('y'.repeat(40))?.message).toContain(`"${'y'.repeat(40)}" is not`);
    expect(yieldOf(null)?.message).toContain('a bare yield of null is');
    expect(yieldOf([1])?.message).toContain('a bare yield of an array is');
    expect(yieldOf({ act: 1 })?.message).toContain('a bare yield of an object is');
    expect(yieldOf({ action: 5 })?.message).toContain('a bare yield of an object is');
    expect(yieldOf(undefined)?.message).toContain('a bare yield of undefined is');

    const t = run(new Execution(sys, sc(['T0', 'throws'])), 0, 0);
    expect(t.violation?.kind).toBe('model-error');
    expect(t.violation?.message).toMatch(/^model threw: TypeError: boom\n/);
    expect(t.violation?.thread).toBe('T0');
    expect(t.violation?.stack).toEqual(['throws']);
    const f = run(new Execution(sys, sc(['T0', 'fails']), { record: 'full' }), 0, 0);
    expect(f.violation).toEqual({ kind: 'broken', message: 'it broke', thread: 'T0', stack: ['fails'], report: 'the report' });
    expect(f.steps.map((s) => s.action)).toEqual(['call fails()', 'before']);
  });

  it("a monitor's event or step check: the thread and stack filled in; soft, noted and the run goes on", () => {
    const onHello: Monitor = { name: 'hello', onEvent: (ev) => (ev.type === 'hello' ? { kind: 'said-hello', message: 'hi' } : null) };
    const e = run(new Execution(sys, sc(['T0', 'emits'])), 0);
    expect(e.violation).toBeNull();
    const hard = run(new Execution(sys, sc(['T0', 'emits']), { monitors: [onHello] }), 0);
    expect(hard.violation).toEqual({ kind: 'said-hello', message: 'hi', thread: 'T0', stack: ['emits'] });
    const soft = run(new Execution(sys, sc(['T0', 'emits']), { monitors: [onHello], softMonitors: true }), 0, 0);
    expect(soft.violation).toBeNull();
    expect(soft.soft).toEqual([{ kind: 'said-hello', message: 'hi', thread: 'T0', stack: ['emits'] }]);
    expect(soft.isOver()).toBe(true);

    const own: Monitor = { name: 'own', onEvent: () => ({ kind: 'k', message: 'm', thread: 'X', stack: ['s'] }) };
    expect(run(new Execution(sys, sc(['T0', 'emits']), { monitors: [own] }), 0).violation).toEqual({
      kind: 'k',
      message: 'm',
      thread: 'X',
      stack: ['s'],
    });

    const second: Monitor = { name: 'second', afterStep: (x) => (x.stepCount === 2 ? { kind: 'two-steps', message: 'two' } : null) };
    const a = run(new Execution(sys, sc(['T0', 'open'], ['T1', 'idle']), { monitors: [second] }), 1, 1);
    expect(a.violation).toEqual({ kind: 'two-steps', message: 'two', thread: 'T1' });
    const b = run(new Execution(sys, sc(['T0', 'open'], ['T1', 'idle']), { monitors: [second], softMonitors: true }), 1, 1);
    expect(b.violation).toBeNull();
    expect(b.soft).toEqual([{ kind: 'two-steps', message: 'two', thread: 'T1' }]);

    const end: Monitor = { name: 'end', atEnd: () => ({ kind: 'at-end', message: 'end' }) };
    const c = run(new Execution(sys, sc(['T0', 'idle']), { monitors: [end], softMonitors: true }), 0, 0);
    expect(c.violation).toBeNull();
    expect(c.soft).toEqual([{ kind: 'at-end', message: 'end' }]);
    const d = run(new Execution(sys, sc(['T0', 'idle']), { monitors: [end, second] }), 0, 0);
    expect(d.violation?.kind).toBe('two-steps');
    const g = run(new Execution(sys, sc(['T0', 'idle']), { monitors: [end] }), 0, 0);
    expect(g.violation).toEqual({ kind: 'at-end', message: 'end' });
  });

  it("monitors are reset at the start of every execution, the system's own first", () => {
    const order: string[] = [];
    const m = (name: string): Monitor => ({ name, reset: () => order.push(name) });
    const withOwn: System = { ...sys, monitors: () => [m('own')] };
    new Execution(withOwn, sc(['T0']), { monitors: [m('given')] });
    expect(order).toEqual(['own', 'given']);
  });
});

describe('state identity', () => {
  const fp = (e: Execution) => {
    const f = e.fingerprint();
    return `${f.a}:${f.b}`;
  };
  const at = (s: Scenario, path: number[], monitors: Monitor[] = []) =>
    run(new Execution(sys, s, { trackLocals: true, monitors }), ...path);

  it('needs the thread logs', () => {
    const e = new Execution(sys, sc(['T0']));
    expect(() => e.fingerprint()).toThrow('fingerprint() needs trackLocals');
    expect(() => e.stateKey()).toThrow('stateKey() needs trackLocals');
  });

  it("tells apart a thread's position: before its call, inside it, done; and which operation", () => {
    const s = sc(['T0', 'idle', 'idle']);
    const states = [at(s, []), at(s, [0]), at(s, [0, 0]), at(s, [0, 0, 0]), at(s, [0, 0, 0, 0])];
    expect(new Set(states.map(fp)).size).toBe(5);
    expect(new Set(states.map((e) => e.stateKey())).size).toBe(5);
    // the same position reached again is the same state
    expect(fp(at(s, [0, 0]))).toBe(fp(states[2]!));
    expect(at(s, [0, 0]).stateKey()).toBe(states[2]!.stateKey());
    // the same world and positions under other operations' names are not
    const t = sc(['T0', 'join', 'idle']);
    expect(fp(at(t, []))).not.toBe(fp(states[0]!));
    expect(at(t, []).stateKey()).not.toBe(states[0]!.stateKey());
  });

  it('tells apart arguments, queued work and what a thread read', () => {
    const q = (n: number) => ({ threads: [{ name: 'T0', ops: [{ op: 'queues', args: { n } }] }] });
    expect(fp(at(q(1), [0]))).not.toBe(fp(at(q(2), [0])));
    expect(at(q(1), [0]).stateKey()).not.toBe(at(q(2), [0]).stateKey());
    // at 'queued' the task is queued; after it, the task is next, not queued
    expect(at(q(1), [0]).stateKey()).toContain('+task(n=1)');
    expect(at(q(1), [0, 0]).stateKey()).not.toContain('+task');
    const a = at(q(1), [0]);
    const b = at(q(1), [0]);
    expect(fp(a)).toBe(fp(b));
    // T1 waits at the gate either way, but only one of them saw it opened
    const s = sc(['T0', 'open'], ['T1', 'pass', 'idle']);
    const x = at(s, [1, 0, 0, 1]);
    const y = at(sc(['T0', 'open'], ['T1', 'pass', 'idle']), [0, 0, 1, 1]);
    expect(x.stateKey()).toBe(y.stateKey());
  });

  it("includes the monitors' memory", () => {
    let memory = 'a';
    const m: Monitor = { name: 'mem', key: () => memory };
    const e = at(sc(['T0', 'idle']), [0], [m]);
    const before = fp(e);
    const keyBefore = e.stateKey();
    expect(keyBefore).toContain('|mem:a');
    memory = 'b';
    expect(fp(e)).not.toBe(before);
    expect(e.stateKey()).toContain('|mem:b');
    memory = 'a';
    expect(fp(e)).toBe(before);
  });
});

describe('save and restore', () => {
  it('needs the thread logs and monitors that can save, and a live execution', () => {
    expect(new Execution(sys, sc(['T0', 'idle'])).canRestore()).toBe(false);
    expect(new Execution(sys, sc(['T0', 'idle']), { trackLocals: true }).canRestore()).toBe(true);
    expect(new Execution(sys, sc(['T0', 'idle']), { trackLocals: true, record: 'full' }).canRestore()).toBe(false);
    const forgetful: Monitor = { name: 'f', reset() {} };
    const careful: Monitor = { name: 'c', reset() {}, save: () => 1, load() {} };
    const plain: Monitor = { name: 'p' };
    expect(new Execution(sys, sc(['T0']), { trackLocals: true, monitors: [forgetful] }).canRestore()).toBe(false);
    expect(new Execution(sys, sc(['T0']), { trackLocals: true, monitors: [careful, plain] }).canRestore()).toBe(true);
    expect(() => new Execution(sys, sc(['T0', 'idle'])).save()).toThrow('save() needs trackLocals and monitors that can save their memory');
    const over = run(new Execution(sys, sc(['T0', 'idle']), { trackLocals: true }), 0, 0);
    expect(() => over.save()).toThrow('save() of an execution that is over');
  });

  it("comes back to the saved state: world, positions, results, the monitors' memory", () => {
    let mem = 0;
    const m: Monitor = {
      name: 'count',
      reset: () => (mem = 0),
      afterStep: () => (mem++, null),
      save: () => mem,
      load: (v) => (mem = v as number),
      key: () => String(mem),
    };
    const s = sc(['T0', 'open'], ['T1', 'pass', 'idle']);
    const e = run(new Execution(sys, s, { trackLocals: true, monitors: [m] }), 1);
    const key = e.stateKey();
    const snap = e.save();
    run(e, 0, 0, 1, 1, 1);
    expect(e.isOver()).toBe(true);
    expect(e.results('T1')).toEqual([null, 7]);
    e.restore(snap);
    expect(e.isOver()).toBe(false);
    expect(e.path).toEqual([1]);
    expect(e.stateKey()).toBe(key);
    expect(mem).toBe(1);
    expect(e.results('T1')).toEqual([]);
    expect(e.world.peek('g', 'open')).toBe(false);
    expect(e.runnable()).toEqual([0]);
    // and runs on as a fresh execution would
    run(e, 0, 0, 1);
    const fresh = run(new Execution(sys, s, { trackLocals: true, monitors: [m] }), 1, 0, 0, 1);
    expect(e.stateKey()).toBe(fresh.stateKey());
    expect(e.world.peek('log', 'got')).toBe('nothing');
  });
});

describe('the initial world', () => {
  it("is built by the system's setup once per set of parameters, and copied for each execution", () => {
    const before = setups;
    const a = new Execution(sys, { threads: [], setup: { size: 101 } });
    const b = new Execution(sys, { threads: [], setup: { size: 101 } });
    expect(setups).toBe(before + 1);
    a.world.set('log', 'got', 'changed');
    expect(b.world.peek('log', 'got')).toBe('');
    new Execution(sys, { threads: [], setup: { size: 102 } });
    expect(setups).toBe(before + 2);
    expect(new Execution(sys, { threads: [], setup: { size: 102 } }).world.peek('log', 'size')).toBe(102);
    // with and without fingerprints the worlds differ, and are built apart
    new Execution(sys, { threads: [], setup: { size: 101 } }, { trackLocals: true });
    expect(setups).toBe(before + 3);
  });
});

describe('callLabel', () => {
  it('writes a call as name(k=v, ...), strings bare, other values as canonical JSON', () => {
    expect(callLabel('op', {})).toBe('op()');
    expect(callLabel('op', { a: 1, b: 'x' })).toBe('op(a=1, b=x)');
    expect(callLabel('op', { l: [1, 'a'], o: { z: 1, a: null }, t: true })).toBe('op(l=[1,"a"], o={"a":null,"z":1}, t=true)');
  });
});
