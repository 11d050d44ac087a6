import type { Execution } from '../execution.ts';
import type { Footprint } from '../footprint.ts';
import { names } from '../names.ts';
import type { Mover } from '../point.ts';

/**
 * The dynamic half of transaction reduction (docs/engine.md "Transaction
 * reduction"): what a step just taken may be moved past. A step is a right
 * mover when its point claims it (a blocking acquisition), the claim's group is
 * proven free of other touchers, the thread holds the lock after it, and the
 * step touched nothing but the lock and the thread's own objects; a left
 * mover likewise for a release, the lock held before it. Anything else, the
 * code after the point touching one more object included, is a non-mover.
 */
export type Side = Mover['side'] | null;

export interface Taken {
  readonly fp: Footprint;
  readonly side: Side;
}

export class Movers {
  constructor(private readonly unproven: ReadonlySet<string>) {}

  /** Runs thread t's step and says what it moves past. */
  step(exec: Execution, t: number): Taken {
    const claim = exec.pendingPoint(t)?.mover;
    const usable = claim !== undefined && !this.unproven.has(claim.group);
    const heldBefore = usable && claim.side === 'left' && claim.held(exec.world);
    const fp = exec.step(t);
    if (!usable || exec.violation) return { fp, side: null };
    const held = claim.side === 'left' ? heldBefore : claim.held(exec.world);
    return { fp, side: held && within(fp, claim) ? claim.side : null };
  }
}

/** The step touched only the claim's lock and the thread's own objects. */
function within(fp: Footprint, claim: Mover): boolean {
  const allowed = [names.id(claim.lock), ...claim.own.map((o) => names.id(o))];
  const inside = (ids: readonly number[]) => ids.every((n) => allowed.includes(n));
  return inside(fp.reads) && inside(fp.writes) && inside(fp.counts);
}

/** The union of two footprints: a transaction's, step by step. */
export function joinFootprints(a: Footprint, b: Footprint): Footprint {
  const add = (x: readonly number[], y: readonly number[]) => {
    if (y.length === 0) return x;
    const out = [...x];
    for (const n of y) if (!out.includes(n)) out.push(n);
    return out;
  };
  return { reads: add(a.reads, b.reads), writes: add(a.writes, b.writes), counts: add(a.counts, b.counts) };
}
