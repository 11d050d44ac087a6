import { type Fp, hashString } from './fingerprint.ts';

/**
 * The one interning of names in a process: object ids, `#kind` id counters,
 * field names and kinds each get a dense number, and its hash is computed once.
 * The world's slots, the footprints it records, DPOR's locations and the value
 * hashes of names all use these numbers, so a name is hashed and looked up in a
 * map once, not at every layer that meets it.
 */
class Names {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];
  private readonly hashes: Fp[] = [];
  /** the name asked last and its number: model code asks for one object several times in a row */
  // Stryker disable next-line all: a cache of the last answer: without it, or primed otherwise, the same numbers
  private last = '';
  // Stryker disable next-line all: see last
  private lastN = -1;

  get size(): number {
    return this.list.length;
  }

  /** The number of a name, interning it the first time. */
  id(name: string): number {
    // Stryker disable next-line ConditionalExpression: see last
    if (name === this.last) return this.lastN;
    let n = this.ids.get(name);
    if (n === undefined) {
      n = this.list.length;
      this.list.push(name);
      // Stryker disable next-line ObjectLiteral: hashString writes both halves
      this.hashes.push(hashString(name, { a: 0, b: 0 }));
      this.ids.set(name, n);
    }
    this.last = name;
    this.lastN = n;
    return n;
  }

  name(n: number): string {
    const s = this.list[n];
    if (s === undefined) throw new RangeError(`no name ${n}`);
    return s;
  }

  /** The hash of an interned name (shared: never write to it). */
  hash(n: number): Fp {
    return this.hashes[n] as Fp;
  }
}

export const names = new Names();
