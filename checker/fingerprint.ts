/**
 * 64-bit fingerprints of states, as two independent 32-bit hashes, and the
 * table that remembers them. The search keys visited states by fingerprint
 * rather than by their full text, as TLC does: a state costs 16 bytes in the
 * table instead of kilobytes of key, at the price of a small probability that
 * a new state was taken for one already seen (see collisionProbability), or,
 * with exact keys, none.
 */

/** A fingerprint: two 32-bit halves; with an exact table, the state's full key too. */
export interface Fp {
  a: number;
  b: number;
  key?: string;
}

/** Fingerprint width in bits: the two halves must both agree for two states to be taken as one. */
export const FINGERPRINT_BITS = 64;

/**
 * TLC's "calculated (optimistic)" estimate of the probability that a
 * fingerprint collision hid a state: each of the g − n lookups that found a
 * fingerprint already there (g lookups, n distinct fingerprints) could have
 * met one of at most n others by chance, each with probability 2⁻⁶⁴, so
 * P ≈ n·(g − n)/2⁶⁴ (docs/engine.md). 0 with exact keys.
 */
export function collisionProbability(distinct: number, lookups: number): number {
  return distinct * (Math.max(0, lookups - distinct) / 2 ** FINGERPRINT_BITS);
}

/** MurmurHash3's finalizer: every input bit affects every output bit. */
export function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** The two halves of a string's hash (FNV-1a and a multiply-xorshift hash, each finalized). */
export function hashString(s: string, out: Fp): Fp {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out.a = fmix(a);
  out.b = fmix(b ^ s.length);
  return out;
}

/** Appends one element to a running sequence hash (order matters). */
export function extend(into: Fp, a: number, b: number): void {
  // Stryker disable next-line ArithmeticOperator: adding or subtracting the constant mixes alike (no behaviour tells them apart)
  into.a = Math.imul(into.a ^ a, 0x9e3779b1) + 0x7f4a7c15;
  into.a ^= into.a >>> 16;
  // Stryker disable next-line ArithmeticOperator: adding or subtracting the constant mixes alike (no behaviour tells them apart)
  into.b = Math.imul(into.b ^ b, 0x85ebca77) + 0x165667b1;
  into.b ^= into.b >>> 13;
}

// Stryker disable next-line ObjectLiteral: hashString writes both halves before any read
const scratch: Fp = { a: 0, b: 0 };

/** Appends a string's hash to a running sequence hash. */
export function extendString(into: Fp, s: string): void {
  hashString(s, scratch);
  extend(into, scratch.a, scratch.b);
}

/** A state's fingerprint, with its full key for an exact table (a copy then: the execution reuses its own). */
export function stateFp(exec: { fingerprint(): Fp; stateKey(): string }, exact: boolean): Fp {
  const fp = exec.fingerprint();
  return exact ? { a: fp.a, b: fp.b, key: exec.stateKey() } : fp;
}

/**
 * Visited fingerprints with, for each, how it was last reached (depth, context
 * switches so far, the thread that ran last) and the mask of threads that were
 * asleep there (see search/exhaustive.ts): open addressing over typed arrays,
 * doubled at half load.
 */
export class FingerprintTable {
  /**
   * @param exact also keep each state's full key (Fp.key, which every lookup
   * must then give) and tell states apart by it: no collision can hide a
   * state, at the memory cost of every key
   */
  constructor(readonly exact = false) {}
  private cap = 1 << 16;
  private a = new Int32Array(this.cap);
  private b = new Int32Array(this.cap);
  /** depth + 1; 0 marks an empty slot */
  private d = new Int32Array(this.cap);
  private m = new Int32Array(this.cap);
  private sw = new Int32Array(this.cap);
  private last = new Int32Array(this.cap);
  /** a search's own number for the state (dpor.ts: its summary), -1 when none */
  private pay = new Int32Array(this.cap).fill(-1);
  /** with exact: each slot's full key */
  // Stryker disable next-line ArrayDeclaration: a key in an empty slot is never compared (the slot's depth is 0)
  private keys: (string | undefined)[] = [];
  private count = 0;
  private looked = 0;

  get size(): number {
    return this.count;
  }

  /** lookups made (seen and visit): TLC's "states generated" */
  get lookups(): number {
    return this.looked;
  }

  /** The probability that a collision hid a state in this table (see collisionProbability). */
  collisionProbability(): number {
    return this.exact ? 0 : collisionProbability(this.count, this.looked);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.cap * 28;
  }

  /**
   * Looks a fingerprint up. Returns true when exploring it again can find
   * nothing new nor shorter: it was seen with no thread awake there that is
   * asleep now, at a smaller depth, or at the same depth with no more context
   * switches (one fewer, if another thread had run last, since the next step
   * may switch from one and not the other). Otherwise records this visit and
   * returns false.
   */
  seen(fp: Fp, depth: number, mask: number, switches: number, last: number): boolean {
    this.looked++;
    let i = this.slot(fp.a | 0, fp.b | 0, fp.key);
    if (this.d[i] !== 0) {
      const d = (this.d[i] as number) - 1;
      const sw = (this.sw[i] as number) + (this.last[i] === last ? 0 : 1);
      if (((this.m[i] as number) & ~mask) === 0 && (d < depth || (d === depth && sw <= switches))) return true;
    } else {
      // Stryker disable next-line EqualityOperator: growing one state sooner costs memory, not results
      if (++this.count * 2 > this.cap) {
        this.grow();
        i = this.slot(fp.a | 0, fp.b | 0, fp.key);
      }
      this.a[i] = fp.a;
      this.b[i] = fp.b;
      // Stryker disable next-line ConditionalExpression: keys kept by a plain table are never compared
      if (this.exact) this.keys[i] = fp.key;
    }
    this.d[i] = depth + 1;
    this.m[i] = mask;
    this.sw[i] = switches;
    this.last[i] = last;
    return false;
  }

  /**
   * For searches that need no shortest path: true when the fingerprint was seen
   * with no thread awake there that is asleep now. Otherwise records the visit
   * (what stays unexplored after both visits: the threads asleep at both) and
   * returns false.
   */
  visit(fp: Fp, mask: number): boolean {
    this.looked++;
    let i = this.slot(fp.a | 0, fp.b | 0, fp.key);
    if (this.d[i] !== 0) {
      if (((this.m[i] as number) & ~mask) === 0) return true;
      this.m[i] = (this.m[i] as number) & mask;
      return false;
    }
    // Stryker disable next-line EqualityOperator: growing one state sooner costs memory, not results
    if (++this.count * 2 > this.cap) {
      this.grow();
      i = this.slot(fp.a | 0, fp.b | 0, fp.key);
    }
    this.a[i] = fp.a;
    this.b[i] = fp.b;
    // Stryker disable next-line ConditionalExpression: keys kept by a plain table are never compared
    if (this.exact) this.keys[i] = fp.key;
    this.d[i] = 1;
    this.m[i] = mask;
    return false;
  }

  /** Whether the fingerprint is in the table (a state on the search's path always is). */
  has(fp: Fp): boolean {
    return this.d[this.slot(fp.a | 0, fp.b | 0, fp.key)] !== 0;
  }

  /** The number stored with a fingerprint already in the table (-1 when none). */
  payload(fp: Fp): number {
    const i = this.slot(fp.a | 0, fp.b | 0, fp.key);
    // Stryker disable next-line ConditionalExpression: an empty slot's payload is -1 already
    return this.d[i] === 0 ? -1 : (this.pay[i] as number);
  }

  setPayload(fp: Fp, value: number): void {
    const i = this.slot(fp.a | 0, fp.b | 0, fp.key);
    if (this.d[i] === 0) throw new Error('setPayload() of a fingerprint not in the table');
    this.pay[i] = value;
  }

  private slot(a: number, b: number, key: string | undefined): number {
    const mask = this.cap - 1;
    let i = (a ^ Math.imul(b, 0x27d4eb2d)) & mask;
    if (this.exact) {
      if (key === undefined) throw new Error("an exact fingerprint table needs every state's key");
      // Stryker disable next-line ConditionalExpression,LogicalOperator,ArithmeticOperator: with exact keys the key decides (a and b are functions of it), probing either way finds it
      while (this.d[i] !== 0 && (this.a[i] !== a || this.b[i] !== b || this.keys[i] !== key)) i = (i + 1) & mask;
      return i;
    }
    // Stryker disable next-line ArithmeticOperator: linear probing finds a fingerprint either way round
    while (this.d[i] !== 0 && (this.a[i] !== a || this.b[i] !== b)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { a, b, d, m, sw, last, pay, keys } = this;
    this.cap *= 2;
    this.a = new Int32Array(this.cap);
    this.b = new Int32Array(this.cap);
    this.d = new Int32Array(this.cap);
    this.m = new Int32Array(this.cap);
    this.sw = new Int32Array(this.cap);
    this.last = new Int32Array(this.cap);
    this.pay = new Int32Array(this.cap).fill(-1);
    // Stryker disable next-line ArrayDeclaration: a key in an empty slot is never compared (the slot's depth is 0)
    this.keys = [];
    for (let j = 0; j < a.length; j++) {
      if (d[j] === 0) continue;
      const i = this.slot(a[j] as number, b[j] as number, keys[j]);
      // Stryker disable next-line ConditionalExpression: keys kept by a plain table are never compared
      if (this.exact) this.keys[i] = keys[j];
      this.a[i] = a[j] as number;
      this.b[i] = b[j] as number;
      this.d[i] = d[j] as number;
      this.m[i] = m[j] as number;
      this.sw[i] = sw[j] as number;
      this.last[i] = last[j] as number;
      this.pay[i] = pay[j] as number;
    }
  }
}
