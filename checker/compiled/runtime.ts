/**
 * The run-time half of the compiled engine (see docs/engine.md). A compiled
 * generator is a Frame: the function regenerator made of its body, the resume
 * point, and its locals as `$name` properties, all plain data; a thread is a
 * stack of frames that save() shares and the next step copies.
 *
 * Each model generator `f` becomes a wrapper that picks its native or compiled
 * body by `mode.on` at call time, so tables, binders and thunks (`(k) =>
 * k.f(x)`) need no change: whatever runs under the compiled engine's steps
 * makes frames, everything else makes native generators.
 */
import type { LiveTable } from './liveness.ts';

/** Set while the compiled engine runs thread code. */
export const mode = { on: false };

/** Set while the threads that run are keyed by their frames (a search's): closures are tagged only then (cap). */
export const tags = { on: false };

/** What regenerator's context methods hand back to say "not a yield". */
const SENTINEL = {};

type Body = (this: unknown, f: Frame) => unknown;
/** [tryLoc, catchLoc, finallyLoc, afterLoc] per try statement, as regenerator lists them */
type TryEntry = readonly [number, number | undefined, number | undefined, number | undefined];

/**
 * One activation of a compiled generator. The fields p, n, v, a, f, d are the
 * context protocol of @babel/plugin-transform-regenerator's compact output;
 * the abrupt-completion logic is a transcription of its runtime, with the
 * completion records kept here (`rec`) instead of in the shared try list.
 */
export class Frame {
  p = 0;
  n = 0;
  v: unknown = undefined;
  /** done */
  y = false;
  /** pending completion: 0 normal, 1 throw, 2 return, 3 jump, 4 end of finally */
  c = 0;
  u: unknown = undefined;
  /** a callee frame (or native generator) d() asked the driver to push */
  child: unknown = undefined;
  rec: unknown[] | null = null;
  /**
   * The frame's own hash (identity.ts hashFrames) while it stays good: set
   * only when the frame holds nothing hashed by content that another frame
   * could change (an array or object), cleared whenever the frame runs. A
   * caller waiting on its callee keeps its hash across the callee's steps.
   */
  ha = 0;
  hb = 0;
  hk = false;

  constructor(
    readonly fn: Body,
    readonly self: unknown,
    readonly tries: readonly TryEntry[],
    /** the parameters and locals, as `$name` (one shape per function) */
    public L: Record<string, unknown>,
    /** the compiled function this is an activation of: with the resume point and locals, the frame's identity */
    readonly of: object,
    /** the locals each resume point may still read (liveness.ts); null: every local counts */
    readonly live: LiveTable | null = null,
  ) {}

  /** regenerator's `abrupt`: routes a throw, return or jump through the try statements */
  a(r: number, n: unknown): unknown {
    this.c = r;
    this.u = n;
    let o = false;
    for (let t = 0; !this.y && !o && t < this.tries.length; t++) {
      const e = this.tries[t] as TryEntry;
      const prev = this.p;
      const fin = e[2];
      if (r > 3) {
        o = fin === n;
        if (o) {
          const rec = this.rec?.[t] as [number, unknown] | undefined;
          if (rec) {
            this.c = rec[0];
            this.u = rec[1];
            (this.rec as unknown[])[t] = undefined;
          } else {
            this.c = 3;
            this.u = e[3];
          }
        }
      } else if (e[0] <= prev) {
        o = r < 2 && e[1] !== undefined && prev < e[1];
        if (o) {
          this.c = 0;
          this.v = n;
          this.n = e[1] as number;
        } else if (fin !== undefined && prev < fin) {
          o = r < 3 || e[0] > (n as number) || (n as number) > fin;
          if (o) {
            this.rec ??= [];
            this.rec[t] = [r, n];
            this.n = fin;
            this.c = 0;
          }
        }
      }
    }
    if (o || r > 1) return SENTINEL;
    this.y = true;
    throw n;
  }

  /** regenerator's `finish`: the end of a finally block */
  f(loc: number): unknown {
    return this.a(4, loc);
  }

  /** regenerator's `delegateYield`: `yield* x`, resumed at loc with x's result in v */
  d(x: unknown, loc: number): unknown {
    this.child = x;
    this.c = 0;
    this.u = undefined;
    this.n = loc;
    return SENTINEL;
  }

  /**
   * Runs the frame from its resume point with a completion (0 next, 1 throw)
   * until it yields (returns the value), pushes a callee (returns PUSHED), or
   * ends (y is set, returns its result). A throw it does not catch escapes.
   */
  run(type: number, arg: unknown): unknown {
    this.hk = false;
    if (this.y && type === 1) throw arg;
    this.c = type;
    this.u = arg;
    let t: unknown;
    while ((t = this.c < 2 ? undefined : this.u) || !this.y) {
      if (this.c) {
        if (this.c > 1) this.n = this.c < 3 ? -1 : (this.u as number);
        this.a(this.c, this.u);
      } else this.v = this.u;
      try {
        this.y = this.n < 0;
        t = this.y ? this.u : this.fn.call(this.self, this);
        if (t !== SENTINEL) break;
        if (this.child !== undefined) return PUSHED;
      } catch (e) {
        this.c = 1;
        this.u = e;
      }
    }
    return t;
  }

  /**
   * Whether the frame may still read an array, plain object, Map or Set
   * (what copy() copies by content), or holds a pending completion record.
   */
  holdsContent(): boolean {
    if (this.rec) return true;
    const live = this.live?.[this.n];
    if (live) {
      for (const k of live) if (isContent(this.L[k])) return true;
    } else for (const k in this.L) if (isContent(this.L[k])) return true;
    return false;
  }

  /**
   * A copy to run on while the original stays in a snapshot. Locals that are
   * arrays, plain objects, Maps or Sets are copied deeply: model code may build
   * one up across yields (a shallow copy changes state counts at ops=2).
   * `copies`: one copy per object across the frames of a stack copied together,
   * so that a caller's array its callee pushes to is still one array.
   */
  copy(copies: Map<object, unknown> = new Map()): Frame {
    const live = this.live?.[this.n];
    // No local is live (a frame that only returns what its yield gives back, as most helpers end): each is
    // written before it is read on every path from here, in the copy and in the snapshot alike, so both may
    // keep the one record. Whatever the copy writes there is dead to the snapshot, and the snapshot runs again
    // only once the copy's subtree is done (snapshots are restored newest first).
    const L = live?.length === 0 ? this.L : { ...this.L };
    // one copy per object: locals that alias (regenerator's `_t = out` before `out.push(yield x)`) still do.
    // Only the locals the frame may still read (liveness.ts): a dead one is written before it is read again,
    // so sharing its object with the snapshot cannot change either (identity.ts leaves it out too)
    if (live) {
      for (const k of live) {
        const v = L[k];
        if (typeof v === 'object' && v !== null) L[k] = copyValue(v, copies);
      }
    } else {
      for (const k in L) {
        const v = L[k];
        if (typeof v === 'object' && v !== null) L[k] = copyValue(v, copies);
      }
    }
    const c = new Frame(this.fn, this.self, this.tries, L, this.of, this.live);
    c.p = this.p;
    c.n = this.n;
    c.v = this.v;
    c.y = this.y;
    c.c = this.c;
    c.u = this.u;
    c.child = this.child;
    // the copy holds what the original does (its arrays copied whole, every other object itself)
    c.ha = this.ha;
    c.hb = this.hb;
    c.hk = this.hk;
    // a pending completion's value is state too (`return log` in a try whose finally pushes to log): it shares
    // the copies of the locals, or the copy would return the snapshot's array
    if (this.rec) c.rec = copyValue(this.rec, copies) as unknown[];
    return c;
  }

  /** model code that iterates a generator by hand would see a frame here: say so */
  next(): never {
    throw new Error('a compiled generator is driven by the engine, not iterated (model code must only yield* it)');
  }

  /**
   * A generator used as an iterable (spread, Array.from, an array pattern, a for-of
   * whose body does not yield): run on a stack of its own, as a native one would be.
   * The iteration ends within the step that began it, so no snapshot sees its state.
   */
  [Symbol.iterator](): Iterator<unknown> {
    const s = new FrameStack([this]);
    return { next: (v?: unknown) => s.step(0, v), throw: (e?: unknown) => s.step(1, e), return: (v?: unknown) => s.step(2, v) };
  }
}

export const PUSHED = Symbol('pushed');

const isContent = (v: unknown): boolean => typeof v === 'object' && v !== null && byContent(v);

/** What copyValue copies (rather than shares): arrays, plain objects, Maps and Sets. */
function byContent(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return (
    proto === Object.prototype ||
    proto === Array.prototype ||
    proto === null ||
    proto === Map.prototype ||
    proto === Set.prototype ||
    Array.isArray(v)
  );
}

function copyValue(v: unknown, copies: Map<object, unknown>): unknown {
  // a class instance (a Ctx, a model's own object) is itself: decided before the lookup, which most such copies miss
  if (typeof v !== 'object' || v === null || !byContent(v)) return v;
  const done = copies.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    copies.set(v, a);
    for (const x of v) a.push(copyValue(x, copies));
    return a;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Map.prototype) {
    const m = new Map();
    copies.set(v, m);
    for (const [k, x] of v as Map<unknown, unknown>) m.set(copyValue(k, copies), copyValue(x, copies));
    return m;
  }
  if (proto === Set.prototype) {
    const m = new Set();
    copies.set(v, m);
    for (const x of v as Set<unknown>) m.add(copyValue(x, copies));
    return m;
  }
  const o: Record<string, unknown> = {};
  copies.set(v, o);
  for (const k of Object.keys(v)) o[k] = copyValue((v as Record<string, unknown>)[k], copies);
  return o;
}

/** What a native generator offers the driver (a fallback frame: its thread cannot be copied). */
interface NativeGen {
  next(v: unknown): IteratorResult<unknown, unknown>;
  throw?(e: unknown): IteratorResult<unknown, unknown>;
  return?(v: unknown): IteratorResult<unknown, unknown>;
}

/** One step of an iterator a frame yield*s to, as native yield* makes it (an array's iterator has no throw). */
function nativeStep(g: NativeGen, c: number, u: unknown): IteratorResult<unknown, unknown> {
  if (c === 0) return g.next(u);
  if (c === 2) return g.return ? g.return(u) : { done: true, value: u };
  if (g.throw) return g.throw(u);
  g.return?.(undefined);
  throw new TypeError('yield* of an iterator that has no throw method');
}

/** The one-copy-per-object map of the frame copy under way (one at a time: copying runs no model code). */
const stackCopies = new Map<object, unknown>();

/**
 * A thread's stack of frames, driven like a generator (next(input) → the
 * next point or the operation's result). share() hands the frames to a
 * snapshot; from then on each frame is copied when it is about to run
 * (ownTop), so a step copies the frames it runs, not the whole stack: callers
 * waiting below a callee stay the snapshot's until they resume.
 */
export class FrameStack {
  /** frames below this index are a snapshot's too: ownTop() copies one before it runs */
  private sharedBelow = 0;
  /** the array itself is a snapshot's: copied before the first push or pop */
  private arrayShared = false;
  constructor(public frames: unknown[]) {}

  /** true when every frame is compiled: the stack can be copied */
  get copyable(): boolean {
    for (const f of this.frames) if (!(f instanceof Frame)) return false;
    return true;
  }

  /** The frames as they are now, for a snapshot: this stack will not change them again. */
  share(): unknown[] {
    this.sharedBelow = this.frames.length;
    this.arrayShared = true;
    return this.frames;
  }

  /**
   * Makes the top frame this stack's own before it runs, if a snapshot
   * shares it. Alone when it holds nothing copied by content (its live
   * locals are primitives or objects that are themselves), for then it
   * cannot reach an array or object a frame below holds. Else every shared
   * frame at once, with one map: a callee's copy of an array its caller
   * passed it is the caller's copy.
   */
  ownTop(): void {
    const i = this.frames.length - 1;
    if (i >= this.sharedBelow) return;
    const f = this.frames[i];
    if (f instanceof Frame && !f.holdsContent()) {
      this.frames[i] = f.copy(stackCopies);
      this.sharedBelow = i;
      return;
    }
    for (let j = 0; j < this.sharedBelow; j++) {
      const g = this.frames[j];
      if (g instanceof Frame) this.frames[j] = g.copy(stackCopies);
    }
    stackCopies.clear();
    this.sharedBelow = 0;
  }

  next(input: unknown): IteratorResult<unknown, unknown> {
    return this.step(0, input);
  }

  /** resumes the thread with a completion: 0 next, 1 throw, 2 return */
  step(type: number, input: unknown): IteratorResult<unknown, unknown> {
    if (this.frames.length === 0) {
      if (type === 1) throw input;
      return { done: true, value: type === 2 ? input : undefined };
    }
    if (this.arrayShared) {
      this.frames = this.frames.slice();
      this.arrayShared = false;
    }
    const was = mode.on;
    mode.on = true;
    try {
      return resume(this, type, input);
    } finally {
      mode.on = was;
    }
  }
}

function resume(owner: FrameStack, type: number, value: unknown): IteratorResult<unknown, unknown> {
  const stack = owner.frames;
  let c = type;
  let u = value;
  for (;;) {
    owner.ownTop();
    const top = stack[stack.length - 1];
    let out: unknown;
    let done: boolean;
    // a return that ends the frame it enters goes on to its caller as a return (native yield*'s return())
    const returning = c === 2;
    try {
      if (top instanceof Frame) {
        out = top.run(c, u);
        done = top.y;
      } else {
        // a native generator (code the transform left alone, e.g. checker/handles.ts's wrapper of an
        // operation): the thread runs, but cannot be copied. What it calls runs native too (mode off), since
        // a native yield* cannot delegate to a compiled frame.
        mode.on = false;
        let r: IteratorResult<unknown, unknown>;
        try {
          r = nativeStep(top as NativeGen, c, u);
        } finally {
          mode.on = true;
        }
        out = r.value;
        done = r.done === true;
      }
    } catch (e) {
      stack.pop();
      if (stack.length === 0) throw e;
      c = 1;
      u = e;
      continue;
    }
    if (out === PUSHED && top instanceof Frame) {
      let child = top.child;
      top.child = undefined;
      if (!(child instanceof Frame) && typeof (child as NativeGen | null)?.next !== 'function') {
        const iterate = (child as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator];
        if (typeof iterate !== 'function') {
          // what native yield* says of a non-iterable, in the thread that did it
          c = 1;
          u = new TypeError(`yield* of ${child === null ? 'null' : typeof child}: it is not a generator`);
          continue;
        }
        // an array or a Set: its iterator is not data, so the thread is restored from its log from here on
        child = iterate.call(child);
      }
      stack.push(child);
      c = 0;
      u = undefined;
      continue;
    }
    if (done) {
      stack.pop();
      if (stack.length === 0) return { done: true, value: out };
      c = returning ? 2 : 0;
      u = out;
      continue;
    }
    return { done: false, value: out };
  }
}

/** Starts an operation under the compiled engine: `start()` makes its first frame (or a native generator). */
export function startThread(start: () => unknown): FrameStack {
  const was = mode.on;
  mode.on = true;
  try {
    return new FrameStack([start()]);
  } finally {
    mode.on = was;
  }
}

/** The wrapper a generator function becomes: native or compiled body by mode, under the function's own name. */
export function dual<F extends (...a: never[]) => unknown>(native: F, compiled: F, name: string): F {
  const w = function (this: unknown) {
    // biome-ignore lint/complexity/noArguments: the wrapper passes its call on unchanged
    return (mode.on ? compiled : native).apply(this, arguments as unknown as never[]);
  } as unknown as F;
  Object.defineProperty(w, 'name', { value: name });
  nativeIs(w, native);
  // a generator made at run time: the wrapper a local holds is what its compiled copy is (transform.ts tagPlainClosures)
  const tag = (compiled as { $tag?: ClosureTag }).$tag;
  if (tag) (w as unknown as { $tag: ClosureTag }).$tag = tag;
  return w;
}

const NATIVE = Symbol('native generator');

/** Records the native generator a transformed function's wrapper runs (sourceOf reads it). */
export function nativeIs(wrapper: object, native: object): void {
  Object.defineProperty(wrapper, NATIVE, { value: native });
}

/**
 * A function's source as written: for a generator the transform wrapped, its
 * native body's, not the wrapper's (which only picks native or compiled).
 */
export function sourceOf(f: object): string {
  return String((f as { [NATIVE]?: object })[NATIVE] ?? f);
}

/** Marks a generator kept native (the transform reads it; at run time it is the function). */
export const G = <F>(f: F): F => f;

/** A compiled body's frame, with its parameters and hoisted locals to fill in. */
export function frame(
  fn: Body,
  self: unknown,
  tries: readonly TryEntry[] | null,
  locals: Record<string, unknown>,
  of: object,
  live: LiveTable | null = null,
): Frame {
  return new Frame(fn, self, tries ?? NO_TRIES, locals, of, live);
}

/**
 * What a closure made by compiled code is, for a state's identity: the compiled
 * function that made it, which of its closures it is, and the locals it
 * captured (by value, see transform.ts), so that equal frames holding closures
 * made on different paths hash alike. `in`: the tag of an enclosing compiled
 * function's capture of the same closure (a generator nested in a generator). A compiled copy made
 * at run time (a generator written in a plain function) carries one too: its frames are identified by it.
 */
export interface ClosureTag {
  readonly of: object;
  readonly site: number;
  readonly values: readonly unknown[];
  readonly in: ClosureTag | undefined;
}

/** Tags a closure made by compiled code (see ClosureTag); the transform wraps every closure in a compiled body with it. */
export function cap<F>(f: F, of: object, site: number, values: readonly unknown[]): F {
  if (!tags.on) return f;
  const o = f as unknown as { $tag?: ClosureTag };
  o.$tag = { of, site, values, in: o.$tag };
  return f;
}
const NO_TRIES: readonly TryEntry[] = [];

/** A construct outside the compiled subset that only its values show (transform.ts emits the checks): `at` is file:line. */
function outside(at: string, construct: string): Error {
  return new Error(`${at}: ${construct} is outside the compiled subset (docs/engine.md)`);
}

const isGenerator = (x: unknown) => x instanceof Frame || Object.prototype.toString.call(x) === '[object Generator]';

/**
 * What a for-of loop whose body yields walks (its iterator could not be copied): an
 * array itself, read live as its iterator reads it; a Set, a Map or another iterable
 * as listed when the loop starts. A generator's iterator runs its body between the
 * loop's steps: outside the subset.
 */
export function items(src: unknown, at: string): unknown[] {
  if (Array.isArray(src)) return src;
  if (isGenerator(src)) throw outside(at, 'a for-of loop around a yield over a generator');
  return [...(src as Iterable<unknown>)];
}

/** The bound of such a loop: a Set or Map listed at its start must not change in it (its iterator would see the change). */
export function bound(src: unknown, list: unknown[], at: string): number {
  if (src !== list && (src instanceof Set || src instanceof Map) && !sameEntries(src, list))
    throw outside(at, 'a for-of loop around a yield over a Set or Map its body changes');
  return list.length;
}

function sameEntries(src: Set<unknown> | Map<unknown, unknown>, list: unknown[]): boolean {
  if (src.size !== list.length) return false;
  let i = 0;
  for (const x of src) {
    const y = list[i++];
    if (src instanceof Map) {
      const [k, v] = x as [unknown, unknown];
      const [k2, v2] = y as [unknown, unknown];
      if (k !== k2 || v !== v2) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/**
 * What an array pattern of n elements (n < 0: with a rest element) reads, as native
 * destructuring reads it: an array itself, else the first n values of the iterable,
 * whose iterator is then closed (a generator's finally runs; what follows does not).
 */
export function take(x: unknown, n: number): unknown {
  if (Array.isArray(x) || x === null || x === undefined) return x;
  const it = (x as Iterable<unknown>)[Symbol.iterator]();
  const out: unknown[] = [];
  while (n < 0 || out.length < n) {
    const r = it.next();
    if (r.done) return out;
    out.push(r.value);
  }
  it.return?.();
  return out;
}
