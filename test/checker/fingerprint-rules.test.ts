/**
 * What a fingerprint must tell apart, and the table's revisit rules: distinct
 * values and worlds fingerprint apart (strings of the same length, numbers,
 * field names), worlds fingerprint alike whatever their order of creation and
 * writes, and `seen()` skips a state only when exploring it again can find
 * nothing new nor shorter (depth, context switches, sleep mask), through the
 * table's growth.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extend, extendString, FingerprintTable, type Fp, fmix, hashString, stateFp } from '../../checker/fingerprint.ts';
import type { Value } from '../../checker/value.ts';
import { fieldHash, hashValue } from '../../checker/value-hash.ts';
import { World } from '../../checker/world.ts';

const h = (s: string): string => {
  const fp = hashString(s, { a: 0, b: 0 });
  return `${fp.a},${fp.b}`;
};
const hv = (v: Value): string => {
  const fp = hashValue(v, { a: 0, b: 0 });
  return `${fp.a},${fp.b}`;
};
const worldFp = (w: World): string => {
  const fp = { a: 0, b: 0 };
  w.fingerprint(fp);
  return `${fp.a},${fp.b}`;
};

describe('hashes', () => {
  it("fmix is MurmurHash3's 32-bit finalizer (vectors of the reference C code)", () => {
    expect(fmix(0)).toBe(0);
    expect(fmix(1)).toBe(0x514e28b7);
    expect(fmix(0x12345678)).toBe(-478359108);
    expect(fmix(0xffffffff)).toBe(-2114883783);
  });

  it("a string's first half is FNV-1a (published vectors), finalized", () => {
    // FNV-1a 32: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968
    expect(hashString('', { a: 0, b: 0 }).a).toBe(fmix(0x811c9dc5));
    expect(hashString('a', { a: 0, b: 0 }).a).toBe(fmix(0xe40c292c));
    expect(hashString('foobar', { a: 0, b: 0 }).a).toBe(fmix(0xbf9cf968));
  });

  it('tells apart strings of the same length in either half, whichever character differs', () => {
    const words = ['aaaa', 'aaab', 'baaa', 'abaa', 'aaba', 'abab', 'baba', 'zzzz', 'AAAA'];
    const a = new Set(words.map((w) => hashString(w, { a: 0, b: 0 }).a));
    const b = new Set(words.map((w) => hashString(w, { a: 0, b: 0 }).b));
    expect(a.size).toBe(words.length);
    expect(b.size).toBe(words.length);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }), fc.nat(7), fc.integer({ min: 1, max: 0xffff }), (s, i, d) => {
        const k = i % s.length;
        const t = s.slice(0, k) + String.fromCharCode((s.charCodeAt(k) + d) % 0x10000) + s.slice(k + 1);
        return t === s || h(t) !== h(s);
      }),
      { numRuns: 300 },
    );
  });

  it('tells apart strings that differ only by a trailing NUL (the length is hashed)', () => {
    expect(hashString('ab\0', { a: 0, b: 0 }).b).not.toBe(hashString('ab', { a: 0, b: 0 }).b);
    expect(h('')).not.toBe(h('\0'));
  });

  it('extend is order-sensitive in both halves; extendString is extend with the string hash', () => {
    const one = { a: 1, b: 2 };
    const ab: Fp = { a: 7, b: 9 };
    extend(ab, 1, 2);
    extend(ab, 3, 4);
    const ba: Fp = { a: 7, b: 9 };
    extend(ba, 3, 4);
    extend(ba, 1, 2);
    expect(ab.a).not.toBe(ba.a);
    expect(ab.b).not.toBe(ba.b);
    const s: Fp = { ...one };
    extendString(s, 'xyz');
    const x = hashString('xyz', { a: 0, b: 0 });
    const t: Fp = { ...one };
    extend(t, x.a, x.b);
    expect(s).toEqual(t);
  });

  it('values: every kind and every distinct value apart, object keys in any order alike, array order not', () => {
    const values: Value[] = [
      '#1',
      '#0.5',
      0.25,
      null,
      true,
      false,
      0,
      1,
      -1,
      2 ** 31 - 1,
      0.5,
      1.5,
      '',
      '0',
      '1',
      'a',
      'b',
      [],
      [0],
      [1],
      [0, 1],
      [1, 0],
      {},
      { x: 0 },
      { y: 0 },
      { x: 1 },
      { x: 0, y: 1 },
    ];
    const all = values.map(hv);
    expect(new Set(all).size).toBe(values.length);
    // every half a 32-bit integer, whatever `out` held before
    for (const v of values) {
      const fresh = hashValue(v, { a: 0, b: 0 });
      expect(hashValue(v, { a: 12345, b: -6789 })).toEqual(fresh);
      expect(fresh.a | 0).toBe(fresh.a);
      expect(fresh.b | 0).toBe(fresh.b);
    }
    // halves separately too, so that neither is constant
    expect(new Set(values.map((v) => hashValue(v, { a: 0, b: 0 }).a)).size).toBe(values.length);
    expect(new Set(values.map((v) => hashValue(v, { a: 0, b: 0 }).b)).size).toBe(values.length);
    expect(hv({ x: 0, y: 'p', z: [1, 2] })).toBe(hv({ z: [1, 2], y: 'p', x: 0 }));
    expect(hv({ x: 0, y: 1 })).not.toBe(hv({ x: 1, y: 0 }));
    expect(hv([{ a: 1 }, { b: 2 }])).not.toBe(hv([{ b: 2 }, { a: 1 }]));
    // a float is not the string that spells it
    expect(hv(1.5)).not.toBe(hv('1.5'));
    const f = (n: string, v: Value) => {
      const fp = fieldHash(n, v, { a: 0, b: 0 });
      return `${fp.a},${fp.b}`;
    };
    expect(f('x', 1)).not.toBe(f('y', 1));
    expect(f('x', 1)).not.toBe(f('x', 2));
  });
});

describe('world fingerprints', () => {
  const fields = fc.record({
    n: fc.integer({ min: -3, max: 3 }),
    s: fc.constantFrom('pq', 'qp', 'pp', 'qq'),
    f: fc.constantFrom(0.25, 0.5),
    b: fc.boolean(),
  });
  const build = (objs: readonly { n: number; s: string; f: number; b: boolean }[], order: readonly number[]) => {
    const w = new World(true);
    for (const i of order) w.create('o', {}, null, `o${i}`);
    for (const i of [...order].reverse()) {
      const o = objs[i] as { n: number; s: string; f: number; b: boolean };
      w.set(`o${i}`, 'n', o.n);
      w.set(`o${i}`, 's', o.s);
      w.set(`o${i}`, 'f', o.f);
      w.set(`o${i}`, 'b', o.b);
    }
    return w;
  };

  it('equal worlds alike in any order of creation and writes; worlds that differ in any field apart', () => {
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 3 }), fc.array(fields, { minLength: 1, maxLength: 3 }), (x, y) => {
        const ix = x.map((_, i) => i);
        const wx = build(x, ix);
        const wx2 = build(x, [...ix].reverse());
        expect(worldFp(wx2)).toBe(worldFp(wx));
        const wy = build(
          y,
          y.map((_, i) => i),
        );
        expect(worldFp(wy) === worldFp(wx)).toBe(wy.key() === wx.key());
      }),
      { numRuns: 300 },
    );
  });

  it('a world without hashing refuses to give a fingerprint', () => {
    expect(() => new World(false).fingerprint({ a: 0, b: 0 })).toThrow(/without hashing/);
  });
});

describe('FingerprintTable.seen: the revisit rule', () => {
  const fp = { a: 11, b: 22 };
  // seen(fp, depth, mask, switches, last)
  it('a state met again deeper, or as deep with no fewer switches after the same thread, is skipped', () => {
    const t = new FingerprintTable();
    expect(t.seen(fp, 4, 0, 2, 0)).toBe(false);
    expect(t.seen(fp, 4, 0, 2, 0)).toBe(true);
    expect(t.seen(fp, 5, 0, 0, 1)).toBe(true);
    expect(t.seen(fp, 4, 0, 3, 0)).toBe(true);
    expect(t.lookups).toBe(4);
    expect(t.size).toBe(1);
  });

  it('as deep with fewer switches, or shallower, is explored again and becomes the record', () => {
    const t = new FingerprintTable();
    expect(t.seen(fp, 4, 0, 2, 0)).toBe(false);
    expect(t.seen(fp, 4, 0, 1, 0)).toBe(false);
    // the record is now (4, 1 switch): 2 switches is no better
    expect(t.seen(fp, 4, 0, 1, 0)).toBe(true);
    expect(t.seen(fp, 3, 0, 5, 0)).toBe(false);
    // the record is now depth 3: depth 4 is skipped whatever its switches, depth 3 needs ≥ 5
    expect(t.seen(fp, 4, 0, 0, 0)).toBe(true);
    expect(t.seen(fp, 3, 0, 4, 0)).toBe(false);
    expect(t.size).toBe(1);
  });

  it('after another thread ran last, the same switch count is one worse (the next step may switch from one and not the other)', () => {
    const t = new FingerprintTable();
    expect(t.seen(fp, 4, 0, 2, 0)).toBe(false);
    // reached after thread 1, with 2 switches: the old visit after thread 0 counts as 3 from here
    expect(t.seen(fp, 4, 0, 2, 1)).toBe(false);
    // the record is now (2 switches, last 1)
    expect(t.seen(fp, 4, 0, 2, 1)).toBe(true);
    expect(t.seen(fp, 4, 0, 3, 0)).toBe(true);
    expect(t.seen(fp, 4, 0, 2, 0)).toBe(false);
  });

  it('a thread asleep at the old visit but awake now makes it new; more threads asleep now does not', () => {
    const t = new FingerprintTable();
    expect(t.seen(fp, 4, 0b01, 0, 0)).toBe(false);
    expect(t.seen(fp, 4, 0b11, 0, 0)).toBe(true);
    expect(t.seen(fp, 4, 0b10, 0, 0)).toBe(false);
    // the record's mask is now 0b10
    expect(t.seen(fp, 4, 0b10, 0, 0)).toBe(true);
    expect(t.seen(fp, 9, 0b01, 0, 0)).toBe(false);
    expect(t.seen(fp, 9, 0b01, 0, 0)).toBe(true);
  });

  it('fingerprints that share a slot stay apart (either half differs)', () => {
    const t = new FingerprintTable();
    expect(t.seen({ a: 1, b: 0 }, 0, 0, 0, 0)).toBe(false);
    expect(t.seen({ a: 1, b: 1 }, 0, 0, 0, 0)).toBe(false);
    expect(t.seen({ a: 2, b: 0 }, 0, 0, 0, 0)).toBe(false);
    expect(t.seen({ a: 1 + 0x10000, b: 0 }, 0, 0, 0, 0)).toBe(false);
    // the same slot and first half as { a: 1, b: 0 }: 65,536 · anything is 0 in the low 16 bits
    expect(t.seen({ a: 1, b: 0x10000 }, 0, 0, 0, 0)).toBe(false);
    expect(t.size).toBe(5);
    for (const x of [
      { a: 1, b: 0x10000 },
      { a: 1, b: 0 },
      { a: 1, b: 1 },
      { a: 2, b: 0 },
      { a: 1 + 0x10000, b: 0 },
    ])
      expect(t.seen(x, 0, 0, 0, 0)).toBe(true);
  });
});

describe('FingerprintTable.visit', () => {
  it('keeps what stays unexplored after both visits: the threads asleep at both', () => {
    const t = new FingerprintTable();
    const fp = { a: 5, b: 6 };
    expect(t.visit(fp, 0b01)).toBe(false);
    expect(t.visit(fp, 0b11)).toBe(true);
    expect(t.visit(fp, 0b10)).toBe(false);
    // asleep at both: none
    expect(t.visit(fp, 0b10)).toBe(true);
    expect(t.visit(fp, 0)).toBe(true);
    expect(t.size).toBe(1);
    expect(t.lookups).toBe(5);
  });
});

describe('growth past 32,768 states', () => {
  const N = 40_000;
  const fpOf = (i: number) => ({ a: fmix(i), b: fmix(i ^ 0x5555) });

  it('seen() keeps every record (depth, switches, last, mask) and payload through the doublings', () => {
    const t = new FingerprintTable();
    const bytes0 = t.bytes;
    // seven Int32Arrays of 2^16 slots
    expect(bytes0).toBe(7 * 4 * 2 ** 16);
    expect(t.payload(fpOf(0))).toBe(-1);
    expect(() => t.setPayload(fpOf(0), 1)).toThrow(/not in the table/);
    let met = 0;
    for (let i = 0; i < N; i++) {
      if (t.seen(fpOf(i), i % 7, i % 4, i % 3, i % 2)) met++;
      if (i % 5 === 0) t.setPayload(fpOf(i), i);
    }
    expect(met).toBe(0);
    expect(t.size).toBe(N);
    expect(t.bytes).toBe(bytes0 * 2);
    for (let i = 0; i < N; i += 13) {
      expect(t.payload(fpOf(i))).toBe(i % 5 === 0 ? i : -1);
      // the same visit again: skipped
      expect(t.seen(fpOf(i), i % 7, i % 4, i % 3, i % 2)).toBe(true);
    }
    // one shallower each: new again, so every depth survived the growth
    for (let i = 1; i < N; i += 7) if (i % 7 > 0) expect(t.seen(fpOf(i), (i % 7) - 1, i % 4, i % 3, i % 2)).toBe(false);
    // a thread awake that was asleep: new again, so every mask survived
    for (let i = 3; i < N; i += 4 * 97) expect(t.seen(fpOf(i), 6, 0, 2, 1)).toBe(false);
    // fewer switches at the same depth: new again, so every switch count survived
    for (let i = 2; i < N; i += 21 * 11) expect(t.seen(fpOf(i), i % 7, i % 4, (i % 3) - 1, i % 2)).toBe(false);
    // the same count after another thread: new again, so every last thread survived
    for (let i = 5; i < N; i += 21 * 13) expect(t.seen(fpOf(i), i % 7, i % 4, i % 3, 1 - (i % 2))).toBe(false);
    expect(t.size).toBe(N);
  });

  it('visit() keeps masks through the doublings', () => {
    const t = new FingerprintTable();
    let met = 0;
    for (let i = 0; i < N; i++) if (t.visit(fpOf(i), 1)) met++;
    expect(met).toBe(0);
    expect(t.size).toBe(N);
    for (let i = 0; i < N; i += 11) expect(t.visit(fpOf(i), 1)).toBe(true);
    for (let i = 0; i < N; i += 11) expect(t.visit(fpOf(i), 0)).toBe(false);
  });
});

describe('stateFp', () => {
  const exec = { fingerprint: () => ({ a: 1, b: 2 }), stateKey: () => 'k' };
  it("with exact keys, a copy with the state's key; without, the execution's own", () => {
    const shared = { a: 3, b: 4 };
    expect(stateFp({ fingerprint: () => shared, stateKey: () => 'k' }, false)).toBe(shared);
    expect(stateFp(exec, true)).toEqual({ a: 1, b: 2, key: 'k' });
    expect(stateFp({ fingerprint: () => shared, stateKey: () => 'k' }, true)).not.toBe(shared);
  });
});
