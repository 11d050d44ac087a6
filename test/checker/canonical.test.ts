/**
 * Canonical keys of plain data (checker/lifecycle/canonical.ts): values a
 * machine cannot tell apart share a key, values it can tell apart never do,
 * and anything that is not plain data is refused with where it is; and
 * deepFreeze freezes all the way down.
 */
import { describe, expect, it } from 'vitest';
import { canonicalKey, deepFreeze, flatKey, NotPlainDataError } from '../../checker/lifecycle/canonical.ts';

const key = (v: unknown) => canonicalKey(v, 'context');

describe('canonicalKey', () => {
  it('spells every plain value apart, JSON gaps included', () => {
    expect(key('a')).toBe('"a"');
    expect(key('')).toBe('""');
    expect(key(true)).toBe('true');
    expect(key(false)).toBe('false');
    expect(key(undefined)).toBe('undefined');
    expect(key(null)).toBe('null');
    expect(key(0)).toBe('0');
    expect(key(-0)).toBe('-0');
    expect(key(1.5)).toBe('1.5');
    expect(key(Number.NaN)).toBe('NaN');
    expect(key(-Infinity)).toBe('-Infinity');
    expect(key([1, 'a', [null]])).toBe('[1,"a",[null]]');
    expect(key([])).toBe('[]');
    expect(key({})).toBe('{}');
    expect(key({ b: 1, a: { d: undefined, c: [true] } })).toBe('{"a":{"c":[true],"d":undefined},"b":1}');
    expect(key(Object.assign(Object.create(null), { x: 1 }))).toBe('{"x":1}');
    const all = [
      key('1'),
      key(1),
      key(true),
      key('true'),
      key(null),
      key('null'),
      key(undefined),
      key(Number.NaN),
      key(0),
      key(-0),
      key([]),
      key({}),
      key(['a']),
      key({ 0: 'a' }),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('ignores key order, and keeps the same object met twice (not a cycle)', () => {
    expect(key({ a: 1, b: 2 })).toBe(key({ b: 2, a: 1 }));
    const shared = { n: 1 };
    expect(key({ x: shared, y: shared })).toBe('{"x":{"n":1},"y":{"n":1}}');
    expect(key([shared, shared])).toBe('[{"n":1},{"n":1}]');
  });

  it('refuses what is not plain data, saying where', () => {
    const refuses = (v: unknown, message: string) => {
      expect(() => key(v)).toThrow(NotPlainDataError);
      expect(() => key(v)).toThrow(message);
    };
    refuses(() => 1, 'context is a function; only plain data can be interned');
    refuses({ a: [1, Symbol('s')] }, 'context.a[1] is a symbol; only plain data can be interned');
    refuses({ n: 1n }, 'context.n is a bigint; only plain data can be interned');
    refuses({ m: new Map() }, 'context.m is a Map instance; only plain objects and arrays can be interned');
    refuses([new (class Thing {})()], 'context[0] is a Thing instance; only plain objects and arrays can be interned');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    refuses(loop, 'context.self is circular; only plain data can be interned');
    const arr: unknown[] = [];
    arr.push(arr);
    refuses(arr, 'context[0] is circular');
    expect(() => canonicalKey(() => 1, 'event')).toThrow('event is a function');
  });

  it('names its error', () => {
    try {
      key(() => 1);
    } catch (e) {
      expect((e as Error).name).toBe('NotPlainDataError');
      expect(e).toBeInstanceOf(TypeError);
    }
  });
});

describe('flatKey', () => {
  it('keys a flat record as canonicalKey does, whatever its key order', () => {
    const flat = [
      { type: 'SET_D3', on: true },
      { on: false, type: 'SET_D3' },
      { type: 'X', n: -0, m: 0, nan: Number.NaN, inf: -Infinity, s: 'a"b', u: undefined, z: null },
      {},
      Object.assign(Object.create(null), { type: 'bare', b: 1 }),
    ];
    for (const e of flat) expect(flatKey(e)).toBe(canonicalKey(e, 'event'));
    expect(flatKey({ b: 1, a: 2 })).toBe(flatKey({ a: 2, b: 1 }));
  });

  it('leaves nested values and what is not plain data to canonicalKey', () => {
    expect(flatKey({ type: 'X', at: [1] })).toBeNull();
    expect(flatKey({ type: 'X', at: { a: 1 } })).toBeNull();
    expect(flatKey({ type: 'X', f: () => 1 })).toBeNull();
    expect(flatKey({ type: 'X', big: 1n })).toBeNull();
    expect(flatKey(new Map())).toBeNull();
  });
});

describe('deepFreeze', () => {
  it('freezes a value all the way down and gives it back', () => {
    const v = { a: { b: [1, { c: 2 }] }, d: 'x' };
    expect(deepFreeze(v)).toBe(v);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.a)).toBe(true);
    expect(Object.isFrozen(v.a.b)).toBe(true);
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBe(null);
    // an object already frozen is left as it is, its insides too
    const inner = { z: 1 };
    const outer = Object.freeze({ inner });
    deepFreeze(outer);
    expect(Object.isFrozen(inner)).toBe(false);
  });
});
