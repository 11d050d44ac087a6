import type { Execution } from '../execution.ts';
import type { Footprint } from '../footprint.ts';
import { names } from '../names.ts';
import type { Mover, Violation } from '../point.ts';

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
  /** every usable claim seen, by lock object and thread: who may hold a lock that can move */
  private readonly claims = new Map<string, Map<number, Mover>>();

  constructor(private readonly unproven: ReadonlySet<string>) {}

  /** Runs thread t's step and says what it moves past. */
  step(exec: Execution, t: number): Taken {
    const point = exec.pendingPoint(t);
    const claim = point?.mover;
    // a left mover runs alone (a persistent set), so nothing may disable it: a guarded release claims nothing
    const usable = claim !== undefined && !this.unproven.has(claim.group) && (claim.side === 'right' || point?.enabled === undefined);
    if (usable) this.note(t, claim);
    const broken = point ? this.premiseBroken(exec, t, point.locs ?? [], point.action, claim) : null;
    const heldBefore = usable && claim.side === 'left' && claim.held(exec.world);
    const fp = exec.step(t);
    if (broken && !exec.violation) exec.violation = broken;
    if (!usable || exec.violation) return { fp, side: null };
    const held = claim.side === 'left' ? heldBefore : claim.held(exec.world);
    return { fp, side: held && within(fp, claim) ? claim.side : null };
  }

  private note(t: number, claim: Mover): void {
    let byThread = this.claims.get(claim.lock);
    if (!byThread) this.claims.set(claim.lock, (byThread = new Map()));
    byThread.set(t, claim);
  }

  private premiseBroken(exec: Execution, t: number, locs: readonly string[], action: string, own: Mover | undefined): Violation | null {
    return this.claims.size === 0 ? null : premiseBrokenAt(this.claims, exec, t, locs, action, own);
  }
}

/**
 * The static pass's premise, checked where it can be: a point that names, in
 * its locs, a lock another thread holds under a usable claim, without being a
 * claim on that lock itself, touches it without blocking on it (a trylock or a
 * free the pass did not see, say in a helper outside the design's table). The
 * reduced search stops there with a model-error, the kind of a broken design,
 * rather than go on with a reduction the design does not allow.
 */
function premiseBrokenAt(
  claims: ReadonlyMap<string, ReadonlyMap<number, Mover>>,
  exec: Execution,
  t: number,
  locs: readonly string[],
  action: string,
  own: Mover | undefined,
): Violation | null {
  for (const lock of locs) {
    if (own?.lock === lock) continue;
    for (const [u, c] of claims.get(lock) ?? []) {
      if (u === t || !c.held(exec.world)) continue;
      const [me, holder] = [exec.threadNames[t] as string, exec.threadNames[u] as string];
      return {
        kind: 'model-error',
        message: `--reduce: ${me}'s ${action} touches ${lock}, which ${holder} holds, although the static pass proved its type (${c.group}) free of such touchers: a function it does not read calls it; run without --reduce`,
        thread: me,
      };
    }
  }
  return null;
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
