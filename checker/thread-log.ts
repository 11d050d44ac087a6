import { cutTo } from './cut.ts';
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
 * What a read of a missing field logs when its reader expects the field may be
 * missing (World.peekOr): no Error (whose stack trace costs more than the rest
 * of a step), but the same text as the error a plain read would have thrown,
 * so that the log's hash and key are those of that throw.
 */
class Missing {
  constructor(private readonly message: string) {}

  toString(): string {
    return `Error: ${this.message}`;
  }
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
  private readonly h: Fp = { a: 0x3c6ef372, b: 0x1b873593 };
  /** how many of the values `h` covers */
  private hashed = 0;
  /** while rebuilding: the next value to hand back, and where to stop */
  private cursor = -1;
  private end = 0;

  /**
   * @param eager hash each value as it is logged (the generator engine, whose
   * fingerprint is this hash); otherwise only when the hash is asked for (the
   * compiled engine, whose threads are their frames: the log is kept for a
   * thread that runs native code after all, and mostly never hashed)
   */
  constructor(private readonly eager = true) {}

  /** running hash of the values (see fingerprint.ts) */
  get hash(): Fp {
    while (this.hashed < this.values.length) this.add(this.values[this.hashed] as Value | undefined | Thrown);
    return this.h;
  }

  private add(v: Value | undefined | Thrown): void {
    this.hashed++;
    if (v === undefined) extend(this.h, 1, 1);
    else if (v instanceof Thrown) extend(this.h, 6, 6);
    else {
      hashValue(v, scratch);
      extend(this.h, scratch.a, scratch.b);
    }
  }

  get replaying(): boolean {
    return this.cursor >= 0;
  }

  get length(): number {
    return this.values.length;
  }

  log(v: Value | undefined): void {
    this.values.push(v);
    if (this.eager) this.add(v);
  }

  /** The logged values as text, for a state's full key (what `hash` stands for). */
  keyText(): string {
    return this.values.map((v) => (v === undefined ? 'u' : v instanceof Thrown ? `!${String(v.error)}` : stableStringify(v))).join(',');
  }

  /** Logs a read of a missing field that the reader handles (World.peekOr), keyed as the throw of a plain read; `message` is that throw's. */
  logMissing(message: string): void {
    this.logThrow(new Missing(message));
  }

  logThrow(error: unknown): void {
    const t = new Thrown(error);
    this.values.push(t);
    if (this.eager) this.add(t);
  }

  /** The hash as save() keeps it: only an eager log's (a lazy one is hashed again when asked). */
  get savedHash(): Fp | null {
    return this.eager ? this.h : null;
  }

  /** Cuts the log back to an earlier length and, for an eager log, hash (backtracking). */
  truncate(length: number, a: number, b: number): void {
    cutTo(this.values, length);
    if (this.eager) {
      this.h.a = a;
      this.h.b = b;
      this.hashed = length;
    } else if (this.hashed > length) {
      this.h.a = 0x3c6ef372;
      this.h.b = 0x1b873593;
      this.hashed = 0;
    }
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

  /** As take, but a logged logMissing hands back `missing` instead of throwing. */
  takeOr<T>(missing: T): Value | undefined | T {
    const v = this.values[this.cursor];
    if (this.cursor < this.end && v instanceof Thrown && v.error instanceof Missing) {
      this.cursor++;
      return missing;
    }
    return this.take();
  }
}
