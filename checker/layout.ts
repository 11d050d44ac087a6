import type { Fp } from './fingerprint.ts';
import { names } from './names.ts';
import type { Value } from './value.ts';

/**
 * A field that is not stored but computed from another field of the same
 * object, so that one fact has one place: reading it reads the stored field
 * (`read`), writing it writes the stored field (`write`, given what it holds).
 * Footprints, fingerprints and undo see the stored field only.
 */
export interface View {
  readonly name: string;
  /** where reports list it among an object's fields: -1 - its position in Layout.viewList */
  readonly mark: number;
  /** the slot of the stored field */
  readonly of: number;
  read(stored: Value | undefined): Value | undefined;
  write(value: Value, stored: Value | undefined): Value;
}

/**
 * The field slots of one object kind: each field name the kind has ever been
 * given gets the next index, with its name's hash kept beside it, so an
 * object stores its fields and their hashes in arrays by index and a write
 * hashes the value only. Shared by every world of the process (an index says
 * where a field lives, never whether an object has it).
 */
export class Layout {
  readonly fields: string[] = [];
  readonly hashes: Fp[] = [];
  private readonly index = new Map<string, number>();
  /** the name number of the kind's id counter, `#kind` */
  readonly counter: number;
  /** the kind's computed fields by name (see View); null when it has none */
  views: Map<string, View> | null = null;
  readonly viewList: View[] = [];

  constructor(readonly kind: string) {
    this.counter = names.id(`#${kind}`);
  }

  /** Makes `field` a view of the stored field `of` (see View); a field that already has a slot cannot become one. */
  defineView(field: string, of: string, read: View['read'], write: View['write']): void {
    if (this.index.has(field)) throw new Error(`${this.kind}.${field} is stored: it cannot also be a view of ${of}`);
    const views = (this.views ??= new Map());
    const old = views.get(field);
    if (old && old.of !== this.slot(of)) throw new Error(`${this.kind}.${field} is already a view of another field`);
    const view: View = { name: field, mark: old ? old.mark : -1 - this.viewList.length, of: this.slot(of), read, write };
    views.set(field, view);
    this.viewList[-1 - view.mark] = view;
  }

  /** The index of a field, given one the first time. */
  slot(field: string): number {
    let i = this.index.get(field);
    if (i === undefined) {
      if (this.views?.has(field)) throw new Error(`${this.kind}.${field} is a view, not a stored field`);
      i = this.fields.length;
      this.fields.push(field);
      this.hashes.push(names.hash(names.id(field)));
      this.index.set(field, i);
    }
    return i;
  }

  /**
   * The stored field read last and its slot: model code reads one field of a
   * kind many times running (every kernel accessor checks `__freed`), and a
   * name compared by identity costs less than a Map lookup. A stored field's
   * slot never changes (it cannot become a view).
   */
  // Stryker disable next-line all: a cache of the last answer: without it, or primed otherwise, the same slots
  private lastField = '';
  // Stryker disable next-line all: see lastField
  private lastSlot = -1;

  /** A field's value among an object's stored values: a stored field's, or what a view computes. */
  valueIn(vals: readonly (Value | undefined)[], field: string): Value | undefined {
    // Stryker disable next-line ConditionalExpression: see lastField
    if (field === this.lastField) return vals[this.lastSlot];
    const i = this.index.get(field);
    if (i !== undefined) {
      this.lastField = field;
      this.lastSlot = i;
      return vals[i];
    }
    const view = this.views?.get(field);
    return view ? view.read(vals[view.of]) : vals[this.slot(field)];
  }
}

const layouts = new Map<string, Layout>();

export function layoutOf(kind: string): Layout {
  let l = layouts.get(kind);
  if (l === undefined) {
    l = new Layout(kind);
    layouts.set(kind, l);
  }
  return l;
}
