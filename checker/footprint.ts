/**
 * What one step touched, at object granularity. Two steps of different threads
 * are independent (commute) when neither writes an object the other reads or
 * writes; partial-order reduction and the trace's "who interfered" both rest on it.
 * Counts are writes that commute with each other (bumping a counter whose
 * value nobody but a reader or writer of it sees), not with reads or writes.
 */
export interface Footprint {
  readonly reads: ReadonlySet<string>;
  readonly writes: ReadonlySet<string>;
  readonly counts: ReadonlySet<string>;
}

export const EMPTY_FOOTPRINT: Footprint = { reads: new Set(), writes: new Set(), counts: new Set() };

export function conflicts(a: Footprint, b: Footprint): boolean {
  for (const w of a.writes) if (b.writes.has(w) || b.reads.has(w) || b.counts.has(w)) return true;
  for (const w of b.writes) if (a.reads.has(w) || a.counts.has(w)) return true;
  for (const c of a.counts) if (b.reads.has(c)) return true;
  for (const c of b.counts) if (a.reads.has(c)) return true;
  return false;
}
