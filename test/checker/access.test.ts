/**
 * When two steps conflict (the independence DPOR and the trace rest on), as a
 * table over (what a does, what b does) to one object: reads commute with
 * reads, counts with counts, anything else touching a written object or a
 * counted one read conflicts; both forms (footprint lists, and numbered
 * accesses against bitsets) agree. Then the numbering of objects and the
 * interned summaries of subtrees.
 */
import { describe, expect, it } from 'vitest';
import { conflicts, type Footprint } from '../../checker/footprint.ts';
import { names } from '../../checker/names.ts';
import { type Access, bitsOf, conflictsWith, Locations, Summaries } from '../../checker/search/access.ts';

type Use = 'reads' | 'writes' | 'counts';
const uses: Use[] = ['reads', 'writes', 'counts'];
const on = (use: Use, ...ns: number[]): Access => ({ reads: [], writes: [], counts: [], [use]: ns });
/** (a's use, b's use) → conflict, for one shared object */
const table: Record<Use, Record<Use, boolean>> = {
  reads: { reads: false, writes: true, counts: true },
  writes: { reads: true, writes: true, counts: true },
  counts: { reads: true, writes: true, counts: false },
};

describe('conflicts', () => {
  for (const ua of uses)
    for (const ub of uses)
      it(`a ${ua.slice(0, -1)} against a ${ub.slice(0, -1)} of the same object: ${table[ua][ub] ? 'conflict' : 'independent'}`, () => {
        // object numbers past one 32-bit word, and each step touching another object as well
        for (const [x, y, other] of [
          [3, 3, 40],
          [70, 70, 5],
        ] as const) {
          const a: Access = { ...on(ua, x), reads: ua === 'reads' ? [x] : [other] };
          const b = on(ub, y);
          expect(conflictsWith(a, bitsOf(b))).toBe(table[ua][ub]);
          expect(conflicts(a as Footprint, b as Footprint)).toBe(table[ua][ub]);
          expect(conflicts(b as Footprint, a as Footprint)).toBe(table[ub][ua]);
        }
      });

  it('steps on different objects never conflict, however they touch them', () => {
    for (const ua of uses)
      for (const ub of uses) {
        expect(conflictsWith(on(ua, 1, 33), bitsOf(on(ub, 2, 34, 100)))).toBe(false);
        expect(conflictsWith(on(ua, 100), bitsOf(on(ub, 2)))).toBe(false);
        expect(conflicts(on(ua, 1, 33), on(ub, 2, 34, 100))).toBe(false);
      }
    expect(bitsOf({ reads: [], writes: [], counts: [] })).toEqual({ reads: null, writes: null, counts: null });
  });
});

describe('Locations', () => {
  it("numbers objects in order of first sight; a written object's read or count is dropped", () => {
    const l = new Locations();
    const [a, b, c] = ['acc:a', 'acc:b', 'acc:c'].map((s) => names.id(s)) as [number, number, number];
    expect(l.access({ reads: [a, b], writes: [b], counts: [c, b] })).toEqual({ reads: [1], writes: [0], counts: [2] });
    expect(l.access({ reads: [c], writes: [], counts: [a] })).toEqual({ reads: [2], writes: [], counts: [1] });
    expect(l.writing(['acc:d', 'acc:a'])).toEqual({ reads: [], writes: [3, 1], counts: [] });
    expect(l.size).toBe(4);
  });

  it('numbers the first name past its first table (64) too', () => {
    const l = new Locations();
    expect(l.access({ reads: [], writes: [64], counts: [] }).writes).toEqual([0]);
    expect(l.access({ reads: [65, 64], writes: [], counts: [] }).reads).toEqual([1, 0]);
  });

  it('grows for name numbers past its first table and keeps what it numbered', () => {
    const l = new Locations();
    const first = names.id('acc:first');
    expect(l.access({ reads: [], writes: [first], counts: [] }).writes).toEqual([0]);
    expect(l.access({ reads: [], writes: [first + 5000], counts: [] }).writes).toEqual([1]);
    expect(l.access({ reads: [], writes: [first, first + 5000, first + 70], counts: [] }).writes).toEqual([0, 1, 2]);
  });
});

describe('Summaries', () => {
  it('interns single steps and their unions; union is commutative, idempotent, with the empty summary as unit', () => {
    const s = new Summaries(3);
    expect(s.count).toBe(1);
    expect(s.empty.threads).toBe(0);
    const x = s.of(0, on('writes', 1));
    expect(s.of(0, on('writes', 1))).toBe(x);
    const y = s.of(2, on('reads', 40));
    expect(y).not.toBe(x);
    expect(s.of(1, on('writes', 1))).not.toBe(x);
    expect(s.of(0, on('reads', 1))).not.toBe(x);
    expect(s.of(0, on('counts', 1))).not.toBe(x);
    expect(s.of(0, on('writes', 1), true)).not.toBe(x);
    const u = s.union(x, y);
    expect(s.union(y, x)).toBe(u);
    expect(s.union(u, x)).toBe(u);
    expect(s.union(x, x)).toBe(x);
    expect(s.union(x, s.empty)).toBe(x);
    expect(s.union(s.empty, x)).toBe(x);
    expect(u.threads).toBe(0b101);
    expect(u.universal).toBe(0);
    expect(s.byId(u.id)).toBe(u);
    expect(() => s.byId(s.count)).toThrow(`no summary ${s.count}`);
  });

  it("a union holds both sides' accesses per thread; universal steps mark their thread", () => {
    const s = new Summaries(2);
    const a = s.of(0, on('writes', 1));
    const b = s.of(0, on('reads', 64));
    const c = s.of(1, { reads: [], writes: [], counts: [] }, true);
    expect(c.universal).toBe(0b10);
    expect(c.threads).toBe(0b10);
    const u = s.union(s.union(a, b), c);
    expect(u.universal).toBe(0b10);
    expect(u.threads).toBe(0b11);
    const t0 = u.bits[0]!;
    expect(conflictsWith(on('reads', 1), t0)).toBe(true);
    expect(conflictsWith(on('writes', 64), t0)).toBe(true);
    expect(conflictsWith(on('reads', 64), t0)).toBe(false);
    expect(conflictsWith(on('writes', 2), t0)).toBe(false);
    // the same content reached another way is the same summary
    expect(s.union(a, s.union(b, c))).toBe(u);
    const w = s.union(s.of(0, on('writes', 1, 40)), s.of(0, on('writes', 3)));
    expect(conflictsWith(on('reads', 40), w.bits[0]!)).toBe(true);
    expect(conflictsWith(on('reads', 3), w.bits[0]!)).toBe(true);
    expect(conflictsWith(on('reads', 1), w.bits[0]!)).toBe(true);
  });

  it('tells apart steps and summaries whose parts would spell alike run together', () => {
    const s = new Summaries(13);
    // thread 1 reading object 2 and thread 12 doing nothing: "1" + "2" and "12" + ""
    const a = s.of(1, on('reads', 2));
    const b = s.of(12, { reads: [], writes: [], counts: [] });
    expect(a).not.toBe(b);
    expect(a.threads).toBe(0b10);
    expect(b.threads).toBe(0);
    // reads [1, 2] and [12]; writes after reads and counts after writes
    expect(s.of(0, on('reads', 1, 2))).not.toBe(s.of(0, on('reads', 12)));
    expect(s.of(0, { reads: [1], writes: [2], counts: [] })).not.toBe(s.of(0, { reads: [1, 2], writes: [], counts: [] }));
    expect(s.of(0, { reads: [], writes: [1], counts: [2] })).not.toBe(s.of(0, { reads: [], writes: [1, 2], counts: [] }));
    // bit words 1 and 23 against 12 and 3: "123" either way without a separator
    const x = s.of(0, on('reads', 0, 32, 33, 34, 36));
    const y = s.of(0, on('reads', 2, 3, 32, 33));
    expect(x).not.toBe(y);
    expect(conflictsWith(on('writes', 36), y.bits[0]!)).toBe(false);
    expect(conflictsWith(on('writes', 36), x.bits[0]!)).toBe(true);
    // the same access on another thread, and a universal step, are other summaries
    expect(s.of(0, on('writes', 5))).not.toBe(s.of(1, on('writes', 5)));
    expect(s.of(3, on('writes', 5), true)).not.toBe(s.of(3, on('writes', 5)));
  });

  it('the empty summary has no access on any thread; a thread that only counts is in the mask', () => {
    const s = new Summaries(2);
    expect(s.empty.bits).toEqual([
      { reads: null, writes: null, counts: null },
      { reads: null, writes: null, counts: null },
    ]);
    expect(s.of(1, on('counts', 4)).threads).toBe(0b10);
    expect(s.of(0, on('writes', 4)).threads).toBe(0b01);
    expect(s.of(0, on('reads', 4)).threads).toBe(0b01);
  });

  it('a union keeps the words of the longer side when the older summary is the shorter', () => {
    const s = new Summaries(1);
    const short = s.of(0, on('reads', 1));
    const long = s.of(0, on('reads', 40));
    for (const u of [s.union(short, long), s.union(long, short)]) {
      expect(conflictsWith(on('writes', 40), u.bits[0]!)).toBe(true);
      expect(conflictsWith(on('writes', 1), u.bits[0]!)).toBe(true);
    }
  });
});

describe('bitsOf', () => {
  it('sizes the bitset for the largest number, wherever it comes in the list', () => {
    const b = bitsOf(on('reads', 40, 1));
    expect(conflictsWith(on('writes', 40), b)).toBe(true);
    expect(conflictsWith(on('writes', 1), b)).toBe(true);
    expect(b.reads?.length).toBe(2);
  });
});
