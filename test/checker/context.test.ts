/**
 * What a thread sees (checker/context.ts): the world through its ctx, events
 * and notes to the executor, task work queued, violations raised with its name
 * and call stack, lifecycle events checked against the machine, and the call
 * stack of function names kept through `call` and `frame`, also when the code
 * inside throws.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import type { Ctx, OpFn, OpGenerator } from '../../checker/context.ts';
import { CoverageRecorder } from '../../checker/coverage.ts';
import { Execution } from '../../checker/execution.ts';
import { declareKind } from '../../checker/kind.ts';
import { compileLifecycle } from '../../checker/lifecycle/compile.ts';
import type { Monitor } from '../../checker/monitor.ts';
import type { Point } from '../../checker/point.ts';
import type { System } from '../../checker/scenario.ts';

const door = compileLifecycle(
  createMachine({ id: 'door', initial: 'shut', states: { shut: { on: { OPEN: 'open' } }, open: { on: { SHUT: 'shut' } } } }),
);
const doorKind = declareKind('door', { color: 'red', size: 1 }, door);

function* inner(ctx: Ctx, label: string): Generator<Point, string, unknown> {
  yield { action: `inner ${label}` };
  ctx.note(`stack ${ctx.stack.join('>')}`);
  return label;
}
function* thrower(_ctx: Ctx): Generator<Point, string, unknown> {
  yield { action: 'thrower' };
  throw new Error('inside');
}

const ops: Record<string, OpFn> = {
  *world(ctx) {
    // a plain id: the door kind is not among the model's declared Kinds
    const id: string = ctx.make(doorKind, { size: 3 });
    const plain = ctx.create('thing', { n: 1 });
    ctx.set(plain, 'n', 2);
    yield { action: 'made' };
    return [
      id,
      ctx.get(id, 'color'),
      ctx.get(id, 'size'),
      ctx.get(plain, 'n'),
      ctx.exists(plain),
      ctx.exists('nothing'),
      ctx.ids('door').length,
      ctx.state(id),
    ];
  },
  *doors(ctx) {
    const id: string = ctx.make(doorKind, {});
    ctx.send(id, { type: 'OPEN' });
    yield { action: 'opened' };
    const s = ctx.state(id);
    ctx.send(id, { type: 'OPEN' });
    return s;
  },
  *calls(ctx) {
    const a = yield* ctx.call(inner, 'a');
    const b = yield* ctx.frame('table_fn', inner(ctx, 'b'));
    // an anonymous function is no frame of its own
    const c = yield* ctx.call(function* (x: Ctx) {
      return yield* inner(x, 'c');
    });
    try {
      yield* ctx.call(thrower);
    } catch {
      ctx.note(`after throw ${ctx.stack.join('>')}`);
    }
    return [a, b, c].join('');
  },
  *fails(ctx) {
    yield* ctx.call(function* deep(c: Ctx) {
      yield { action: 'deep' };
      c.fail('kind-a', 'message a');
    });
    return null;
  },
  *failsWithReport(ctx): OpGenerator {
    yield { action: 'x' };
    return ctx.fail('kind-b', 'message b', 'line 1\nline 2');
  },
  *signals(ctx) {
    ctx.emit({ type: 'ev', n: 1 });
    ctx.defer('later', { k: 1 }, function* later(c) {
      yield { action: 'later' };
      c.set('log', 'later', true);
      return 'ran';
    });
    yield { action: 'signalled' };
    return null;
  },
};
const sys: System = {
  name: 'ctx',
  setup(w) {
    w.create('log', { later: false }, null, 'log');
  },
  ops,
};
function run(op: string, options: ConstructorParameters<typeof Execution>[2] = {}) {
  const e = new Execution(sys, { threads: [{ name: 'T0', ops: [{ op, args: {} }] }] }, { record: 'full', ...options });
  while (!e.isOver() && e.runnable().length > 0) e.step(0);
  return e;
}

describe('Ctx', () => {
  it('reads and writes the world; makes declared objects with their initial fields and lifecycle', () => {
    const e = run('world');
    const [id, color, size, n, exists, missing, doors, state] = e.results('T0')[0] as unknown[];
    expect([color, size, n, exists, missing, doors, state]).toEqual(['red', 3, 2, true, false, 1, 'shut']);
    expect(e.world.kind(id as string)).toBe('door');
  });

  it('sends lifecycle events; one the machine refuses is an illegal transition of the thread', () => {
    const e = run('doors');
    expect(e.violation).toEqual({
      kind: 'illegal-transition',
      message: 'door0: event OPEN not accepted in state open',
      thread: 'T0',
      stack: ['doors'],
    });
    expect(e.steps[0]!.changes).toContainEqual({ obj: 'door0', field: '@state', from: 'shut', to: 'open' });
  });

  it('keeps the call stack through call and frame, also when the code inside throws', () => {
    const cov = new CoverageRecorder();
    const e = run('calls', { coverage: cov });
    expect(e.violation).toBeNull();
    expect(e.results('T0')).toEqual(['abc']);
    expect(e.steps.map((s) => [s.action, s.stack.join('>')])).toEqual([
      ['call calls()', 'calls'],
      ['inner a', 'calls>inner'],
      ['inner b', 'calls>table_fn'],
      ['inner c', 'calls'],
      ['thrower', 'calls>thrower'],
    ]);
    expect(e.steps.flatMap((s) => s.notes)).toEqual(['stack calls>inner', 'stack calls>table_fn', 'stack calls', 'after throw calls']);
    // a frame tells coverage its function was entered
    expect(cov.table().get('table_fn')?.calls).toBe(1);
    expect(cov.table().has('inner')).toBe(false);
  });

  it('raises a violation with the thread, its stack and the report when there is one', () => {
    expect(run('fails').violation).toEqual({ kind: 'kind-a', message: 'message a', thread: 'T0', stack: ['fails', 'deep'] });
    expect(run('failsWithReport').violation).toEqual({
      kind: 'kind-b',
      message: 'message b',
      thread: 'T0',
      stack: ['failsWithReport'],
      report: 'line 1\nline 2',
    });
    expect(Object.hasOwn(run('fails').violation!, 'report')).toBe(false);
  });

  it('emits events to the monitors and queues task work that runs after the operation', () => {
    const seen: unknown[] = [];
    const m: Monitor = { name: 'seen', onEvent: (ev, x) => (seen.push([ev, x.thread]), null) };
    const e = run('signals', { monitors: [m] });
    expect(seen).toEqual([[{ type: 'ev', n: 1 }, 'T0']]);
    expect(e.results('T0')).toEqual([null, 'ran']);
    expect(e.world.peek('log', 'later')).toBe(true);
    expect(e.steps.map((s) => s.action)).toEqual(['call signals()', 'signalled', 'call later(k=1)', 'later']);
  });
});
