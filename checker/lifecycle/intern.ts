/**
 * Dense integer ids for keyed values.
 *
 * The model checker stores lifecycle states inside its own state vectors and
 * hashes them by the million, so they must be small integers, not snapshots.
 * Ids are handed out densely from 0 so they can index plain arrays.
 */
export class Interner<T> {
  private readonly ids = new Map<string, number>();
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Id for `key`, or -1 if not interned yet. */
  lookup(key: string): number {
    return this.ids.get(key) ?? -1;
  }

  /**
   * Id for `key`, interning `make()` under it the first time. `make` runs only
   * for new keys, so callers can defer copying/freezing until it is needed.
   */
  intern(key: string, make: () => T): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.items.length;
    this.items.push(make());
    this.ids.set(key, id);
    return id;
  }

  get(id: number): T {
    if (!Number.isInteger(id) || id < 0 || id >= this.items.length) throw new RangeError(`unknown interned id ${id}`);
    return this.items[id] as T;
  }
}
