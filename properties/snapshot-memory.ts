/**
 * A monitor's per-execution memory (a Map or a Set) that a search saves and
 * restores far more often than the monitor changes it: a snapshot shares the
 * collection, and the first change after one copies it. Its key text (part
 * of the state key) is kept until the collection changes.
 */
export class SnapshotMemory<C> {
  private value: C;
  /** false while a snapshot holds `value` too */
  private owned = true;
  private text: string | null = null;

  constructor(
    private readonly empty: () => C,
    private readonly copy: (c: C) => C,
    private readonly keyOf: (c: C) => string,
  ) {
    this.value = empty();
  }

  /** The collection, to read (change() before writing it). */
  get current(): C {
    return this.value;
  }

  /** The collection, to write: this memory's own. */
  change(): C {
    if (!this.owned) {
      this.value = this.copy(this.value);
      this.owned = true;
    }
    this.text = null;
    return this.value;
  }

  reset(): void {
    this.value = this.empty();
    this.owned = true;
    this.text = null;
  }

  save(): unknown {
    this.owned = false;
    return { value: this.value, text: this.text };
  }

  load(saved: unknown): void {
    const s = saved as { value: C; text: string | null };
    this.value = s.value;
    this.owned = false;
    this.text = s.text;
  }

  key(): string {
    this.text ??= this.keyOf(this.value);
    return this.text;
  }
}
