/**
 * The constructs at the edge of the compiled subset (docs/engine.md, "The subset"),
 * each run as a native generator and as frames, straight and resumed from a
 * snapshot at every point: those inside behave identically; those outside are
 * refused, by the loader (one line: file, line, construct) or, where only the
 * values show it, by the loop that meets them, with the same kind of line.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compiledCode } from '../../checker/compiled/load.ts';
import * as rt from '../../checker/compiled/runtime.ts';
import { compileModelSource, SubsetError } from '../../checker/compiled/transform.ts';
import { compileProgram, expectResumes, framesRun, type Gen, nativeRun } from './differential-drive.ts';

const inside = `
const log = [];
function* seq() { log.push('s1'); yield 'x'; log.push('s2'); yield 'y'; log.push('s3'); }
function* two(tag) { try { yield tag + 1; yield tag + 2; return tag + 'r'; } finally { log.push('two-fin ' + tag); } }
function* forOfGen() { log.length = 0; const out = []; for (const v of seq()) out.push(v); out.push(yield 'a'); return [out, log.slice()]; }
function* spreadGen() { log.length = 0; const out = [...seq()]; out.push(yield 'a'); return [out, log.slice()]; }
function* fromGen() { log.length = 0; const out = Array.from(seq()); out.push(yield 'a'); return [out, log.slice()]; }
function* destrGen() { log.length = 0; const [a, b] = seq(); const c = yield 'a'; return [a, b, c, log.slice()]; }
function* destrGenOne() { log.length = 0; const [a] = two('d'); const c = yield 'a'; return [a, c, log.slice()]; }
function* destrRest() { const [a, ...r] = new Set([1, 2, 3]); const c = yield 'a'; return [a, r, c]; }
function* destrSet() { const [a, b] = new Set(['p', 'q']); const c = yield 'a'; return [a, b, c]; }
function* destrMap() { const [[k, v], e] = new Map([['k', 1], ['j', 2]]); const c = yield 'a'; return [k, v, e, c]; }
function* forSetNoYield() { const s = new Set([1, 2]); const out = []; for (const x of s) { out.push(x); if (x === 1) s.add(3); } out.push(yield 'a'); return out; }
function* forGenBreakNoYield() { log.length = 0; const out = []; for (const v of two('c')) { out.push(v); break; } out.push(yield 'z'); return [out, log.slice()]; }
function* forSetYield() { const s = new Set([1, 2, 3]); const out = []; for (const x of s) out.push(x, yield 'e' + x); return [out, [...s]]; }
function* forMapYield() { const m = new Map([['a', 1], ['b', 2]]); const out = []; for (const e of m) out.push(e[0], e[1], yield 'm'); return out; }
function* yieldStarIterables() { const r = yield* ['a', 'b']; const s = yield* new Set(['c']); return [r, s, yield 'after']; }
function* fill(out) { out.push(yield 'f1'); out.push(yield 'f2'); return out.length; }
function* caller() { const out = []; const n = yield* fill(out); out.push(yield 'c'); return [n, out]; }
function* aliases() { const a = []; const b = a; const o = { a }; a.push(yield 'x'); b.push(yield 'y'); return [a, o.a, a === b, o.a === a]; }
function* mapLocal() { const m = new Map(); m.set(m.size, yield 'a'); m.set(m.size, yield 'b'); return [...m]; }
function* setLocal() { const s = new Set(); s.add(s.size + ':' + (yield 'a')); s.add(s.size + ':' + (yield 'b')); return [...s]; }
function* seenOnce() {
  const seen = [];
  for (;;) {
    const next = ['p', 'q'].find((b) => !seen.includes(b));
    if (next === undefined) return seen;
    seen.push(yield next);
    seen.push(next);
  }
}
function* forArrayExitNoYield() { const out = []; for (const x of ['p', 'q', 'r']) { if (x === 'r') break; if (x === 'p') continue; out.push(x); } try { for (const x of new Set(['t'])) throw new Error(x); } catch (e) { out.push(e.message); } out.push(yield 'a'); return out; }
function* guarded(tag) { try { yield tag + 1; yield tag + 2; } catch (e) { yield 'caught ' + e; } finally { yield 'fin ' + tag; } return tag; }
function* outer() { const r = yield* guarded('o'); yield 'after'; return r; }
function* overArray() { return yield* ['a', 'b']; }
function* labelledYield() { const out = []; outer: for (const x of [1, 2, 3]) { for (const y of [1, 2]) { if (y === 2) continue outer; if (x === 3) break outer; out.push(x, yield 'p'); } } return out; }
function* labelledNoYield() { const out = []; outer: for (const x of new Set([1, 2, 3])) { for (const y of [1, 2]) { if (y === 2) continue outer; if (x === 3) break outer; out.push(x * 10 + y); } } out.push(yield 'a'); return out; }
function* readOnlyClosure() { const xs = ['r']; const first = () => xs[0]; const v = yield 'a'; return [first(), v]; }
`;

const identical = [
  'forOfGen',
  'spreadGen',
  'fromGen',
  'destrGen',
  'destrGenOne',
  'destrRest',
  'destrSet',
  'destrMap',
  'forSetNoYield',
  'forGenBreakNoYield',
  'forArrayExitNoYield',
  'labelledYield',
  'labelledNoYield',
  'forSetYield',
  'forMapYield',
  'yieldStarIterables',
  'caller',
  'aliases',
  'mapLocal',
  'setLocal',
  'seenOnce',
  'readOnlyClosure',
] as const;

const refusedAtRun = `
const log = [];
function* seq() { log.push('s1'); yield 'x'; log.push('s2'); yield 'y'; }
function* forGenYield() { const out = []; for (const v of seq()) out.push(v, yield 'in' + v); return out; }
function* forSetChanged() {
  const s = new Set([1, 2, 3]);
  const out = [];
  for (const x of s) {
    out.push(x, yield 'e' + x);
    if (x === 1) { s.delete(2); s.add(4); }
  }
  return out;
}
function* forMapChanged() { const m = new Map([['a', 1], ['b', 2]]); const out = []; for (const e of m) { out.push(e[1], yield 'm'); m.set('b', 9); } return out; }
`;

let fns: Record<string, Gen>;
let refused: Record<string, Gen>;
beforeAll(() => {
  fns = compileProgram(inside, [...identical, 'guarded', 'outer', 'overArray']);
  refused = compileProgram(refusedAtRun, ['forGenYield', 'forSetChanged', 'forMapChanged']);
});

describe('constructs inside the compiled subset', () => {
  for (const name of identical)
    it(`${name} runs and resumes as the generator does`, () => {
      const f = fns[name] as Gen;
      expect(framesRun(f)).toEqual(nativeRun(f));
      const snapshots = expectResumes(f);
      // yield* of an array or a Set runs on the array's own iterator: that thread is rebuilt from its log
      if (name !== 'yieldStarIterables') expect(snapshots).toBeGreaterThan(0);
    });

  it('the programs reach what they are meant to', () => {
    const end = (name: string) => nativeRun(fns[name] as Gen).end;
    // a generator iterated to its end, or closed by an array pattern (its finally runs, its rest does not)
    expect(end('forOfGen')).toEqual([
      ['x', 'y', 'v0'],
      ['s1', 's2', 's3'],
    ]);
    expect(end('destrGen')).toEqual(['x', 'y', 'v0', ['s1', 's2']]);
    expect(end('destrGenOne')).toEqual(['d1', 'v0', ['two-fin d']]);
    expect(end('forGenBreakNoYield')).toEqual([['c1', 'v0'], ['two-fin c']]);
    // break, continue and throw out of loops over iterators without return()
    expect(end('forArrayExitNoYield')).toEqual(['q', 't', 'v0']);
    // a labelled for-of: continue and break name it (the compiled loop that replaces it keeps the label)
    expect(end('labelledYield')).toEqual([1, 'v0', 2, 'v1']);
    expect(end('labelledNoYield')).toEqual([11, 21, 'v0']);
    // a Set a loop without yield adds to is iterated live
    expect(end('forSetNoYield')).toEqual([1, 2, 3, 'v0']);
    expect(end('yieldStarIterables')).toEqual([undefined, undefined, 'v3']);
    expect(end('caller')).toEqual([2, ['v0', 'v1', 'v2']]);
    expect(end('mapLocal')).toEqual([
      [0, 'v0'],
      [1, 'v1'],
    ]);
    expect(end('seenOnce')).toEqual(['v0', 'p', 'v1', 'q']);
  });
});

describe('a compiled generator iterated by the language', () => {
  // what next, throw and return give, step by step, on a native generator or on a frame's iterator
  const protocol = (it: Iterator<unknown>, calls: readonly ['next' | 'throw' | 'return', unknown][]) =>
    calls.map(([m, v]) => {
      try {
        return (it[m] as (x: unknown) => IteratorResult<unknown>).call(it, v);
      } catch (e) {
        return `threw ${e instanceof Error ? e.constructor.name : e}`;
      }
    });
  const sequences: [string, ['next' | 'throw' | 'return', unknown][]][] = [
    [
      'guarded',
      [
        ['next', 0],
        ['throw', 'E'],
        ['next', 1],
        ['next', 2],
        ['next', 3],
      ],
    ],
    [
      'guarded',
      [
        ['next', 0],
        ['return', 'R'],
        ['next', 1],
        ['next', 2],
      ],
    ],
    [
      'outer',
      [
        ['next', 0],
        ['return', 'R'],
        ['next', 1],
        ['next', 2],
      ],
    ],
    [
      'outer',
      [
        ['next', 0],
        ['next', 1],
        ['throw', 'E'],
        ['next', 2],
        ['next', 3],
        ['next', 4],
      ],
    ],
    [
      'outer',
      [
        ['return', 'R'],
        ['next', 1],
      ],
    ],
    [
      'overArray',
      [
        ['next', 0],
        ['throw', 'E'],
        ['next', 1],
      ],
    ],
    [
      'overArray',
      [
        ['next', 0],
        ['return', 'R'],
        ['next', 1],
      ],
    ],
  ];
  for (const [name, calls] of sequences)
    it(`${name}: ${calls.map(([m]) => m).join(', ')} as on the generator`, () => {
      const f = fns[name] as Gen;
      const frame = rt.startThread(() => f('t')).frames[0] as rt.Frame;
      expect(frame).toBeInstanceOf(rt.Frame);
      expect(protocol(frame[Symbol.iterator](), calls)).toEqual(protocol(f('t'), calls));
    });
});

describe('constructs only their values show outside the subset', () => {
  const cases: [string, RegExp][] = [
    [
      'forGenYield',
      /^threw \/repo\/model\/differential\.js:4: a for-of loop around a yield over a generator is outside the compiled subset/,
    ],
    [
      'forSetChanged',
      /^threw \/repo\/model\/differential\.js:8: a for-of loop around a yield over a Set or Map its body changes is outside/,
    ],
    [
      'forMapChanged',
      /^threw \/repo\/model\/differential\.js:14: a for-of loop around a yield over a Set or Map its body changes is outside/,
    ],
  ];
  for (const [name, re] of cases)
    it(`${name} runs natively, and the compiled loop refuses it naming file and line`, () => {
      const f = refused[name] as Gen;
      expect(nativeRun(f).end).toEqual(expect.any(Array));
      expect(framesRun(f).end).toMatch(re);
    });
});

const rejected: [string, string, RegExp][] = [
  [
    'a closure that calls itself',
    'export function* f() { const fact = (n) => (n > 0 ? n * fact(n - 1) : 1); return fact(yield 1); }',
    /^\/repo\/model\/c\.js:1: a closure capturing `fact` before its declaration is done \(itself, or a later local\) is outside the compiled subset/,
  ],
  [
    'a closure over a later local',
    'export function* f() {\n  const g = () => h + 1;\n  const h = yield 1;\n  return g();\n}',
    /^\/repo\/model\/c\.js:2: a closure capturing `h` before its declaration is done/,
  ],
  [
    'a closure over an array pushed to',
    'export function* f() {\n  const out = [];\n  const n = () => out.length;\n  out.push(yield 1);\n  return n();\n}',
    /^\/repo\/model\/c\.js:3: a closure capturing `out`, which is changed in place is outside the compiled subset/,
  ],
  [
    'a closure that pushes to a captured array',
    'export function* f() {\n  const out = [];\n  const add = (x) => out.push(x);\n  add(yield 1);\n  return out;\n}',
    /^\/repo\/model\/c\.js:3: a closure capturing `out`, which is changed in place/,
  ],
  [
    'a closure over an object whose field is set',
    'export function* f() {\n  const o = { a: 1 };\n  const get = () => o.a;\n  o.a = yield 1;\n  return get();\n}',
    /^\/repo\/model\/c\.js:3: a closure capturing `o`, which is changed in place/,
  ],
  [
    'a closure over a Map set',
    'export function* f() {\n  const m = new Map();\n  const get = () => m.get(1);\n  m.set(1, yield 1);\n  return get();\n}',
    /^\/repo\/model\/c\.js:3: a closure capturing `m`, which is changed in place/,
  ],
];

describe('constructs the loader refuses', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [what, code, re] of rejected)
    it(`${what}: one line naming file, line and construct`, () => {
      expect(() => compileModelSource(code, '/repo/model/c.js', 'rt')).toThrow(SubsetError);
      expect(() => compileModelSource(code, '/repo/model/c.js', 'rt')).toThrow(re);
    });

  it("a user's design using one runs on the generator engine, with a one-line note", () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    for (const [i, [, code]] of rejected.entries()) {
      // a path outside the repository (nothing is written there): a user's file
      const file = join(tmpdir(), `user-design-${process.pid}-${i}.js`);
      expect(compiledCode(code, file, 'rt')).toBe(code);
    }
    expect(write).toHaveBeenCalledTimes(rejected.length);
    for (const [i, call] of write.mock.calls.entries())
      expect(String(call[0])).toMatch(
        new RegExp(
          `^vfio-dmabuf-model: note: .*user-design-\\d+-${i}\\.js:\\d: a closure capturing .*; this file runs on the generator engine\\n$`,
        ),
      );
  });
});
