/**
 * Names for what operations create (checker/handles.ts): `make(as=b)` binds b
 * to the object it created once it returns a success; `use(buf=b)` runs with
 * b's creation index among the objects of the handle's kind, or one past the
 * last when b is not bound (yet, or because its operation failed). A call
 * that names nothing runs the model's operation untouched.
 */
import { describe, expect, it } from 'vitest';
import type { OpFn } from '../../checker/context.ts';
import { Execution } from '../../checker/execution.ts';
import { withHandles } from '../../checker/handles.ts';
import { declareKind } from '../../checker/kind.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import type { Signatures } from '../../checker/signature.ts';
import type { Args } from '../../checker/value.ts';

const bufKind = declareKind('buf', { n: 0 }, null);
/** creates a note (another kind), then a buf, then another buf, then waits once; fails when told to */
const make: OpFn = function* make(ctx, args) {
  ctx.create('note', { n: 0 });
  const id = args.declared ? ctx.make(bufKind, { n: 1 }) : ctx.create('buf', { n: 1 });
  ctx.create('buf', { n: 2 });
  yield { action: 'make' };
  return args.fail ? -22 : id;
};
/** returns the index it was given */
const use: OpFn = function* use(ctx, args) {
  yield { action: 'use' };
  ctx.set('log', 'seen', [...(ctx.get<number[]>('log', 'seen') ?? []), args.buf as number]);
  return args.buf as number;
};
/** takes a buffer and a mode, names what it creates; reads the world and its thread through the ctx it is given */
const dup: OpFn = function* dup(ctx, args) {
  const seen = ctx.get<number[]>('log', 'seen');
  yield { action: `dup by ${ctx.thread}` };
  if (args.mode !== 'none') ctx.create('buf', { n: 3 });
  if (args.ok === 0) return 0;
  return [Object.keys(args).sort().join(','), args.buf as number, args.mode as string, seen.length, ctx.thread];
};
const plain: OpFn = function* plain(_ctx, args) {
  yield { action: 'plain' };
  return (args.buf as number) ?? null;
};
const base: System = {
  name: 'handles',
  setup(w) {
    w.create('buf', { n: 0 }, null, 'buf.pre');
    w.create('log', { seen: [] }, null, 'log');
  },
  ops: { make, use, plain, dup },
};
const sig: Signatures = {
  ops: {
    make: { help: '', args: {}, takes: [], creates: ['buf'] },
    use: {
      help: '',
      args: {
        buf: {
          help: '',
          accepts: [
            { type: 'integer', min: 0, max: 9 },
            { type: 'handle', handle: 'buf' },
          ],
        },
      },
      takes: ['buf'],
      creates: [],
    },
    plain: { help: '', args: { buf: { help: '', accepts: [{ type: 'integer', min: 0, max: 9 }] } }, takes: [], creates: [] },
    dup: {
      help: '',
      args: {
        buf: {
          help: '',
          accepts: [
            { type: 'integer', min: 0, max: 9 },
            { type: 'handle', handle: 'buf' },
          ],
        },
        mode: { help: '', accepts: [{ type: 'name', values: ['fast', 'none'] }] },
      },
      takes: ['buf'],
      creates: ['buf'],
    },
  },
  actors: [{ role: 'T', help: '', maxThreads: 3, ops: ['make', 'use', 'plain', 'dup'] }],
  handles: { buf: { kind: 'buf' } },
};
/** built when a test first needs it, so that a broken wrapper fails the test, not the file's import */
let built: System | null = null;
const system = (): System => (built ??= withHandles(base, sig));

function runAll(scenario: Scenario, order: number[]) {
  const e = new Execution(system(), scenario);
  for (const t of order) e.step(t);
  return e;
}
const call = (op: string, args: Args = {}) => ({ op, args });

describe('withHandles', () => {
  it('is the system itself when the model declares no handles, and one wrapped system per system', () => {
    expect(withHandles(base, { ...sig, handles: undefined })).toBe(base);
    expect(withHandles(base, { ...sig, handles: {} })).toBe(base);
    const sys = system();
    expect(withHandles(base, sig)).toBe(sys);
    expect(sys).not.toBe(base);
    expect(sys.ops.plain).toBe(base.ops.plain);
    expect(sys.setup).toBe(base.setup);
  });

  it('a name resolves to the creation index of the first object of its kind the naming operation made', () => {
    const sc: Scenario = {
      threads: [{ name: 'T0', ops: [call('make', { as: 'b' }), call('use', { buf: 'b' }), call('use', { buf: 0 })] }],
    };
    const e = runAll(sc, [0, 0, 0, 0, 0, 0]);
    // buf.pre is 0; make created the bufs 1 and 2: b is 1
    expect(e.results('T0')).toEqual([expect.any(String), 1, 0]);
    expect(e.world.peek('log', 'seen')).toEqual([1, 0]);
  });

  it('a declared kind made with make() is noted the same way', () => {
    const sc: Scenario = { threads: [{ name: 'T0', ops: [call('make', { as: 'b', declared: true }), call('use', { buf: 'b' })] }] };
    const e = runAll(sc, [0, 0, 0, 0]);
    expect(e.results('T0')[1]).toBe(1);
    expect(e.results('T0')[0]).toBe(e.world.peek('handle.b', 'obj'));
    expect(e.world.kind(e.results('T0')[0] as string)).toBe('buf');
  });

  it('a name not bound in this execution is one past the last object: not yet returned, failed, or never given', () => {
    const early: Scenario = {
      threads: [
        { name: 'T0', ops: [call('make', { as: 'b' })] },
        { name: 'T1', ops: [call('use', { buf: 'b' })] },
      ],
    };
    // T0 is inside make (its objects exist) when T1 starts use: b is not bound, and there are 3 bufs
    expect(runAll(early, [0, 1, 1, 0]).results('T1')).toEqual([3]);
    const failed: Scenario = { threads: [{ name: 'T0', ops: [call('make', { as: 'b', fail: true }), call('use', { buf: 'b' })] }] };
    expect(runAll(failed, [0, 0, 0, 0]).results('T0')).toEqual([-22, 3]);
    const never: Scenario = { threads: [{ name: 'T0', ops: [call('use', { buf: 'zz' })] }] };
    expect(runAll(never, [0, 0]).results('T0')).toEqual([1]);
  });

  it('another thread may use the name once it is bound; a bound object that is gone is one past the last', () => {
    const sc: Scenario = {
      threads: [
        { name: 'T0', ops: [call('make', { as: 'b' })] },
        { name: 'T1', ops: [call('use', { buf: 'b' })] },
      ],
    };
    expect(runAll(sc, [0, 0, 1, 1]).results('T1')).toEqual([1]);
    const bound = new Execution(system(), sc);
    for (const t of [0, 0]) bound.step(t);
    expect(bound.world.has('handle.b')).toBe(true);
    // the name is resolved as the using operation starts
    bound.world.set('handle.b', 'obj', 'buf.missing');
    bound.step(1);
    bound.step(1);
    expect(bound.results('T1')).toEqual([3]);
  });

  it('runs a call that names nothing, and an argument that is no handle, as given', () => {
    const sc: Scenario = { threads: [{ name: 'T0', ops: [call('use', { buf: 2 }), call('make'), call('plain', { buf: 5 })] }] };
    const e = runAll(sc, [0, 0, 0, 0, 0, 0]);
    expect(e.results('T0')).toEqual([2, expect.any(String), 5]);
    expect(e.world.has('handle.b')).toBe(false);
    expect(e.world.ids('handle')).toEqual([]);
  });

  it('the model gets the other arguments as given, never `as`, and a ctx that reads and names its thread', () => {
    const sc: Scenario = {
      threads: [
        { name: 'T0', ops: [call('make', { as: 'b' }), call('dup', { buf: 'b', mode: 'fast', as: 'c' }), call('use', { buf: 'c' })] },
      ],
    };
    const e = runAll(sc, [0, 0, 0, 0, 0, 0]);
    const [, duped, used] = e.results('T0');
    // b is buf 1; dup created buf 3 (after make's 1 and 2): c
    expect(duped).toEqual(['buf,mode', 1, 'fast', 0, 'T0']);
    expect(used).toBe(3);
    expect(e.world.ids('handle')).toHaveLength(2);
    expect(e.world.kind('handle.c')).toBe('handle');
    // a numeric index stays the index it is, beside a name
    const n = runAll({ threads: [{ name: 'T0', ops: [call('dup', { buf: 0, mode: 'fast', as: 'd' })] }] }, [0, 0]);
    expect((n.results('T0')[0] as unknown[])[1]).toBe(0);
  });

  it('binds nothing when the operation created nothing, or was given no name; 0 is a success', () => {
    const none = runAll({ threads: [{ name: 'T0', ops: [call('dup', { buf: 0, mode: 'none', as: 'x' })] }] }, [0, 0]);
    expect(none.world.ids('handle')).toEqual([]);
    const unnamed = runAll(
      { threads: [{ name: 'T0', ops: [call('make', { as: 'b' }), call('dup', { buf: 'b', mode: 'fast' })] }] },
      [0, 0, 0, 0],
    );
    expect(unnamed.world.ids('handle')).toEqual(['handle.b']);
    const zero = runAll({ threads: [{ name: 'T0', ops: [call('dup', { buf: 0, mode: 'fast', ok: 0, as: 'z' })] }] }, [0, 0]);
    expect(zero.results('T0')).toEqual([0]);
    expect(zero.world.ids('handle')).toEqual(['handle.z']);
    // an index 0: the name bound to the first buf of a world that had none
    const empty = withHandles({ ...base, setup: (w) => w.create('log', { seen: [] }, null, 'log') }, sig);
    const e = new Execution(empty, { threads: [{ name: 'T0', ops: [call('make', { as: 'b' }), call('use', { buf: 'b' })] }] });
    for (let i = 0; i < 4; i++) e.step(0);
    expect(e.results('T0')[1]).toBe(0);
  });

  it('binds only the first object of the kind, only with a success, and each name apart', () => {
    const sc: Scenario = {
      threads: [
        {
          name: 'T0',
          ops: [call('make', { as: 'x' }), call('make', { as: 'y' }), call('use', { buf: 'y' }), call('use', { buf: 'x' })],
        },
      ],
    };
    const e = runAll(sc, [0, 0, 0, 0, 0, 0, 0, 0]);
    // x: bufs 1, 2; y: bufs 3, 4
    expect(e.results('T0').slice(2)).toEqual([3, 1]);
  });
});
