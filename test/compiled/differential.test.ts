/**
 * The compiled form of a generator behaves as the generator does: the same
 * points yielded for the same inputs, the same result, the same exception,
 * through try/catch/finally, break and continue across finally blocks,
 * yield* into compiled and hand-written iterators, and closures over locals.
 * A run snapshotted at a point (FrameStack.share, as a search saves a state)
 * and resumed from there again, twice, goes on as the first continuation did:
 * running on never changes a snapshot, and locals that alias one array still
 * do in the copy (regenerator's temporary in `out.push(yield x)`). The programs are compiled here, by
 * compileModelSource, so a change to the transform is tested as much as one to
 * the runtime.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as rt from '../../checker/compiled/runtime.ts';
import { compileProgram, expectResumes, framesRun, nativeRun } from './differential-drive.ts';

const programs = `
function* inner(x) {
  const a = yield 'in' + x;
  if (a === 'boom') throw new Error('inner ' + x);
  return a * 2;
}
function* loops(n) {
  const out = [];
  const fns = [];
  for (let i = 0; i < n; i++) {
    const k = i;
    fns.push(() => k * 100);
    try {
      const r = yield* inner(i);
      out.push(r);
      if (r > 10) break;
      if (r === 4) continue;
      yield 'after' + r;
    } catch (e) {
      out.push('caught ' + e.message);
      yield 'caught';
    } finally {
      out.push('fin' + i);
      yield 'fin' + i;
    }
  }
  for (const f of fns) out.push(yield 'call' + f());
  return out;
}
function* early(x) {
  try {
    if (x) return 'early';
    yield 'body';
  } finally {
    yield 'cleanup';
  }
  return 'late';
}
function* override() {
  try {
    return 1;
  } finally {
    yield 'override';
    return 2;
  }
}
function* rethrow() {
  try {
    try {
      throw new Error('a');
    } finally {
      yield 'f1';
    }
  } catch (e) {
    return 'got ' + e.message;
  }
}
function* labelled() {
  let n = 0;
  outer: for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      try {
        n++;
        if (j === 1) continue outer;
        if (i === 2) break outer;
        yield 'ij' + i + j;
      } finally {
        n += 10;
      }
    }
  }
  return n;
}
function* uncaught(v) {
  yield 'u' + v;
  throw new Error('escapes ' + v);
}
function hand() {
  let i = 0;
  return {
    next(v) { i++; return i < 3 ? { value: 'hand' + i + ':' + v, done: false } : { value: 'handdone:' + v, done: true }; },
    throw(e) { throw e; },
    [Symbol.iterator]() { return this; },
  };
}
function* notIterable() {
  try {
    yield* 5;
  } catch (e) {
    return e instanceof TypeError;
  }
}
function* mixed() {
  const a = yield* early(true);
  const b = yield* early(false);
  const c = yield* override();
  const d = yield* rethrow();
  const e = yield* labelled();
  const f = yield* hand();
  const g = yield* notIterable();
  let h = 'none';
  try {
    yield* uncaught(1);
  } catch (x) {
    h = x.message;
  }
  const acc = { seen: [] };
  for (const v of ['p', 'q']) acc.seen.push(yield v);
  return [a, b, c, d, e, f, g, h, acc];
}
const table = {
  base: 1,
  *m(x) {
    const r = yield 'm' + x;
    return r + this.base;
  },
  'quoted': function* (x) {
    yield 'q' + x;
    return -x;
  },
};
class K {
  constructor(b) {
    this.b = b;
  }
  *g(x) {
    yield 'k' + this.b;
    return x + this.b;
  }
}
const gexpr = function* (x) {
  yield 'ge' + x;
  return x;
};
function* methods() {
  const a = yield* table.m(2);
  const b = yield* new K(5).g(1);
  const c = yield* gexpr(3);
  const d = yield* table.quoted(4);
  return [a, b, c, d];
}
function* tangled(x) {
  const log = [];
  for (let i = 0; i < 3; i++) {
    try {
      try {
        log.push(yield 't' + i);
        if (i === x) throw new Error('e' + i);
        if (i === 1 && x !== 1) break;
      } catch (e) {
        log.push('c' + e.message);
        if (x === 0) return log;
        continue;
      } finally {
        log.push(yield 'inner fin' + i);
      }
    } finally {
      log.push('outer fin' + i);
      if (i === 2) yield 'late';
    }
  }
  try {
    throw new Error('z');
  } catch (e) {
    try {
      throw new Error('y' + e.message);
    } catch (f) {
      log.push(f.message);
    } finally {
      log.push('ff');
    }
  }
  try {
    try {
      return 1;
    } finally {
      throw new Error('from finally');
    }
  } catch (e) {
    log.push(e.message);
  }
  try {
    try {
      return log;
    } finally {
      log.push(yield 'rf');
    }
  } finally {
    log.push('rf2');
  }
}
function* messages() {
  const out = [];
  for (const v of [5, null]) {
    try {
      yield* v;
    } catch (e) {
      out.push(e.message);
    }
  }
  return out;
}
function* top(v) {
  yield* uncaught(v);
}
function* fill(into, k) {
  into.push(yield 'fill' + k);
  return into.length;
}
function* sharesWithCallee(n) {
  const acc = [];
  for (let i = 0; i < n; i++) acc.push(yield* fill(acc, i));
  return acc;
}
function* twoPoints(k) {
  const a = yield 'a' + k;
  const b = yield 'b' + k;
  return a + b;
}
function* waitsOnCallee(n) {
  const acc = [];
  for (let i = 0; i < n; i++) acc.push(yield* twoPoints(i));
  return acc;
}
function* thenNothing(k) {
  yield 'first' + k;
  return yield 'second';
}
function* waitsOnNothing() {
  const r = yield* thenNothing(1);
  return r;
}
function* liveAndDead(n) {
  const scratch = [n];
  const first = scratch.length + (yield 'read' + scratch[0]);
  const kept = [first];
  for (let i = 0; i < n; i++) kept.push(yield 'keep' + kept.length);
  return kept;
}
`;

type Fns = Record<
  'loops' | 'mixed' | 'top' | 'methods' | 'tangled' | 'messages' | 'liveAndDead' | 'sharesWithCallee' | 'waitsOnCallee' | 'waitsOnNothing',
  (...a: unknown[]) => Generator<unknown, unknown, unknown>
>;
let fns: Fns;
// compiled in beforeAll, not at collection: a mutant of the transform that throws then fails the tests (a failed import is not counted as a kill)
beforeAll(() => {
  const names = [
    'loops',
    'mixed',
    'top',
    'methods',
    'tangled',
    'messages',
    'liveAndDead',
    'sharesWithCallee',
    'waitsOnCallee',
    'waitsOnNothing',
    'm: table.m',
    'quoted: table.quoted',
    'g: K.prototype.g',
    'gexpr',
  ];
  fns = compileProgram(programs, names) as unknown as Fns;
});

const native = (name: keyof Fns, arg: unknown) => nativeRun(fns[name], arg);
const frames = (name: keyof Fns, arg: unknown) => framesRun(fns[name], arg);

const cases: [keyof Fns, unknown][] = [
  ['loops', 0],
  ['loops', 3],
  ['loops', 5],
  ['loops', 9],
  ['mixed', undefined],
  ['top', 7],
  ['methods', undefined],
  ['tangled', 0],
  ['tangled', 1],
  ['tangled', 2],
  ['tangled', 5],
  ['liveAndDead', 3],
  ['sharesWithCallee', 3],
  ['waitsOnCallee', 3],
  ['waitsOnNothing', undefined],
];

describe('compiled generators', () => {
  for (const [name, arg] of cases)
    it(`${name}(${arg}) yields, returns and throws as the generator does`, () => {
      const n = native(name, arg);
      expect(n.trace.length + (n.end === undefined ? 0 : 1)).toBeGreaterThan(0);
      expect(frames(name, arg)).toEqual(n);
    });

  it('the programs reach what they are meant to', () => {
    expect(native('mixed', undefined).end).toEqual([
      'early',
      'late',
      2,
      'got a',
      expect.any(Number),
      expect.stringMatching(/^handdone:/),
      true,
      'escapes 1',
      { seen: [expect.any(String), expect.any(String)] },
    ]);
    expect(native('loops', 9).trace).toContain('caught');
    expect(native('top', 7).end).toBe('threw escapes 7');
    expect(native('methods', undefined).end).toEqual(['v01', 6, 3, -4]);
  });

  // tangled's `return log` inside a try whose finally pushes to log: the pending completion holds the array,
  // which a snapshot's copy must share with the copied local (it returned the snapshot's array before)
  for (const [name, arg] of cases)
    it(`${name}(${arg}) resumed from a snapshot at each point goes on as the first run did`, () => {
      const points = native(name, arg).trace.length;
      // mixed's hand-written iterator is state no frame holds: a search rebuilds that thread from its log
      if (name === 'mixed') expect(expectResumes(fns[name], arg)).toBeGreaterThan(0);
      else expect(expectResumes(fns[name], arg)).toBe(points);
    });
});

describe('the wrapper of a compiled generator', () => {
  it('keeps the name and the written source of the function', () => {
    const named = fns as unknown as Record<string, { name: string }>;
    expect(['loops', 'm', 'quoted', 'g', 'gexpr'].map((n) => named[n]?.name)).toEqual(['loops', 'm', 'quoted', 'g', 'gexpr']);
    expect(rt.sourceOf(fns.loops)).toMatch(/^function\* \(n\) \{[\s\S]*yield\* inner\(i\)/);
    const plain = () => 1;
    expect(rt.sourceOf(plain)).toBe(String(plain));
  });

  it('makes native generators outside the engine and frames inside it', () => {
    expect(typeof fns.loops(1).next).toBe('function');
    expect(fns.loops(1)).not.toBeInstanceOf(rt.Frame);
    const s = rt.startThread(() => fns.loops(1));
    expect(s.frames[0]).toBeInstanceOf(rt.Frame);
    expect(s.copyable).toBe(true);
    expect(rt.mode.on).toBe(false);
    expect(new rt.FrameStack([fns.loops(1)]).copyable).toBe(false);
  });

  it('yield* of what is not a generator throws a TypeError naming it, in the thread that did it', () => {
    expect(frames('messages', undefined).end).toEqual(['yield* of number: it is not a generator', 'yield* of null: it is not a generator']);
  });

  it('a step after a snapshot copies the arrays the frame may still read, and shares the ones it cannot', () => {
    const s = rt.startThread(() => fns.liveAndDead(2));
    s.next(undefined);
    s.next(1);
    const saved = s.share()[0] as rt.Frame;
    s.next(10);
    const now = s.frames[0] as rt.Frame;
    // identity compared by hand: expect's not.toBe of two frames would iterate them (Frame is iterable), running them
    expect(now === saved).toBe(false);
    // scratch is dead in the loop (never read again): the copy shares it; kept is live: the copy has its own
    expect(now.L.$scratch === saved.L.$scratch).toBe(true);
    expect(now.L.$kept === saved.L.$kept).toBe(false);
    expect(saved.L.$kept).toEqual([2]);
    expect(now.L.$kept).toEqual([2, 10]);
  });

  it("a step after a snapshot copies the frames it runs: a caller waiting on its callee stays the snapshot's", () => {
    const s = rt.startThread(() => fns.waitsOnCallee(2));
    s.next(undefined);
    const saved = [...s.share()];
    s.next(1);
    expect(s.frames.length).toBe(2);
    expect(s.frames[0] === saved[0]).toBe(true);
    expect(s.frames[1] === saved[1]).toBe(false);
    // the callee returns: its caller runs, on a copy
    s.next(2);
    expect(s.frames[0] === saved[0]).toBe(false);
  });

  it("a callee that holds its caller's array is copied with the caller, so both keep one array", () => {
    const s = rt.startThread(() => fns.sharesWithCallee(2));
    s.next(undefined);
    const saved = [...s.share()] as rt.Frame[];
    s.next('x');
    const caller = s.frames[0] as rt.Frame;
    const callee = s.frames[1] as rt.Frame;
    expect(caller === saved[0]).toBe(false);
    expect(callee.L.$into === caller.L.$acc).toBe(true);
    expect((saved[0] as rt.Frame).L.$acc).toEqual([]);
  });

  it('a frame with no live local keeps its locals record in the copy (nothing there can be read before it is written)', () => {
    const s = rt.startThread(() => fns.waitsOnNothing());
    s.next(undefined);
    const saved = [...s.share()] as rt.Frame[];
    s.next(undefined);
    const callee = s.frames[1] as rt.Frame;
    expect(callee === saved[1]).toBe(false);
    expect(callee.L === (saved[1] as rt.Frame).L).toBe(true);
  });

  it('a frame iterated by hand says the engine drives it', () => {
    const s = rt.startThread(() => fns.loops(1));
    expect(() => (s.frames[0] as rt.Frame).next()).toThrow(/driven by the engine, not iterated/);
  });
});
