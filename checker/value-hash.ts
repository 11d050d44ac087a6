import { extend, type Fp, fmix, hashString } from './fingerprint.ts';
import { names } from './names.ts';
import type { Value } from './value.ts';

/**
 * Hashes of plain values, built so that a world's fingerprint can be kept up to
 * date at every write instead of recomputed per state: an object's hash is the
 * sum of its fields' hashes, so a write subtracts the old field's hash and adds
 * the new one (an incremental multiset hash, as in Bellare–Micciancio's AdHash).
 * Object keys are summed (their order never matters); array elements are chained
 * (their order does).
 */

/** The hash of a field name or an object id (interned: there are few). */
export function nameHash(name: string): Fp {
  return names.hash(names.id(name));
}

/** Writes the hash of a value into `out`. */
export function hashValue(v: Value, out: Fp): Fp {
  if (v === null) {
    out.a = 0x2f1e3d4c;
    out.b = 0x1a2b3c4d;
  } else if (v === true) {
    out.a = 0x5bd1e995;
    out.b = 0x1b873593;
  } else if (v === false) {
    out.a = 0x68e31da4;
    out.b = 0x3c6ef372;
  } else if (typeof v === 'number') {
    if ((v | 0) === v) {
      out.a = fmix(v ^ 0x7f4a7c15);
      // Stryker disable next-line ArithmeticOperator: adding or subtracting the constant mixes alike
      out.b = fmix(Math.imul(v, 0x2545f491) + 0x165667b1);
    } else {
      // a float is its text under a tag of its own: as the string `#${v}` it met that string's hash
      hashString(String(v), out);
      out.a = fmix(out.a ^ 0x3c6ef372);
      out.b = fmix((out.b + 0x1b873593) | 0);
    }
  } else if (typeof v === 'string') hashString(v, out);
  else if (Array.isArray(v)) {
    const h: Fp = { a: 0x243f6a88, b: 0x85a308d3 ^ v.length };
    // Stryker disable next-line ObjectLiteral: hashValue writes both halves before any read
    const e: Fp = { a: 0, b: 0 };
    for (const x of v as readonly Value[]) {
      hashValue(x, e);
      extend(h, e.a, e.b);
    }
    out.a = h.a;
    out.b = h.b;
  } else {
    let a = 0x13198a2e;
    let b = 0x03707344;
    // Stryker disable next-line ObjectLiteral: fieldHash writes both halves before any read
    const f: Fp = { a: 0, b: 0 };
    for (const k in v as Record<string, Value>) {
      fieldHash(k, (v as Record<string, Value>)[k] as Value, f);
      // Stryker disable next-line ArithmeticOperator: a difference of the fields' hashes is as order-free as their sum
      a = (a + f.a) | 0;
      // Stryker disable next-line ArithmeticOperator: see a
      b = (b + f.b) | 0;
    }
    out.a = fmix(a);
    out.b = fmix(b ^ 0x299f31d0);
  }
  return out;
}

/** The hash of one (name, value) field: what an object's hash sums. */
export function fieldHash(name: string, v: Value, out: Fp): Fp {
  return namedHash(nameHash(name), v, out);
}

/** fieldHash with the name's hash at hand (the world keeps it per field slot). */
export function namedHash(n: Fp, v: Value, out: Fp): Fp {
  hashValue(v, out);
  out.a = fmix(Math.imul(n.a, 0x01000193) ^ out.a);
  // Stryker disable next-line ArithmeticOperator: adding or subtracting the value's half mixes alike
  out.b = fmix((Math.imul(n.b, 0x5bd1e995) + out.b) | 0);
  return out;
}
