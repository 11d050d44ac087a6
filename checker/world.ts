import { extend, type Fp, fmix } from './fingerprint.ts';
import { type Layout, layoutOf, type View } from './layout.ts';
import { names } from './names.ts';
import type { ThreadLog } from './thread-log.ts';
import { stableStringify, type Value } from './value.ts';
import { namedHash } from './value-hash.ts';
/**
 * The minimal view of a compiled lifecycle machine the world needs
 * (see lifecycle/compile.ts): interned snapshot ids, -1 when an event is not accepted.
 */
export interface Lifecycle<E extends { type: string } = { type: string }> {
  readonly name: string;
  readonly initial: number;
  step(state: number, event: E): number;
  value(state: number): string;
}

/** One field change, as shown in traces ("@state" for a lifecycle state). */
export interface Change {
  readonly obj: string;
  readonly field: string;
  readonly from: Value | undefined;
  readonly to: Value;
}

/** Per list, the recorder that last added each name (see Recorder.add): one name, one entry per step. */
const lastAdded: Int32Array[] = [new Int32Array(256), new Int32Array(256), new Int32Array(256)];
let recorders = 0;

/**
 * Where the world reports what a step touches, as name numbers (names.ts);
 * absent in the fast random mode.
 */
export class Recorder {
  readonly reads: number[] = [];
  readonly writes: number[] = [];
  /** counters bumped (see Footprint.counts) */
  readonly counts: number[] = [];
  private readonly stamp = ++recorders;

  /** @param changes null when only footprints are wanted */
  constructor(readonly changes: Change[] | null) {}

  read(n: number): void {
    this.add(this.reads, 0, n);
  }

  write(n: number): void {
    this.add(this.writes, 1, n);
  }

  count(n: number): void {
    this.add(this.counts, 2, n);
  }

  private add(list: number[], which: number, n: number): void {
    let seen = lastAdded[which] as Int32Array;
    if (n >= seen.length) {
      const bigger = new Int32Array(Math.max(n + 1, seen.length * 2));
      bigger.set(seen);
      lastAdded[which] = seen = bigger;
    }
    // another recorder may have stamped it since: then it is added again (a repeat, never a loss)
    if (seen[n] === this.stamp) return;
    seen[n] = this.stamp;
    list.push(n);
  }
}

/**
 * One object in its slot: field values and their hashes in arrays indexed by
 * the kind's field slots (layout.ts).
 */
interface Obj {
  readonly id: string;
  /** the id's name number: where the world keeps the object, and what footprints record */
  readonly n: number;
  readonly layout: Layout;
  readonly vals: (Value | undefined)[];
  /** the object's field slots in the order they were first written (for reports) */
  readonly order: number[];
  /** each field's hash (see value-hash.ts), halves a and b */
  readonly ha: number[];
  readonly hb: number[];
  lifecycle: Lifecycle | null;
  state: number;
  /** this object's part of the state key, until it is written again */
  key: string | null;
  /** the sum of the field hashes, and what the object adds to the world's fingerprint */
  sumA: number;
  sumB: number;
  fpA: number;
  fpB: number;
}

const scratch: Fp = { a: 0, b: 0 };

/**
 * How to take back changes (see World.mark/undo): one entry per change in
 * parallel arrays, so that a write allocates nothing. `field` is the field
 * slot of a set, -1 for a send (old: the lifecycle state), -2 for a create
 * (old: the kind's id counter before it).
 */
class Trail {
  readonly objs: Obj[] = [];
  readonly fields: number[] = [];
  readonly olds: (Value | number | undefined)[] = [];

  get length(): number {
    return this.objs.length;
  }

  push(o: Obj, field: number, old: Value | number | undefined): void {
    this.objs.push(o);
    this.fields.push(field);
    this.olds.push(old);
  }
}

const SEND = -1;
const CREATE = -2;

/**
 * All shared state of one execution, as plain data with a canonical key.
 * Thread-local state lives in the generators, never here (see execution.ts for
 * how the search still accounts for it). Objects live in slots indexed by
 * their ids' name numbers.
 */
export class World {
  private slots: (Obj | undefined)[] = [];
  /** every object in creation order (objects only go away by undo, newest first) */
  private readonly order: Obj[] = [];
  /** each kind's objects in creation order, for ids(kind) */
  private readonly byKind = new Map<string, Obj[]>();
  private readonly counters = new Map<Layout, number>();
  rec: Recorder | null = null;
  /**
   * The log of the thread whose code is running: every read is logged there
   * (the thread's local state is a function of them); while that thread is being
   * rebuilt, reads return the logged values and writes do nothing, since the
   * world already holds their effects. Null outside thread code (guards, point
   * effects, monitors, keys), so none of those is logged.
   */
  tap: ThreadLog | null = null;
  /** when set, every change is written here so that it can be undone (backtracking) */
  private trail: Trail | null = null;
  /**
   * Ids of the objects created or written since the executor last cleared it
   * (at each step), so that a per-step check can look at what changed instead
   * of walking the whole world. May repeat an id.
   */
  readonly written: string[] = [];
  /**
   * Set while a monitor looks at the world during a step: its reads (peeks
   * included) belong to the step's footprint, since its verdict depends on
   * them and a reduction must not reorder the step across their writers.
   */
  observing = false;
  /** the world's fingerprint: the sum of its objects' and counters' hashes, kept up to date at every change */
  private fpA = 0;
  private fpB = 0;

  /** @param hashing keep the fingerprint (searches that cache states); random runs skip its cost */
  constructor(private readonly hashing = false) {}

  /**
   * A copy of this world: its objects, id counters and fingerprint, with no
   * trail, log or recorder. Field values are shared, as they are between a
   * world and its undo trail: nothing changes a value in place.
   */
  clone(): World {
    const w = new World(this.hashing);
    w.slots = new Array(this.slots.length);
    for (const o of this.order) {
      // a literal of every field, not a spread (a random run clones the setup's world every execution);
      // without hashing the field hashes are never written, so the empty arrays are shared
      const c: Obj = {
        id: o.id,
        n: o.n,
        layout: o.layout,
        vals: o.vals.slice(),
        order: o.order.slice(),
        ha: this.hashing ? o.ha.slice() : o.ha,
        hb: this.hashing ? o.hb.slice() : o.hb,
        lifecycle: o.lifecycle,
        state: o.state,
        key: o.key,
        sumA: o.sumA,
        sumB: o.sumB,
        fpA: o.fpA,
        fpB: o.fpB,
      };
      w.slots[o.n] = c;
      w.order.push(c);
      const same = w.byKind.get(o.layout.kind);
      if (same) same.push(c);
      else w.byKind.set(o.layout.kind, [c]);
    }
    for (const [kind, n] of this.counters) w.counters.set(kind, n);
    w.fpA = this.fpA;
    w.fpB = this.fpB;
    return w;
  }

  /** Creates an object; its id is `${kind}${n}` in creation order unless given. */
  create(kind: string, fields: Record<string, Value>, lifecycle: Lifecycle | null = null, id?: string): string {
    const tap = this.tap;
    if (tap?.replaying) return tap.take() as string;
    const layout = layoutOf(kind);
    const old = this.counters.get(layout);
    const count = old ?? 0;
    const oid = id ?? `${kind}${count}`;
    const n = names.id(oid);
    if (this.slots[n] !== undefined) throw new Error(`object ${oid} already exists`);
    this.setCounter(layout, count + 1);
    const o: Obj = {
      id: oid,
      n,
      layout,
      vals: [],
      order: [],
      ha: [],
      hb: [],
      lifecycle,
      state: lifecycle ? lifecycle.initial : -1,
      key: null,
      sumA: 0,
      sumB: 0,
      fpA: 0,
      fpB: 0,
    };
    const views = layout.views;
    for (const f in fields) {
      const view = views?.get(f);
      if (view) o.order.push(view.mark);
      else this.assign(o, layout.slot(f), fields[f] as Value);
    }
    // a view is written after the stored fields, so that it overrides the stored field's initial value
    if (views) for (const f in fields) this.assignView(o, views.get(f), fields[f] as Value);
    this.add(o, 1);
    this.slots[n] = o;
    this.order.push(o);
    const same = this.byKind.get(kind);
    if (same) same.push(o);
    else this.byKind.set(kind, [o]);
    this.written.push(oid);
    this.trail?.push(o, CREATE, old);
    tap?.log(oid);
    const rec = this.rec;
    if (rec) {
      rec.write(n);
      // The id counter and the set of objects of a kind are shared state too. A
      // numbered id depends on the counter (a write); objects with given ids
      // commute with each other (a count), not with numbering or ids().
      if (id === undefined) rec.write(layout.counter);
      else rec.count(layout.counter);
      if (rec.changes) {
        for (const [f, v] of Object.entries(fields)) rec.changes.push({ obj: oid, field: f, from: undefined, to: v });
        if (lifecycle) rec.changes.push({ obj: oid, field: '@state', from: undefined, to: lifecycle.value(lifecycle.initial) });
      }
    }
    return oid;
  }

  has(id: string): boolean {
    const n = names.id(id);
    this.rec?.read(n);
    const tap = this.tap;
    if (tap === null) return this.slots[n] !== undefined;
    if (tap.replaying) return tap.take() as boolean;
    const v = this.slots[n] !== undefined;
    tap.log(v);
    return v;
  }

  kind(id: string): string {
    return this.read(this.kindOf, id, '') as string;
  }

  /**
   * Reads a field without recording it in the footprint (guards, reports, and
   * thread code reading what cannot change under it), except for a monitor's reads.
   */
  peek(id: string, field: string): Value {
    const n = names.id(id);
    if (this.observing) this.rec?.read(n);
    return this.fieldAt(n, id, field);
  }

  /**
   * As peek, but a field the object does not have reads as `missing` instead of
   * throwing (the object must exist): for fields only some objects have, which
   * would otherwise cost an Error with its stack trace at every read. The read
   * is recorded and logged as peek's, a missing field as the throw peek logs.
   */
  peekOr<T>(id: string, field: string, missing: T): Value | T {
    const n = names.id(id);
    if (this.observing) this.rec?.read(n);
    const tap = this.tap;
    if (tap?.replaying) return tap.takeOr(missing) as Value | T;
    const o = this.slots[n];
    if (o === undefined) return this.fieldAt(n, id, field);
    const v = o.layout.valueIn(o.vals, field);
    if (v !== undefined) {
      tap?.log(v);
      return v;
    }
    tap?.logMissing(missingField(id, field));
    return missing;
  }

  get(id: string, field: string): Value {
    const n = names.id(id);
    this.rec?.read(n);
    return this.fieldAt(n, id, field);
  }

  /** Records a read of an object (or of a name no object has) in the step's footprint. */
  noteRead(id: string): void {
    this.rec?.read(names.id(id));
  }

  set(id: string, field: string, value: Value): void {
    if (this.tap?.replaying) return;
    const o = this.obj(id);
    const view = o.layout.views?.get(field);
    const f = view ? view.of : o.layout.slot(field);
    const old = o.vals[f];
    const stored = view ? view.write(value, old) : value;
    const rec = this.rec;
    if (rec) {
      rec.write(o.n);
      // a trace shows the field the model wrote, as it wrote it
      const was = view ? view.read(old) : old;
      if (rec.changes && was !== value) rec.changes.push({ obj: id, field, from: was, to: value });
    }
    this.written.push(id);
    this.trail?.push(o, f, old);
    this.add(o, -1);
    this.assign(o, f, stored);
    this.add(o, 1);
    // reports list a view from its first write on, as they list a stored field
    if (view && !o.order.includes(view.mark)) o.order.push(view.mark);
  }

  /** Lifecycle state name of an object, e.g. "linked.active". */
  state(id: string): string {
    if (this.observing) this.noteRead(id);
    return this.tap === null ? this.stateOf(id) : (this.read(this.stateOf, id, '') as string);
  }

  /**
   * Sends a lifecycle event. Returns false, changing nothing, when the machine does
   * not accept it in its current state (the caller reports the violation).
   */
  send(id: string, event: { readonly type: string; readonly [field: string]: Value }): boolean {
    // a rebuilt thread's sends were accepted (a refused one ends the execution)
    if (this.tap?.replaying) return true;
    const o = this.obj(id);
    if (!o.lifecycle) throw new Error(`object ${id} has no lifecycle`);
    const next = o.lifecycle.step(o.state, event);
    const rec = this.rec;
    if (rec) rec.write(o.n);
    if (next < 0) return false;
    if (rec?.changes && next !== o.state)
      rec.changes.push({ obj: id, field: '@state', from: o.lifecycle.value(o.state), to: o.lifecycle.value(next) });
    this.written.push(id);
    this.trail?.push(o, SEND, o.state);
    this.add(o, -1);
    o.state = next;
    o.key = null;
    this.add(o, 1);
    return true;
  }

  ids(kind?: string): string[] {
    const rec = this.rec;
    if (rec) {
      if (kind !== undefined) rec.read(layoutOf(kind).counter);
      else for (const k of this.counters.keys()) rec.read(k.counter);
    }
    return this.read(this.idsOf, kind ?? null, '') as string[];
  }

  /** Plain snapshot of one object, for reports. */
  describe(id: string): { kind: string; state: string | null; fields: Record<string, Value> } {
    return this.read(this.describeOf, id, '') as unknown as { kind: string; state: string | null; fields: Record<string, Value> };
  }

  /** Starts keeping the changes, so that they can be undone (backtracking). */
  keepTrail(): void {
    this.trail ??= new Trail();
  }

  /** A position in the trail of changes, to undo back to. */
  mark(): number {
    return this.trail?.length ?? 0;
  }

  /** Takes back every change made since `mark()` returned `to`, newest first. */
  undo(to: number): void {
    const trail = this.trail;
    if (!trail) throw new Error('undo needs a trail');
    const { objs, fields, olds } = trail;
    for (let i = objs.length - 1; i >= to; i--) {
      const o = objs[i] as Obj;
      const f = fields[i] as number;
      const old = olds[i];
      this.add(o, -1);
      if (f >= 0) {
        this.assign(o, f, old as Value | undefined);
        this.add(o, 1);
      } else if (f === SEND) {
        o.state = old as number;
        o.key = null;
        this.add(o, 1);
      } else {
        this.slots[o.n] = undefined;
        this.order.pop();
        this.byKind.get(o.layout.kind)?.pop();
        this.setCounter(o.layout, old as number | undefined);
      }
    }
    if (to < objs.length) {
      objs.length = to;
      fields.length = to;
      olds.length = to;
    }
  }

  /**
   * A read on behalf of thread code: logged in the running thread's log, or,
   * while that thread is rebuilt, answered from it (a logged throw is thrown again).
   */
  private read<A>(fn: (this: World, a: A, b: string) => Value, a: A, b: string): Value {
    const tap = this.tap;
    if (tap === null) return fn.call(this, a, b);
    if (tap.replaying) return tap.take() as Value;
    let v: Value;
    try {
      v = fn.call(this, a, b);
    } catch (e) {
      tap.logThrow(e);
      throw e;
    }
    tap.log(v);
    return v;
  }

  /** A field of the object in slot n, read on behalf of thread code when the tap is set (see read). */
  private fieldAt(n: number, id: string, field: string): Value {
    const tap = this.tap;
    if (tap?.replaying) return tap.take() as Value;
    const o = this.slots[n];
    const v = o === undefined ? undefined : o.layout.valueIn(o.vals, field);
    if (v === undefined) {
      const e = new Error(o === undefined ? `no object ${id}` : missingField(id, field));
      tap?.logThrow(e);
      throw e;
    }
    tap?.log(v);
    return v;
  }

  private kindOf(id: string): string {
    return this.obj(id).layout.kind;
  }

  private stateOf(id: string): string {
    const o = this.obj(id);
    if (!o.lifecycle) throw new Error(`object ${id} has no lifecycle`);
    return o.lifecycle.value(o.state);
  }

  private idsOf(kind: string | null): string[] {
    const objs = kind === null ? this.order : (this.byKind.get(kind) ?? []);
    return objs.map((o) => o.id);
  }

  private describeOf(id: string): Value {
    const o = this.obj(id);
    return { kind: o.layout.kind, state: o.lifecycle ? o.lifecycle.value(o.state) : null, fields: fieldsOf(o) };
  }

  /** Canonical key of the whole world: equal keys mean equal shared state (in any order of creation, as the fingerprint). */
  key(): string {
    return this.keyParts().sort().join('');
  }

  /** key()'s parts, one an object or an id counter, unsorted: a search that renames them sorts them after (checker/symmetry.ts). */
  keyParts(): string[] {
    const parts: string[] = [];
    for (const o of this.order) parts.push(this.objectKey(o));
    for (const [layout, n] of this.counters) parts.push(`#${layout.kind}=${n};`);
    return parts;
  }

  /**
   * Adds the world's fingerprint to a running hash: equal worlds (the same
   * objects with the same fields and states, the same id counters, in any
   * order of creation) give equal fingerprints. Costs nothing: it is kept up
   * to date at every change.
   */
  fingerprint(into: Fp): void {
    if (!this.hashing) throw new Error('fingerprint() of a world made without hashing');
    extend(into, this.fpA, this.fpB);
  }

  /** The world's fingerprint as the raw sum of its objects' and counters' parts (fingerprint() mixes it into a running hash). */
  fingerprintSum(into: Fp): Fp {
    if (!this.hashing) throw new Error('fingerprintSum() of a world made without hashing');
    into.a = this.fpA;
    into.b = this.fpB;
    return into;
  }

  /** How many objects the world holds: objectPartAt/objectFpAt take 0 up to it, in creation order. */
  get objectCount(): number {
    return this.order.length;
  }

  /** Object k's part of the fingerprint sum (a search that renames parts caches by it: checker/symmetry.ts). */
  objectFpAt(k: number, into: Fp): Fp {
    const o = this.order[k] as Obj;
    into.a = o.fpA;
    into.b = o.fpB;
    return into;
  }

  /** Object k's part of key(), as text. */
  objectPartAt(k: number): string {
    return this.objectKey(this.order[k] as Obj);
  }

  /** An object's part of key(), cached until the object is written. */
  private objectKey(o: Obj): string {
    if (o.key === null) o.key = `${o.id}:${o.state}${stableStringify(fieldsOf(o, false))};`;
    return o.key;
  }

  /** Writes a view's value at creation, through the stored field it is computed from. */
  private assignView(o: Obj, view: View | undefined, value: Value): void {
    if (view) this.assign(o, view.of, view.write(value, o.vals[view.of]));
  }

  /** Writes (or, with undefined, removes) a field, keeping the object's sum of field hashes. */
  private assign(o: Obj, f: number, value: Value | undefined): void {
    const had = o.vals[f] !== undefined;
    if (had && this.hashing) {
      o.sumA = (o.sumA - (o.ha[f] as number)) | 0;
      o.sumB = (o.sumB - (o.hb[f] as number)) | 0;
    }
    o.key = null;
    if (value === undefined) {
      if (had) o.order.splice(o.order.indexOf(f), 1);
      o.vals[f] = undefined;
      return;
    }
    if (!had) o.order.push(f);
    o.vals[f] = value;
    if (!this.hashing) return;
    const h = namedHash(o.layout.hashes[f] as Fp, value, scratch);
    o.ha[f] = h.a;
    o.hb[f] = h.b;
    o.sumA = (o.sumA + h.a) | 0;
    o.sumB = (o.sumB + h.b) | 0;
  }

  /** Adds (sign 1) or takes away (sign -1) an object's part of the world's fingerprint. */
  private add(o: Obj, sign: 1 | -1): void {
    if (!this.hashing) return;
    if (sign === 1) {
      const n = names.hash(o.n);
      o.fpA = fmix((o.sumA + Math.imul(o.state + 2, 0x9e3779b1)) ^ n.a);
      o.fpB = fmix(((o.sumB ^ Math.imul(o.state + 3, 0x85ebca6b)) + n.b) | 0);
    }
    this.fpA = (this.fpA + sign * o.fpA) | 0;
    this.fpB = (this.fpB + sign * o.fpB) | 0;
  }

  /** Sets (or, with undefined, removes) an id counter, keeping the world's fingerprint. */
  private setCounter(layout: Layout, n: number | undefined): void {
    const old = this.counters.get(layout);
    if (!this.hashing) {
      if (n === undefined) this.counters.delete(layout);
      else this.counters.set(layout, n);
      return;
    }
    const name = names.hash(layout.counter);
    if (old !== undefined) {
      namedHash(name, old, scratch);
      this.fpA = (this.fpA - scratch.a) | 0;
      this.fpB = (this.fpB - scratch.b) | 0;
    }
    if (n === undefined) {
      this.counters.delete(layout);
      return;
    }
    this.counters.set(layout, n);
    namedHash(name, n, scratch);
    this.fpA = (this.fpA + scratch.a) | 0;
    this.fpB = (this.fpB + scratch.b) | 0;
  }

  private obj(id: string): Obj {
    const o = this.slots[names.id(id)];
    if (!o) throw new Error(`no object ${id}`);
    return o;
  }
}

/** The error of a read of a field the object does not have (what peekOr logs for it is keyed the same). */
function missingField(id: string, field: string): string {
  return `object ${id} has no field ${field}`;
}

/** An object's fields as a plain record, in the order they were first written. */
/** An object's fields in the order they were first written; with views (for reports) or stored fields only (for keys). */
function fieldsOf(o: Obj, withViews = true): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of o.order) {
    if (f >= 0) out[o.layout.fields[f] as string] = o.vals[f] as Value;
    else if (withViews) {
      const view = o.layout.viewList[-1 - f] as View;
      const v = view.read(o.vals[view.of]);
      if (v !== undefined) out[view.name] = v;
    }
  }
  return out;
}
