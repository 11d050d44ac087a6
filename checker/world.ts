import { extend, type Fp, fmix } from './fingerprint.ts';
import type { ThreadLog } from './thread-log.ts';
import { stableStringify, type Value } from './value.ts';
import { fieldHash, nameHash } from './value-hash.ts';

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

/** Where the world reports what a step touches; absent in the fast random mode. */
export interface Recorder {
  readonly reads: Set<string>;
  readonly writes: Set<string>;
  /** counters bumped (see Footprint.counts) */
  readonly counts: Set<string>;
  /** null when only footprints are wanted */
  readonly changes: Change[] | null;
}

interface Obj {
  readonly id: string;
  readonly kind: string;
  readonly fields: Record<string, Value>;
  lifecycle: Lifecycle | null;
  state: number;
  /** this object's part of the state key, until it is written again */
  key: string | null;
  /** each field's hash, and their sum (see value-hash.ts) */
  readonly fieldFp: Record<string, Fp>;
  readonly sum: Fp;
  /** what the object adds to the world's fingerprint */
  readonly fp: Fp;
}

const scratch: Fp = { a: 0, b: 0 };

/** How to take back one change (see World.mark/undo). */
type Undo =
  | { readonly op: 'set'; readonly o: Obj; readonly field: string; readonly old: Value | undefined }
  | { readonly op: 'send'; readonly o: Obj; readonly old: number }
  | { readonly op: 'create'; readonly id: string; readonly kind: string; readonly old: number | undefined };

/**
 * All shared state of one execution, as plain data with a canonical key.
 * Thread-local state lives in the generators, never here (see execution.ts for
 * how the search still accounts for it).
 */
export class World {
  private readonly objects = new Map<string, Obj>();
  /** each kind's object ids in creation order, for ids(kind) (objects only go away by undo, newest first) */
  private readonly byKind = new Map<string, string[]>();
  private readonly counters = new Map<string, number>();
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
  trail: Undo[] | null = null;
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
  private readonly fp: Fp = { a: 0, b: 0 };

  /** @param hashing keep the fingerprint (searches that cache states); random runs skip its cost */
  constructor(private readonly hashing = false) {}

  /**
   * A copy of this world: its objects, id counters and fingerprint, with no
   * trail, log or recorder. Field values are shared, as they are between a
   * world and its undo trail: nothing changes a value in place.
   */
  clone(): World {
    const w = new World(this.hashing);
    for (const [id, o] of this.objects) {
      const fieldFp: Record<string, Fp> = {};
      for (const f in o.fieldFp) {
        const h = o.fieldFp[f] as Fp;
        fieldFp[f] = { a: h.a, b: h.b };
      }
      w.objects.set(id, { ...o, fields: { ...o.fields }, fieldFp, sum: { ...o.sum }, fp: { ...o.fp } });
    }
    for (const [kind, ids] of this.byKind) w.byKind.set(kind, [...ids]);
    for (const [kind, n] of this.counters) w.counters.set(kind, n);
    w.fp.a = this.fp.a;
    w.fp.b = this.fp.b;
    return w;
  }

  /** Creates an object; its id is `${kind}${n}` in creation order unless given. */
  create(kind: string, fields: Record<string, Value>, lifecycle: Lifecycle | null = null, id?: string): string {
    const tap = this.tap;
    if (tap?.replaying) return tap.take() as string;
    const old = this.counters.get(kind);
    const n = old ?? 0;
    const oid = id ?? `${kind}${n}`;
    if (this.objects.has(oid)) throw new Error(`object ${oid} already exists`);
    this.setCounter(kind, n + 1);
    const o: Obj = {
      id: oid,
      kind,
      fields: {},
      lifecycle,
      state: lifecycle ? lifecycle.initial : -1,
      key: null,
      fieldFp: {},
      sum: { a: 0, b: 0 },
      fp: { a: 0, b: 0 },
    };
    for (const f in fields) this.assign(o, f, fields[f] as Value);
    this.add(o, 1);
    this.objects.set(oid, o);
    const same = this.byKind.get(kind);
    if (same) same.push(oid);
    else this.byKind.set(kind, [oid]);
    this.written.push(oid);
    this.trail?.push({ op: 'create', id: oid, kind, old });
    tap?.log(oid);
    const rec = this.rec;
    if (rec) {
      rec.writes.add(oid);
      // The id counter and the set of objects of a kind are shared state too. A
      // numbered id depends on the counter (a write); objects with given ids
      // commute with each other (a count), not with numbering or ids().
      if (id === undefined) rec.writes.add(`#${kind}`);
      else rec.counts.add(`#${kind}`);
      if (rec.changes) {
        for (const [f, v] of Object.entries(fields)) rec.changes.push({ obj: oid, field: f, from: undefined, to: v });
        if (lifecycle) rec.changes.push({ obj: oid, field: '@state', from: undefined, to: lifecycle.value(lifecycle.initial) });
      }
    }
    return oid;
  }

  has(id: string): boolean {
    this.rec?.reads.add(id);
    const tap = this.tap;
    if (tap === null) return this.objects.has(id);
    if (tap.replaying) return tap.take() as boolean;
    const v = this.objects.has(id);
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
    if (this.observing) this.rec?.reads.add(id);
    return this.tap === null ? this.field(id, field) : this.read(this.field, id, field);
  }

  get(id: string, field: string): Value {
    this.rec?.reads.add(id);
    return this.tap === null ? this.field(id, field) : this.read(this.field, id, field);
  }

  set(id: string, field: string, value: Value): void {
    if (this.tap?.replaying) return;
    const o = this.obj(id);
    const rec = this.rec;
    if (rec) {
      rec.writes.add(id);
      if (rec.changes && o.fields[field] !== value) rec.changes.push({ obj: id, field, from: o.fields[field], to: value });
    }
    this.written.push(id);
    this.trail?.push({ op: 'set', o, field, old: o.fields[field] });
    this.add(o, -1);
    this.assign(o, field, value);
    this.add(o, 1);
  }

  /** Lifecycle state name of an object, e.g. "linked.active". */
  state(id: string): string {
    if (this.observing) this.rec?.reads.add(id);
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
    if (rec) rec.writes.add(id);
    if (next < 0) return false;
    if (rec?.changes && next !== o.state)
      rec.changes.push({ obj: id, field: '@state', from: o.lifecycle.value(o.state), to: o.lifecycle.value(next) });
    this.written.push(id);
    this.trail?.push({ op: 'send', o, old: o.state });
    this.add(o, -1);
    o.state = next;
    o.key = null;
    this.add(o, 1);
    return true;
  }

  ids(kind?: string): string[] {
    const rec = this.rec;
    if (rec) {
      if (kind !== undefined) rec.reads.add(`#${kind}`);
      else for (const k of this.counters.keys()) rec.reads.add(`#${k}`);
    }
    return this.read(this.idsOf, kind ?? null, '') as string[];
  }

  /** Plain snapshot of one object, for reports. */
  describe(id: string): { kind: string; state: string | null; fields: Record<string, Value> } {
    return this.read(this.describeOf, id, '') as unknown as { kind: string; state: string | null; fields: Record<string, Value> };
  }

  /** A position in the trail of changes, to undo back to. */
  mark(): number {
    return this.trail?.length ?? 0;
  }

  /** Takes back every change made since `mark()` returned `to`, newest first. */
  undo(to: number): void {
    const trail = this.trail;
    if (!trail) throw new Error('undo needs a trail');
    while (trail.length > to) {
      const u = trail.pop() as Undo;
      if (u.op === 'set') {
        this.add(u.o, -1);
        this.assign(u.o, u.field, u.old);
        this.add(u.o, 1);
      } else if (u.op === 'send') {
        this.add(u.o, -1);
        u.o.state = u.old;
        u.o.key = null;
        this.add(u.o, 1);
      } else {
        this.add(this.obj(u.id), -1);
        this.objects.delete(u.id);
        this.byKind.get(u.kind)?.pop();
        this.setCounter(u.kind, u.old);
      }
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

  private field(id: string, field: string): Value {
    const v = this.obj(id).fields[field];
    if (v === undefined) throw new Error(`object ${id} has no field ${field}`);
    return v;
  }

  private kindOf(id: string): string {
    return this.obj(id).kind;
  }

  private stateOf(id: string): string {
    const o = this.obj(id);
    if (!o.lifecycle) throw new Error(`object ${id} has no lifecycle`);
    return o.lifecycle.value(o.state);
  }

  private idsOf(kind: string | null): string[] {
    return kind === null ? [...this.objects.keys()] : [...(this.byKind.get(kind) ?? [])];
  }

  private describeOf(id: string): Value {
    const o = this.obj(id);
    return { kind: o.kind, state: o.lifecycle ? o.lifecycle.value(o.state) : null, fields: { ...o.fields } };
  }

  /** Canonical key of the whole world: equal keys mean equal shared state (in any order of creation, as the fingerprint). */
  key(): string {
    const parts: string[] = [];
    for (const [id, o] of this.objects) parts.push(this.objectKey(id, o));
    for (const [kind, n] of this.counters) parts.push(`#${kind}=${n};`);
    return parts.sort().join('');
  }

  /**
   * Adds the world's fingerprint to a running hash: equal worlds (the same
   * objects with the same fields and states, the same id counters, in any
   * order of creation) give equal fingerprints. Costs nothing: it is kept up
   * to date at every change.
   */
  fingerprint(into: Fp): void {
    if (!this.hashing) throw new Error('fingerprint() of a world made without hashing');
    extend(into, this.fp.a, this.fp.b);
  }

  /** An object's part of key(), cached until the object is written. */
  private objectKey(id: string, o: Obj): string {
    if (o.key === null) o.key = `${id}:${o.state}${stableStringify(o.fields)};`;
    return o.key;
  }

  /** Writes (or, with undefined, removes) a field, keeping the object's sum of field hashes. */
  private assign(o: Obj, field: string, value: Value | undefined): void {
    const old = o.fieldFp[field];
    if (old !== undefined) {
      o.sum.a = (o.sum.a - old.a) | 0;
      o.sum.b = (o.sum.b - old.b) | 0;
    }
    o.key = null;
    if (value === undefined) {
      delete o.fields[field];
      delete o.fieldFp[field];
      return;
    }
    o.fields[field] = value;
    if (!this.hashing) return;
    const h = fieldHash(field, value, old ?? { a: 0, b: 0 });
    o.fieldFp[field] = h;
    o.sum.a = (o.sum.a + h.a) | 0;
    o.sum.b = (o.sum.b + h.b) | 0;
  }

  /** Adds (sign 1) or takes away (sign -1) an object's part of the world's fingerprint. */
  private add(o: Obj, sign: 1 | -1): void {
    if (!this.hashing) return;
    if (sign === 1) {
      const n = nameHash(o.id);
      o.fp.a = fmix((o.sum.a + Math.imul(o.state + 2, 0x9e3779b1)) ^ n.a);
      o.fp.b = fmix(((o.sum.b ^ Math.imul(o.state + 3, 0x85ebca6b)) + n.b) | 0);
    }
    this.fp.a = (this.fp.a + sign * o.fp.a) | 0;
    this.fp.b = (this.fp.b + sign * o.fp.b) | 0;
  }

  /** Sets (or, with undefined, removes) an id counter, keeping the world's fingerprint. */
  private setCounter(kind: string, n: number | undefined): void {
    const old = this.counters.get(kind);
    if (!this.hashing) {
      if (n === undefined) this.counters.delete(kind);
      else this.counters.set(kind, n);
      return;
    }
    if (old !== undefined) {
      fieldHash(`#${kind}`, old, scratch);
      this.fp.a = (this.fp.a - scratch.a) | 0;
      this.fp.b = (this.fp.b - scratch.b) | 0;
    }
    if (n === undefined) {
      this.counters.delete(kind);
      return;
    }
    this.counters.set(kind, n);
    fieldHash(`#${kind}`, n, scratch);
    this.fp.a = (this.fp.a + scratch.a) | 0;
    this.fp.b = (this.fp.b + scratch.b) | 0;
  }

  private obj(id: string): Obj {
    const o = this.objects.get(id);
    if (!o) throw new Error(`no object ${id}`);
    return o;
  }
}
