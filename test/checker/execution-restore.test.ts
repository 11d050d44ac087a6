/**
 * An execution brought back to a saved point (checker/execution.ts, save and
 * restore): a thread that moved is rebuilt from its log, and what its code
 * did before the point (events, task work queued, functions entered) is not
 * done twice; queued work, the threads' local state and the blocked threads'
 * stacks come back as they were; a model that does not re-run the same way is
 * caught. Also coverage's raced windows, and which monitors allow restoring.
 */
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../checker/context.ts';
import { CoverageRecorder } from '../../checker/coverage.ts';
import { Execution } from '../../checker/execution.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Point } from '../../checker/point.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';

let flips = 0;
const ops: Record<string, OpFn> = {
  /** in its call step: an event, task work; then two points */
  *busy(ctx) {
    ctx.emit({ type: 'busy' });
    ctx.defer('task', {}, function* task() {
      yield { action: 'task' };
      return 'task';
    });
    yield { action: 'p1' };
    yield { action: 'p2' };
    return 'busy';
  },
  /** reads the flag in its call step, then waits for nothing in particular */
  *reader(ctx) {
    const seen = ctx.get('f', 'on');
    yield { action: `holding ${String(seen === true)}`.slice(0, 7) };
    return null;
  },
  *toggle(ctx) {
    yield { action: 'on' };
    ctx.set('f', 'on', true);
    yield { action: 'off' };
    ctx.set('f', 'on', false);
    return null;
  },
  /** blocks for good inside a function of its own */
  *blocked(ctx) {
    yield* ctx.call(function* deep_wait() {
      yield { action: 'wait', enabled: (w: World) => w.peek('f', 'never') === true } as Point;
    });
    return null;
  },
  /** not deterministic: what it yields depends on a counter outside the world */
  *fickle() {
    flips++;
    yield { action: flips % 2 === 1 ? 'odd' : 'even' };
    yield { action: 'end' };
    return null;
  },
  /** two steps inside a frame, for coverage */
  *framed(ctx) {
    return yield* ctx.frame(
      'window',
      (function* () {
        yield { action: 'a' };
        yield { action: 'b' };
        return null;
      })(),
    );
  },
};
const sys: System = {
  name: 'restore',
  setup(w) {
    w.create('flag', { on: false, never: false }, null, 'f');
  },
  ops,
};
const sc = (...threads: [string, ...string[]][]): Scenario => ({
  threads: threads.map(([name, ...o]) => ({ name, ops: o.map((op) => ({ op, args: {} })) })),
});
const steps = (e: Execution, ...path: number[]) => {
  for (const t of path) e.step(t);
  return e;
};

describe('restore', () => {
  it('rebuilds a thread without doing its events or queueing its task work again', () => {
    let events = 0;
    const counter: Monitor = {
      name: 'events',
      reset: () => (events = 0),
      onEvent: () => (events++, null),
      save: () => events,
      load: (v) => (events = v as number),
      key: () => String(events),
    };
    const e = new Execution(sys, sc(['T0', 'busy'], ['T1', 'toggle']), { trackLocals: true, monitors: [counter] });
    e.step(0);
    const snap = e.save();
    steps(e, 0, 1);
    e.restore(snap);
    // T0 moved since the save: its next step rebuilds it from its log first
    steps(e, 0, 0, 0, 0);
    expect(events).toBe(1);
    expect(e.results('T0')).toEqual(['busy', 'task']);
    steps(e, 1, 1, 1);
    expect(e.isOver()).toBe(true);
  });

  it('brings queued task work back: what was queued at the save runs once after it', () => {
    const e = new Execution(sys, sc(['T0', 'busy']), { trackLocals: true });
    e.step(0);
    const snap = e.save();
    steps(e, 0, 0, 0, 0);
    expect(e.results('T0')).toEqual(['busy', 'task']);
    e.restore(snap);
    expect(e.results('T0')).toEqual([]);
    steps(e, 0, 0, 0, 0);
    expect(e.results('T0')).toEqual(['busy', 'task']);
    expect(e.isOver()).toBe(true);
    // and at a point where the task is next, not queued
    const f = steps(new Execution(sys, sc(['T0', 'busy']), { trackLocals: true }), 0, 0, 0);
    const at = f.save();
    const key = f.stateKey();
    f.step(0);
    f.restore(at);
    expect(f.stateKey()).toBe(key);
    expect(f.nextAction(0)).toBe('call task()');
  });

  it('keeps apart what a waiting thread read: the same world, another local state', () => {
    // T1 reads the flag off, or on, in its call step; T0 turns it on and off again either way
    const a = steps(new Execution(sys, sc(['T0', 'toggle'], ['T1', 'reader']), { trackLocals: true }), 1, 0, 0, 0);
    const b = steps(new Execution(sys, sc(['T0', 'toggle'], ['T1', 'reader']), { trackLocals: true }), 0, 0, 1, 0);
    expect(a.world.key()).toBe(b.world.key());
    expect(a.nextAction(1)).toBe(b.nextAction(1));
    expect(a.stateKey()).not.toBe(b.stateKey());
    const fa = a.fingerprint();
    const ka = `${fa.a}:${fa.b}`;
    const fb = b.fingerprint();
    expect(`${fb.a}:${fb.b}`).not.toBe(ka);
  });

  it("shows a blocked thread's stack in the deadlock report also when it was restored and not rebuilt", () => {
    const e = new Execution(sys, sc(['T0', 'blocked'], ['T1', 'toggle']), { trackLocals: true });
    e.step(0);
    const snap = e.save();
    steps(e, 1, 1, 1);
    e.restore(snap);
    steps(e, 1, 1, 1);
    expect(e.runnable()).toEqual([]);
    const v = e.stuck();
    expect(v?.report).toBe('  T0: blocked in blocked > deep_wait at wait');
    expect(v?.thread).toBe('T0');
    expect(v?.stack).toEqual(['blocked', 'deep_wait']);
  });

  it('a model that does not re-run the same way is caught when a thread is rebuilt', () => {
    flips = 0;
    const e = new Execution(sys, sc(['T0', 'fickle'], ['T1', 'toggle']), { trackLocals: true });
    e.step(0);
    const snap = e.save();
    steps(e, 0, 1);
    e.restore(snap);
    expect(() => e.step(0)).toThrow('nondeterministic model: rebuilding T0 in fickle() did not end where it was');
  });

  it('needs monitors with per-execution memory to both save and load it', () => {
    const saveOnly: Monitor = { name: 's', reset() {}, save: () => 1 };
    const loadOnly: Monitor = { name: 'l', reset() {}, load() {} };
    expect(new Execution(sys, sc(['T0']), { trackLocals: true, monitors: [saveOnly] }).canRestore()).toBe(false);
    expect(new Execution(sys, sc(['T0']), { trackLocals: true, monitors: [loadOnly] }).canRestore()).toBe(false);
  });
});

describe('coverage of an execution', () => {
  const run = (path: number[]) => {
    const cov = new CoverageRecorder();
    const e = new Execution(sys, sc(['T0', 'framed'], ['T1', 'framed']), { coverage: cov });
    steps(e, ...path);
    cov.end(e.path.length);
    return cov.table().get('window');
  };

  it("counts a function's window raced when another thread steps between its first and last step", () => {
    expect(run([0, 0, 0, 1, 1, 1])).toEqual({ calls: 2, executions: 1, raced: 0 });
    expect(run([0, 0, 1, 0, 1, 1])).toEqual({ calls: 2, executions: 1, raced: 1 });
    // T0 entered its window in its call step: T1 running whole before T0's next step races it
    expect(run([0, 1, 1, 1, 0, 0])).toEqual({ calls: 2, executions: 1, raced: 1 });
    expect(run([1, 1, 1, 0, 0, 0])).toEqual({ calls: 2, executions: 1, raced: 0 });
  });

  it('does not count a function again when a restored thread is rebuilt', () => {
    const cov = new CoverageRecorder();
    const e = new Execution(sys, sc(['T0', 'framed'], ['T1', 'toggle']), { coverage: cov, trackLocals: true });
    e.step(0);
    const snap = e.save();
    steps(e, 0, 1);
    e.restore(snap);
    steps(e, 0, 0);
    expect(cov.table().get('window')?.calls).toBe(1);
  });
});
