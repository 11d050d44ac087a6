/**
 * What one step touched, at object granularity, as the numbers of the names
 * touched (names.ts), each at most once per list. Two steps of different threads
 * are independent (commute) when neither writes an object the other reads or
 * writes; partial-order reduction and the trace's "who interfered" both rest on it.
 * Counts are writes that commute with each other (bumping a counter whose
 * value nobody but a reader or writer of it sees), not with reads or writes.
 */
export interface Footprint {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly counts: readonly number[];
}

// Stryker disable next-line all: a step's footprint when nothing records them (record: 'none'), where no search reads it
export const EMPTY_FOOTPRINT: Footprint = { reads: [], writes: [], counts: [] };

export function conflicts(a: Footprint, b: Footprint): boolean {
  for (const w of a.writes) if (b.writes.includes(w) || b.reads.includes(w) || b.counts.includes(w)) return true;
  for (const w of b.writes) if (a.reads.includes(w) || a.counts.includes(w)) return true;
  for (const c of a.counts) if (b.reads.includes(c)) return true;
  for (const c of b.counts) if (a.reads.includes(c)) return true;
  return false;
}
