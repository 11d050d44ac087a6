/**
 * What one step touched, at object granularity. Two steps of different threads
 * are independent (commute) when neither writes an object the other reads or
 * writes; partial-order reduction and the trace's "who interfered" both rest on it.
 */
export interface Footprint {
  readonly reads: ReadonlySet<string>;
  readonly writes: ReadonlySet<string>;
}

export const EMPTY_FOOTPRINT: Footprint = { reads: new Set(), writes: new Set() };

export function conflicts(a: Footprint, b: Footprint): boolean {
  for (const w of a.writes) if (b.writes.has(w) || b.reads.has(w)) return true;
  for (const w of b.writes) if (a.reads.has(w)) return true;
  return false;
}
