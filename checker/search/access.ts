/**
 * Footprints as numbers, for dynamic partial-order reduction (dpor.ts): each
 * object a step touches gets a small number, a step's footprint becomes two
 * short lists of them, and what a whole subtree of the search did becomes a
 * Summary, per thread, of bitsets, interned so that equal summaries are one
 * object and unions are computed once.
 */
import type { Footprint } from '../footprint.ts';
import { names } from '../names.ts';

/** One step's footprint: the numbers of the objects it read, wrote and counted (see Footprint). */
export interface Access {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly counts: readonly number[];
}

/** Accesses as bitsets over object numbers (null: none). */
export interface Bits {
  readonly reads: Uint32Array | null;
  readonly writes: Uint32Array | null;
  readonly counts: Uint32Array | null;
}

/**
 * Numbers the objects named in footprints, in order of first sight in this
 * search, so that bitsets stay as short as the search's own objects allow:
 * a footprint already holds the process-wide name numbers (names.ts), mapped
 * here through an array.
 */
export class Locations {
  private local = new Int32Array(64).fill(-1);
  private count = 0;

  get size(): number {
    return this.count;
  }

  access(fp: Footprint): Access {
    const writes: number[] = [];
    for (const w of fp.writes) writes.push(this.id(w));
    const reads: number[] = [];
    // a written object's read or count adds no conflict
    for (const r of fp.reads) if (!fp.writes.includes(r)) reads.push(this.id(r));
    const counts: number[] = [];
    for (const c of fp.counts) if (!fp.writes.includes(c)) counts.push(this.id(c));
    return { reads, writes, counts };
  }

  /** The footprint of a step known only by the objects its point names (treated as written). */
  writing(locs: readonly string[]): Access {
    return { reads: [], writes: locs.map((l) => this.id(names.id(l))), counts: [] };
  }

  private id(name: number): number {
    if (name >= this.local.length) {
      // Stryker disable next-line ArithmeticOperator: how much the table grows costs time, not results
      const bigger = new Int32Array(Math.max(name + 1, this.local.length * 2)).fill(-1);
      bigger.set(this.local);
      this.local = bigger;
    }
    let n = this.local[name] as number;
    if (n < 0) {
      n = this.count++;
      this.local[name] = n;
    }
    return n;
  }
}

// Stryker disable next-line ConditionalExpression,EqualityOperator: a word past the end reads undefined, which & makes 0: the length test only spares that read
const has = (bits: Uint32Array | null, n: number): boolean =>
  bits !== null && n >>> 5 < bits.length && ((bits[n >>> 5] as number) & (1 << (n & 31))) !== 0;

/**
 * Whether a step with footprint `a` conflicts with accesses given as bitsets:
 * one writes what the other touches, or counts what the other reads.
 */
export function conflictsWith(a: Access, b: Bits): boolean {
  for (const w of a.writes) if (has(b.writes, w) || has(b.reads, w) || has(b.counts, w)) return true;
  for (const r of a.reads) if (has(b.writes, r) || has(b.counts, r)) return true;
  for (const c of a.counts) if (has(b.writes, c) || has(b.reads, c)) return true;
  return false;
}

/** Bitsets of one access, for conflictsWith. */
export function bitsOf(a: Access): Bits {
  return { reads: toBits(a.reads), writes: toBits(a.writes), counts: toBits(a.counts) };
}

function toBits(ns: readonly number[]): Uint32Array | null {
  if (ns.length === 0) return null;
  let max = 0;
  for (const n of ns) if (n > max) max = n;
  const bits = new Uint32Array((max >>> 5) + 1);
  for (const n of ns) bits[n >>> 5] = (bits[n >>> 5] as number) | (1 << (n & 31));
  return bits;
}

function union(x: Uint32Array | null, y: Uint32Array | null): Uint32Array | null {
  // Stryker disable next-line ConditionalExpression: the union of a set with itself is itself, computed or not
  if (x === null || x === y) return y;
  if (y === null) return x;
  // Stryker disable next-line EqualityOperator: of two arrays of one length either is the longer
  const [long, short] = x.length >= y.length ? [x, y] : [y, x];
  const out = Uint32Array.from(long);
  // Stryker disable next-line EqualityOperator: one word past the end ORs in undefined (0)
  for (let i = 0; i < short.length; i++) out[i] = (out[i] as number) | (short[i] as number);
  return out;
}

const NO_BITS: Bits = { reads: null, writes: null, counts: null };

const bitsKey = (b: Uint32Array | null): string => (b === null ? '' : b.join('.'));

/** What every thread read and wrote somewhere in a subtree of the search. Interned: compare by `id`. */
export interface Summary {
  readonly id: number;
  /** per thread: what it read, wrote and counted there */
  readonly bits: readonly Bits[];
  /** threads with any access, as a mask */
  readonly threads: number;
  /** threads that took a step there that conflicts with everything (one that ended the execution) */
  readonly universal: number;
}

/** The interned summaries of one search. */
export class Summaries {
  readonly empty: Summary;
  private readonly all: Summary[] = [];
  private readonly byKey = new Map<string, Summary>();
  private readonly unions = new Map<number, Map<number, Summary>>();
  /** single steps, by thread and footprint: most steps repeat one seen before */
  private readonly steps = new Map<string, Summary>();

  constructor(private readonly threadCount: number) {
    this.empty = this.intern(new Array<Bits>(threadCount).fill(NO_BITS), 0);
  }

  get count(): number {
    return this.all.length;
  }

  byId(id: number): Summary {
    const s = this.all[id];
    if (!s) throw new Error(`no summary ${id}`);
    return s;
  }

  /** The summary of a single step; `universal`: one that conflicts with everything. */
  of(thread: number, a: Access, universal = false): Summary {
    const key = `${thread}${universal ? '!' : ''}:${a.reads.join(',')}:${a.writes.join(',')}:${a.counts.join(',')}`;
    let s = this.steps.get(key);
    // Stryker disable next-line ConditionalExpression: a memo: interning again gives the same summary
    if (!s) {
      const bits = new Array<Bits>(this.threadCount).fill(NO_BITS);
      bits[thread] = bitsOf(a);
      s = this.intern(bits, universal ? 1 << thread : 0);
      this.steps.set(key, s);
    }
    return s;
  }

  // Stryker disable all: shortcuts and a memo: the union computed and interned again is the same summary
  union(x: Summary, y: Summary): Summary {
    if (x === y || y === this.empty) return x;
    if (x === this.empty) return y;
    const [lo, hi] = x.id < y.id ? [x, y] : [y, x];
    let memo = this.unions.get(lo.id);
    if (!memo) this.unions.set(lo.id, (memo = new Map()));
    let u = memo.get(hi.id);
    if (!u) {
      // Stryker restore all
      const bits = lo.bits.map((x, t) => {
        const y = hi.bits[t] ?? NO_BITS;
        return { reads: union(x.reads, y.reads), writes: union(x.writes, y.writes), counts: union(x.counts, y.counts) };
      });
      u = this.intern(bits, lo.universal | hi.universal);
      memo.set(hi.id, u);
    }
    return u;
  }

  private intern(bits: Bits[], universal: number): Summary {
    const key = `${bits.map((b) => `${bitsKey(b.reads)}:${bitsKey(b.writes)}:${bitsKey(b.counts)}`).join('/')}|${universal}`;
    let s = this.byKey.get(key);
    if (!s) {
      let threads = universal;
      bits.forEach((b, t) => {
        if (b.reads !== null || b.writes !== null || b.counts !== null) threads |= 1 << t;
      });
      s = { id: this.all.length, bits, threads, universal };
      this.all.push(s);
      this.byKey.set(key, s);
    }
    return s;
  }
}
