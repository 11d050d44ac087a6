/**
 * Canonical text of plain values (state keys, digests) and the 64-bit FNV-1a
 * digest of traces and designs, against the published FNV test vectors.
 */
import { describe, expect, it } from 'vitest';
import { digest, stableStringify } from '../../checker/value.ts';

describe('stableStringify', () => {
  it('is JSON with object keys sorted at every depth, arrays in order, undefined as null', () => {
    expect(stableStringify({ b: 1, a: [3, { d: 'x', c: null }] })).toBe('{"a":[3,{"c":null,"d":"x"}],"b":1}');
    expect(stableStringify({ a: [3, { c: null, d: 'x' }], b: 1 })).toBe(stableStringify({ b: 1, a: [3, { d: 'x', c: null }] }));
    expect(stableStringify([2, 1])).not.toBe(stableStringify([1, 2]));
    expect(stableStringify(undefined)).toBe('null');
    expect(stableStringify(null)).toBe('null');
    expect(stableStringify('a"b')).toBe('"a\\"b"');
    expect(stableStringify(true)).toBe('true');
    expect(stableStringify(1.5)).toBe('1.5');
    expect(stableStringify({})).toBe('{}');
    expect(stableStringify([])).toBe('[]');
  });
});

describe('digest', () => {
  it('is FNV-1a 64 (published vectors), 16 hex digits', () => {
    expect(digest('')).toBe('cbf29ce484222325');
    expect(digest('a')).toBe('af63dc4c8601ec8c');
    expect(digest('foobar')).toBe('85944171f73967e8');
    // a leading zero digit is kept
    expect(digest('x0')).toBe('08f10807b58d7275');
  });
});
