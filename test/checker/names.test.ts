/**
 * Interned names and field layouts: one number per name for the whole process,
 * the name back from its number, its hash computed once; each kind's fields get
 * dense slots in first-use order, shared by every world.
 */
import { describe, expect, it } from 'vitest';
import { hashString } from '../../checker/fingerprint.ts';
import { Layout, layoutOf } from '../../checker/layout.ts';
import { names } from '../../checker/names.ts';

describe('names', () => {
  it('gives a new name the next number, the same name the same number, and the name back', () => {
    const before = names.size;
    const a = names.id('names.test:a');
    const b = names.id('names.test:b');
    expect(a).toBe(before);
    expect(b).toBe(before + 1);
    expect(names.size).toBe(before + 2);
    // asked again, in a row and not
    expect(names.id('names.test:b')).toBe(b);
    expect(names.id('names.test:a')).toBe(a);
    expect(names.id('names.test:a')).toBe(a);
    expect(names.id('names.test:b')).toBe(b);
    expect(names.size).toBe(before + 2);
    expect(names.name(a)).toBe('names.test:a');
    expect(names.name(b)).toBe('names.test:b');
    expect(() => names.name(names.size)).toThrow(RangeError);
    expect(() => names.name(names.size)).toThrow(`no name ${names.size}`);
  });

  it("keeps each name's string hash", () => {
    const n = names.id('names.test:hash');
    expect(names.hash(n)).toEqual(hashString('names.test:hash', { a: 0, b: 0 }));
    expect(names.hash(names.id('names.test:a'))).not.toEqual(names.hash(n));
  });
});

describe('layouts', () => {
  it("numbers a kind's fields in first-use order, with their names' hashes, and names its id counter #kind", () => {
    const l = new Layout('layout.test:k');
    expect(names.name(l.counter)).toBe('#layout.test:k');
    expect(l.slot('x')).toBe(0);
    expect(l.slot('y')).toBe(1);
    expect(l.slot('x')).toBe(0);
    expect(l.slot('z')).toBe(2);
    expect(l.fields).toEqual(['x', 'y', 'z']);
    expect(l.hashes).toEqual(['x', 'y', 'z'].map((f) => names.hash(names.id(f))));
  });

  it('is one layout per kind for the process', () => {
    const l = layoutOf('layout.test:shared');
    expect(layoutOf('layout.test:shared')).toBe(l);
    expect(layoutOf('layout.test:other')).not.toBe(l);
    expect(l.kind).toBe('layout.test:shared');
  });
});
