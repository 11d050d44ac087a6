import type { Violation } from '../point.ts';
import { contextSwitches } from '../schedule.ts';

/** A counterexample: the path of thread choices that reaches a violation. */
export interface Found {
  readonly path: readonly number[];
  readonly violation: Violation;
  readonly switches: number;
}

/** Whether a counterexample is better than another: fewer steps, then fewer context switches. */
export function better(found: Pick<Found, 'path' | 'switches'>, than: Found | undefined | null): boolean {
  if (!than) return true;
  if (found.path.length !== than.path.length) return found.path.length < than.path.length;
  return found.switches < than.switches;
}

/** The counterexamples a search keeps: the best overall and, when collecting, the best of each kind. */
export class Findings {
  best: Found | null = null;
  readonly byKind = new Map<string, Found>();
  /** set once a first counterexample ends a firstOnly search, or one that ends any search (endsSearch) */
  stop = false;

  constructor(
    private readonly isFailure: (v: Violation) => boolean,
    private readonly collect: boolean,
    private readonly firstOnly: boolean,
    private readonly endsSearch: (v: Violation) => boolean = () => false,
  ) {}

  /** A violation reached by `path` (copied when kept). */
  add(path: readonly number[], v: Violation): void {
    if (!this.isFailure(v)) return;
    const found = { path, violation: v, switches: contextSwitches(path) };
    if (this.collect && better(found, this.byKind.get(v.kind))) this.byKind.set(v.kind, { ...found, path: [...path] });
    if (better(found, this.best)) this.best = { ...found, path: [...path] };
    if (this.firstOnly || this.endsSearch(v)) this.stop = true;
  }
}
