/**
 * The static half of transaction reduction: which mover groups (lock types)
 * a design may touch other than by blocking on them. Search-free: a pass over
 * the source of every function of the design's table and of every operation,
 * looking for a call of a function that touches a lock without blocking on it
 * (a trylock, a racy is-locked read, a free of memory a lock is embedded in).
 * Any mention counts, a comment's too, so the pass errs only towards "not
 * proven". A table entry named after a toucher is its definition, not a call,
 * and is skipped (the table holds every primitive, used or not).
 */

export interface SourceOf {
  readonly name: string;
  readonly source: string;
}

/**
 * The groups not proven free of touchers: those a toucher called anywhere in
 * `sources` may reach. With no toucher list the domain declared nothing, and
 * no group is proven (`ALL_UNPROVEN`).
 */
export function unprovenGroups(
  sources: readonly SourceOf[],
  touchers: Readonly<Record<string, readonly string[]>> | undefined,
): ReadonlySet<string> {
  if (!touchers) return ALL_UNPROVEN;
  const out = new Set<string>();
  for (const [name, groups] of Object.entries(touchers)) {
    const call = new RegExp(`\\b${name}\\b`);
    if (sources.some((s) => s.name !== name && call.test(s.source))) for (const g of groups) out.add(g);
  }
  return out;
}

/** Stands for "no group is proven": `has` is true of everything. */
export const ALL_UNPROVEN: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true;
  }
})();
