import { extend, type Fp } from './fingerprint.ts';
import { stableStringify, type Value } from './value.ts';
import { hashValue } from './value-hash.ts';

// Stryker disable next-line ObjectLiteral: hashValue writes both halves before any read
const scratch: Fp = { a: 0, b: 0 };

/** A read that threw: replayed by throwing the same error again. */
class Thrown {
  constructor(readonly error: unknown) {}
}

/**
 * Everything the world returned to one operation of one thread, in order: its
 * reads, and the results of its scheduling points. An operation's local
 * variables are a function of its arguments and this log, so the log (as a
 * running hash) keys the thread's local state, and replaying the log into a
 * fresh generator rebuilds the thread where it was without touching the world.
 */
export class ThreadLog {
  readonly values: (Value | undefined | Thrown)[] = [];
  /** running hash of the values (see fingerprint.ts) */
  readonly hash: Fp = { a: 0x3c6ef372, b: 0x1b873593 };
  /** while rebuilding: the next value to hand back, and where to stop */
  private cursor = -1;
  private end = 0;

  get replaying(): boolean {
    return this.cursor >= 0;
  }

  get length(): number {
    return this.values.length;
  }

  log(v: Value | undefined): void {
    this.values.push(v);
    if (v === undefined) extend(this.hash, 1, 1);
    else {
      hashValue(v, scratch);
      extend(this.hash, scratch.a, scratch.b);
    }
  }

  /** The logged values as text, for a state's full key (what `hash` stands for). */
  keyText(): string {
    return this.values.map((v) => (v === undefined ? 'u' : v instanceof Thrown ? `!${String(v.error)}` : stableStringify(v))).join(',');
  }

  logThrow(error: unknown): void {
    this.values.push(new Thrown(error));
    extend(this.hash, 6, 6);
  }

  /** Cuts the log back to an earlier length and hash (backtracking). */
  truncate(length: number, a: number, b: number): void {
    this.values.length = length;
    this.hash.a = a;
    this.hash.b = b;
  }

  /** Starts handing the logged values back, from the first. */
  startReplay(): void {
    this.cursor = 0;
    this.end = this.values.length;
  }

  /** True when the replay has handed back every logged value. */
  get exhausted(): boolean {
    return this.cursor >= this.end;
  }

  stopReplay(): void {
    this.cursor = -1;
  }

  /** The next logged value (a logged throw is thrown again). */
  take(): Value | undefined {
    if (this.cursor >= this.end) throw new Error('nondeterministic model: a rebuilt thread read more than it had logged');
    const v = this.values[this.cursor++];
    if (v instanceof Thrown) throw v.error;
    return v;
  }
}
