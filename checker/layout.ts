import type { Fp } from './fingerprint.ts';
import { names } from './names.ts';

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

  constructor(readonly kind: string) {
    this.counter = names.id(`#${kind}`);
  }

  /** The index of a field, given one the first time. */
  slot(field: string): number {
    let i = this.index.get(field);
    if (i === undefined) {
      i = this.fields.length;
      this.fields.push(field);
      this.hashes.push(names.hash(names.id(field)));
      this.index.set(field, i);
    }
    return i;
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
