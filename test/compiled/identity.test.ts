/**
 * A compiled thread's identity (checker/compiled/identity.ts) says two states
 * are one exactly when their frames and pending points hold equal values: the
 * hash and the exact key agree with each other, merge what is equal by content
 * and keep apart what is not (or what is only equal by identity).
 */
import { describe, expect, it } from 'vitest';
import { framesKey, hashAny, hashFrames, hashPoint, keyAny } from '../../checker/compiled/identity.ts';
import { cap, frame, tags } from '../../checker/compiled/runtime.ts';
import { Ctx } from '../../checker/context.ts';
import type { Fp } from '../../checker/fingerprint.ts';
import type { Point } from '../../checker/point.ts';

const hash = (v: unknown): string => {
  const h: Fp = { a: 0, b: 0 };
  hashAny(v, h);
  return `${h.a}:${h.b}`;
};
const ctx = (thread: string) => new Ctx(thread, null as never, null as never);
const nest = (n: number): unknown[] => (n === 0 ? [] : [nest(n - 1)]);
const table = { op: () => 1 };
const otherTable = { op: () => 2 };
const tagged = (site: number, values: unknown[], of: object = table) => {
  tags.on = true;
  try {
    return cap(() => 0, of, site, values) as never;
  } finally {
    tags.on = false;
  }
};
const shared = new Map();
const inner = {};

/** Values no two of which may be one state. */
const distinct: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['true', () => true],
  ['false', () => false],
  ['0', () => 0],
  ['1', () => 1],
  ['-7', () => -7],
  ['1.5', () => 1.5],
  ['2.5', () => 2.5],
  ["'1'", () => '1'],
  ["'a'", () => 'a'],
  ['1n', () => 1n],
  ['2n', () => 2n],
  ['[]', () => []],
  ['[1]', () => [1]],
  ['[1, 2]', () => [1, 2]],
  ['[[1]]', () => [[1]]],
  ['{}', () => ({})],
  ['{a: 1}', () => ({ a: 1 })],
  ['{b: 1}', () => ({ b: 1 })],
  ['{a: 2}', () => ({ a: 2 })],
  ['{a: {b: 1}}', () => ({ a: { b: 1 } })],
  ['{a: {b: 2}}', () => ({ a: { b: 2 } })],
  ['ctx t0', () => ctx('t0')],
  ['ctx t1', () => ctx('t1')],
  ['a shared Map', () => shared],
  ['over table, x 1', () => Object.assign(Object.create(table), { x: 1 })],
  ['over table, x 2', () => Object.assign(Object.create(table), { x: 2 })],
  ['over table, y 1', () => Object.assign(Object.create(table), { y: 1 })],
  ['over another table, x 1', () => Object.assign(Object.create(otherTable), { x: 1 })],
  ['over table, inner', () => Object.assign(Object.create(table), { t: inner })],
  ['over table, ctx t0', () => Object.assign(Object.create(table), { c: ctx('t0') })],
  ['over table, ctx t1', () => Object.assign(Object.create(table), { c: ctx('t1') })],
  ['closure site 0 (1)', () => tagged(0, [1])],
  ['closure site 1 (1)', () => tagged(1, [1])],
  ['closure site 0 (2)', () => tagged(0, [2])],
  ['closure site 0 (1) of another', () => tagged(0, [1], otherTable)],
  ['closure site 0 ([a: 1])', () => tagged(0, [{ a: 1 }])],
  ['closure site 0 ([a: 2])', () => tagged(0, [{ a: 2 }])],
  ['a plain function', () => table.op],
  ['another plain function', () => otherTable.op],
];

describe('hashAny and keyAny', () => {
  it('keep apart values that differ, and agree with each other', () => {
    const hashes = new Map<string, string>();
    const keys = new Map<string, string>();
    for (const [name, make] of distinct) {
      const h = hash(make());
      const k = keyAny(make());
      expect(hashes.get(h), `${name}: same hash as ${hashes.get(h)}`).toBeUndefined();
      expect(keys.get(k), `${name}: same key as ${keys.get(k)}`).toBeUndefined();
      hashes.set(h, name);
      keys.set(k, name);
    }
  });

  it('merge values equal by content, made twice', () => {
    const equal = distinct.filter(([n]) => !n.includes('Map') && !n.includes('inner') && !n.includes('function'));
    for (const [name, make] of equal) {
      expect(hash(make()), name).toBe(hash(make()));
      expect(keyAny(make()), name).toBe(keyAny(make()));
    }
    expect(hash(Object.assign(Object.create(null), { a: 1 }))).toBe(hash({ a: 1 }));
    expect(keyAny(Object.assign(Object.create(null), { a: 1 }))).toBe(keyAny({ a: 1 }));
  });

  it('a class instance is itself: equal fields do not make two one state', () => {
    expect(hash(new Map())).not.toBe(hash(new Map()));
    expect(keyAny(new Map())).not.toBe(keyAny(new Map()));
    expect(hash(shared)).toBe(hash(shared));
    expect(keyAny(shared)).toBe(keyAny(shared));
  });

  it('a frame held as a value (a yield* running) is its function: its state is on the stack', () => {
    const f = (of: object, n: number) => {
      const x = frame((() => undefined) as never, null, null, { $x: n }, of);
      x.n = n;
      return x;
    };
    expect(hash(f(table, 1))).toBe(hash(f(table, 2)));
    expect(keyAny(f(table, 1))).toBe(keyAny(f(table, 2)));
    expect(hash(f(table, 1))).not.toBe(hash(f(otherTable, 1)));
    expect(keyAny(f(table, 1))).not.toBe(keyAny(f(otherTable, 1)));
    expect(hash([f(table, 1)])).not.toBe(hash([{ $x: 1 }]));
  });

  it('an object field of a table-made object is by identity', () => {
    const a = Object.assign(Object.create(table), { t: {} });
    const b = Object.assign(Object.create(table), { t: {} });
    expect(hash(a)).not.toBe(hash(b));
    expect(keyAny(a)).not.toBe(keyAny(b));
  });

  it('hashes by content six levels deep, by identity below', () => {
    expect(hash(nest(6))).toBe(hash(nest(6)));
    expect(keyAny(nest(6))).toBe(keyAny(nest(6)));
    expect(hash(nest(7))).not.toBe(hash(nest(7)));
    expect(keyAny(nest(7))).not.toBe(keyAny(nest(7)));
    const nestObj = (n: number): object => (n === 0 ? {} : { a: nestObj(n - 1) });
    expect(hash(nestObj(6))).toBe(hash(nestObj(6)));
    expect(keyAny(nestObj(6))).toBe(keyAny(nestObj(6)));
    expect(hash(nestObj(7))).not.toBe(hash(nestObj(7)));
    expect(keyAny(nestObj(7))).not.toBe(keyAny(nestObj(7)));
    const deepTag = (n: number) => tagged(0, [nest(n)]);
    expect(hash(deepTag(5))).toBe(hash(deepTag(5)));
    expect(hash(deepTag(6))).not.toBe(hash(deepTag(6)));
    expect(keyAny(deepTag(5))).toBe(keyAny(deepTag(5)));
    expect(keyAny(deepTag(6))).not.toBe(keyAny(deepTag(6)));
  });

  it('closures are tagged only while a search keys threads by their frames: otherwise each is itself', () => {
    const a = cap(() => 0, table, 0, [1]);
    const b = cap(() => 0, table, 0, [1]);
    expect(hash(a)).not.toBe(hash(b));
    expect(keyAny(a)).not.toBe(keyAny(b));
    expect(hash(tagged(0, [1]))).toBe(hash(tagged(0, [1])));
  });

  it('a closure captured again by an enclosing function carries both captures', () => {
    const twice = (outer: number) => {
      tags.on = true;
      try {
        return cap(
          cap(() => 0, table, 0, [1]),
          otherTable,
          0,
          [outer],
        );
      } finally {
        tags.on = false;
      }
    };
    expect(hash(twice(1))).toBe(hash(twice(1)));
    expect(hash(twice(1))).not.toBe(hash(twice(2)));
    expect(hash(twice(1))).not.toBe(hash(tagged(0, [1])));
    expect(keyAny(twice(1))).toBe(keyAny(twice(1)));
    expect(keyAny(twice(1))).not.toBe(keyAny(twice(2)));
    expect(keyAny(twice(1))).not.toBe(keyAny(tagged(0, [1])));
  });
});

describe('hashFrames, hashPoint and framesKey', () => {
  const body = () => undefined;
  const fnA = {};
  const fnB = {};
  const point: Point = { action: 'lock(A)', locs: ['A'] };
  type Shape = {
    of?: object;
    self?: unknown;
    n?: number;
    p?: number;
    c?: number;
    u?: unknown;
    rec?: unknown[] | null;
    L?: Record<string, unknown>;
  };
  const make = (s: Shape) => {
    const f = frame(body as never, s.self ?? null, null, s.L ?? { $x: 1 }, s.of ?? fnA);
    f.n = s.n ?? 0;
    f.p = s.p ?? 0;
    f.c = s.c ?? 0;
    f.u = s.u;
    f.rec = s.rec ?? null;
    return f;
  };
  const id = (frames: unknown[], p: Point = point) => {
    const h: Fp = { a: 0, b: 0 };
    hashFrames(frames, h);
    hashPoint(p, h);
    return { h: `${h.a}:${h.b}`, k: framesKey(frames, p) };
  };
  const variants: [string, () => unknown[], Point?][] = [
    ['base', () => [make({})]],
    ['two frames', () => [make({}), make({})]],
    ['another function', () => [make({ of: fnB })]],
    ['another resume point', () => [make({ n: 3 })]],
    ['another p', () => [make({ p: 2 })]],
    ['a pending throw of 1', () => [make({ c: 1, u: 1 })]],
    ['a pending throw of 2', () => [make({ c: 1, u: 2 })]],
    ['a pending return of 1', () => [make({ c: 2, u: 1 })]],
    ['completion records', () => [make({ rec: [1] })]],
    ['other completion records', () => [make({ rec: [2] })]],
    ['self ctx t0', () => [make({ self: ctx('t0') })]],
    ['self ctx t1', () => [make({ self: ctx('t1') })]],
    ['self a table', () => [make({ self: table })]],
    ['another local', () => [make({ L: { $x: 2 } })]],
    ['two locals', () => [make({ L: { $x: 1, $y: 1 } })]],
    ['another action', () => [make({})], { action: 'lock(B)', locs: ['A'] }],
    ['other locs', () => [make({})], { action: 'lock(A)', locs: ['B'] }],
    ['a join', () => [make({})], { ...point, joinAll: true }],
    ['a join except t1', () => [make({})], { ...point, joinAll: true, joinExcept: ['t1'] }],
    ['a guard', () => [make({})], { ...point, enabled: tagged(0, [1]) }],
    ['another guard', () => [make({})], { ...point, enabled: tagged(0, [2]) }],
    ['an effect', () => [make({})], { ...point, fire: tagged(0, [1]) }],
    ['a wait', () => [make({})], { ...point, waitsFor: tagged(0, [1]) }],
  ];

  it('keep apart stacks or points that differ in anything a thread would go on from', () => {
    const hs = new Map<string, string>();
    const ks = new Map<string, string>();
    for (const [name, frames, p] of variants) {
      const { h, k } = id(frames(), p);
      expect(hs.get(h), `${name}: same hash as ${hs.get(h)}`).toBeUndefined();
      expect(ks.get(k), `${name}: same key as ${ks.get(k)}`).toBeUndefined();
      hs.set(h, name);
      ks.set(k, name);
    }
  });

  it('merge equal stacks made on different paths', () => {
    for (const [name, frames, p] of variants) expect(id(frames(), p), name).toEqual(id(frames(), p));
    // a finished completion's leftover value is not state
    expect(id([make({ c: 0, u: 1 })])).toEqual(id([make({ c: 0, u: 2 })]));
    // an undefined self is no self
    expect(id([make({ self: undefined })])).toEqual(id([make({ self: null })]));
  });

  it("keep a frame's own hash only while nothing it holds can change without it running", () => {
    // a callee pushes to the array its waiting caller passed it: the caller's hash must see that
    const held: unknown[] = [1];
    const caller = make({ L: { $out: held, $x: 1 } });
    const before = id([caller]).h;
    held.push(2);
    expect(id([caller]).h).not.toBe(before);
    expect(id([caller]).h).toBe(id([make({ L: { $out: [1, 2], $x: 1 } })]).h);
    // primitives only: kept until the frame runs (only run() moves a frame)
    const f = make({ L: { $x: 1 } });
    const kept = id([f]).h;
    f.n = 5;
    expect(id([f]).h).toBe(kept);
    f.run(0, undefined);
    expect(id([f]).h).toBe(id([make({ L: { $x: 1 }, n: 5 })]).h);
    expect(id([f]).h).not.toBe(kept);
  });
});
