import { stableStringify, type Value } from './value.ts';

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
  /** null when only footprints are wanted */
  readonly changes: Change[] | null;
}

interface Obj {
  readonly kind: string;
  readonly fields: Record<string, Value>;
  lifecycle: Lifecycle | null;
  state: number;
  /** this object's part of the state key, until it is written again */
  key: string | null;
}

/**
 * All shared state of one execution, as plain data with a canonical key.
 * Thread-local state lives in the generators, never here (see execution.ts for
 * how the search still accounts for it).
 */
export class World {
  private readonly objects = new Map<string, Obj>();
  private readonly counters = new Map<string, number>();
  rec: Recorder | null = null;

  /** Creates an object; its id is `${kind}${n}` in creation order unless given. */
  create(kind: string, fields: Record<string, Value>, lifecycle: Lifecycle | null = null, id?: string): string {
    const n = this.counters.get(kind) ?? 0;
    this.counters.set(kind, n + 1);
    const oid = id ?? `${kind}${n}`;
    if (this.objects.has(oid)) throw new Error(`object ${oid} already exists`);
    this.objects.set(oid, { kind, fields: { ...fields }, lifecycle, state: lifecycle ? lifecycle.initial : -1, key: null });
    const rec = this.rec;
    if (rec) {
      rec.writes.add(oid);
      if (rec.changes) {
        for (const [f, v] of Object.entries(fields)) rec.changes.push({ obj: oid, field: f, from: undefined, to: v });
        if (lifecycle) rec.changes.push({ obj: oid, field: '@state', from: undefined, to: lifecycle.value(lifecycle.initial) });
      }
    }
    return oid;
  }

  has(id: string): boolean {
    return this.objects.has(id);
  }

  kind(id: string): string {
    return this.obj(id).kind;
  }

  /** Reads a field without recording it (guards and reports). */
  peek(id: string, field: string): Value {
    const v = this.obj(id).fields[field];
    if (v === undefined) throw new Error(`object ${id} has no field ${field}`);
    return v;
  }

  get(id: string, field: string): Value {
    this.rec?.reads.add(id);
    return this.peek(id, field);
  }

  set(id: string, field: string, value: Value): void {
    const o = this.obj(id);
    const rec = this.rec;
    if (rec) {
      rec.writes.add(id);
      if (rec.changes && o.fields[field] !== value) rec.changes.push({ obj: id, field, from: o.fields[field], to: value });
    }
    o.fields[field] = value;
    o.key = null;
  }

  /** Lifecycle state name of an object, e.g. "linked.active". */
  state(id: string): string {
    const o = this.obj(id);
    if (!o.lifecycle) throw new Error(`object ${id} has no lifecycle`);
    return o.lifecycle.value(o.state);
  }

  /**
   * Sends a lifecycle event. Returns false, changing nothing, when the machine does
   * not accept it in its current state (the caller reports the violation).
   */
  send(id: string, event: { readonly type: string; readonly [field: string]: Value }): boolean {
    const o = this.obj(id);
    if (!o.lifecycle) throw new Error(`object ${id} has no lifecycle`);
    const next = o.lifecycle.step(o.state, event);
    const rec = this.rec;
    if (rec) rec.writes.add(id);
    if (next < 0) return false;
    if (rec?.changes && next !== o.state)
      rec.changes.push({ obj: id, field: '@state', from: o.lifecycle.value(o.state), to: o.lifecycle.value(next) });
    o.state = next;
    o.key = null;
    return true;
  }

  ids(kind?: string): string[] {
    const out: string[] = [];
    for (const [id, o] of this.objects) if (kind === undefined || o.kind === kind) out.push(id);
    return out;
  }

  /** Plain snapshot of one object, for reports. */
  describe(id: string): { kind: string; state: string | null; fields: Record<string, Value> } {
    const o = this.obj(id);
    return { kind: o.kind, state: o.lifecycle ? o.lifecycle.value(o.state) : null, fields: { ...o.fields } };
  }

  /** Canonical key of the whole world: equal keys mean equal shared state. */
  key(): string {
    let k = '';
    for (const [id, o] of this.objects) {
      if (o.key === null) o.key = `${id}:${o.state}${stableStringify(o.fields)};`;
      k += o.key;
    }
    for (const [kind, n] of this.counters) k += `#${kind}=${n}`;
    return k;
  }

  private obj(id: string): Obj {
    const o = this.objects.get(id);
    if (!o) throw new Error(`no object ${id}`);
    return o;
  }
}
