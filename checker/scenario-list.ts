/**
 * The scenarios of a bounded space, smallest first, made one at a time. At
 * ops=6 a role with twenty commands has 20^6 op sequences, too many to hold:
 * every list here is walked by index arithmetic, never built. The order is
 * exactly that of enumerateScenarios (space.ts) sorted stably by size, which is
 * the order every search takes scenarios in and the order that decides which of
 * two equally short counterexamples is kept.
 */
import type { OpCall, Scenario, ThreadSpec } from './scenario.ts';
import { expandCommand, preludeOf, type RoleSpec, type ScenarioSpace, type SpaceBounds, threadCounts } from './space.ts';

/** Scenarios to explore, in order, and how many there are (for progress: "scenarios done of total"). */
export interface ScenarioList extends Iterable<Scenario> {
  readonly total: number;
}

/** A fixed list (a profile's scenarios) as a ScenarioList. */
export function fixedList(scenarios: readonly Scenario[]): ScenarioList {
  return { total: scenarios.length, [Symbol.iterator]: () => scenarios[Symbol.iterator]() };
}

/**
 * A role's op sequences, in the order enumerateScenarios takes them: the empty
 * sequence first when the role has a prelude (or no commands), then every
 * sequence of 1..L calls in depth-first preorder ([c0], [c0 c0], ..., [c1], ...).
 * A sequence is known by its index; its calls and length are computed from it.
 */
class Sequences {
  readonly count: number;
  /** 1 when index 0 is the empty sequence */
  private readonly empty: number;
  private readonly c: number;
  private readonly l: number;
  /** subtree[d]: nodes in the subtree of a sequence of length d (itself included) */
  private readonly subtree: number[];

  constructor(
    private readonly calls: readonly OpCall[],
    maxLen: number,
    prelude: boolean,
  ) {
    const none = calls.length === 0 || maxLen === 0;
    this.c = none ? 0 : calls.length;
    this.l = none ? 0 : maxLen;
    this.subtree = [];
    for (let d = this.l; d >= 1; d--) this.subtree[d] = 1 + (d < this.l ? this.c * (this.subtree[d + 1] as number) : 0);
    this.empty = none || prelude ? 1 : 0;
    this.count = this.empty + (this.l === 0 ? 0 : this.c * (this.subtree[1] as number));
  }

  /** The calls of sequence `i` (their indices into `calls`), and the index of each prefix. */
  private walk(i: number, visit?: (depth: number, index: number) => boolean): number[] {
    const path: number[] = [];
    if (i < this.empty) return path;
    let rest = i - this.empty;
    let base = this.empty;
    for (let d = 1; ; d++) {
      const size = this.subtree[d] as number;
      const child = Math.floor(rest / size);
      path.push(child);
      base += child * size;
      rest -= child * size;
      if (visit?.(d, base)) return path;
      if (rest === 0) return path;
      rest -= 1;
      base += 1;
    }
  }

  length(i: number): number {
    return this.walk(i).length;
  }

  ops(i: number): OpCall[] {
    return this.walk(i).map((k) => this.calls[k] as OpCall);
  }

  /** The first index from `i` on whose sequence has at most `m` calls (count when none). */
  fit(i: number, m: number): number {
    if (i >= this.count || m < 0) return this.count;
    if (m >= this.l || this.length(i) <= m) return i;
    // i is below a sequence of m+1 calls: every sequence in that one's subtree is too long
    let ancestor = i;
    this.walk(i, (d, index) => {
      if (d === m + 1) ancestor = index;
      return d === m + 1;
    });
    return this.fit(ancestor + (this.subtree[m + 1] as number), m);
  }

  /** The index after `i` whose sequence has at most `m` calls (i itself has at most m). */
  next(i: number, m: number): number {
    const len = this.length(i);
    const after = len < m ? i + 1 : i + (len === 0 ? 1 : (this.subtree[len] as number));
    return this.fit(after, m);
  }
}

/** n multichoose k: multisets of k items from n. */
function multichoose(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n + j - 1)) / j;
  return Math.round(r);
}

interface Role {
  readonly spec: RoleSpec;
  readonly seqs: Sequences;
  readonly min: number;
  readonly max: number;
  /** prelude length of its thread i */
  readonly prelude: readonly number[];
  /** the fewest ops its threads can have together, and the most */
  readonly least: number;
  readonly most: number;
}

/**
 * Every scenario of the space within the bounds, smallest (fewest operations
 * over all threads) first, as a lazy list with its total.
 */
export function spaceScenarios(space: ScenarioSpace, bounds: SpaceBounds): ScenarioList {
  const roles: Role[] = space.roles.map((spec) => {
    const seqs = new Sequences(spec.commands.flatMap(expandCommand), bounds.opsPerThread, spec.prelude !== undefined);
    const { min, max } = threadCounts(spec, bounds);
    const prelude = Array.from({ length: max }, (_, i) => preludeOf(spec, i).length);
    const shortest = seqs.length(0);
    const longest = seqs.count === 0 ? 0 : Math.max(shortest, spec.commands.length === 0 ? 0 : bounds.opsPerThread);
    const sum = (n: number, extra: number) => prelude.slice(0, n).reduce((a, b) => a + b + extra, 0);
    return { spec, seqs, min, max, prelude, least: sum(min, shortest), most: sum(max, longest) };
  });
  // the scenario with no thread at all is not one
  const empty = roles.every((r) => r.min === 0) ? 1 : 0;
  const total = roles.reduce((n, r) => {
    let k = 0;
    for (let t = r.min; t <= r.max; t++) k += multichoose(r.seqs.count, t);
    return n * k;
  }, 1);
  const least = (from: number) => roles.slice(from).reduce((n, r) => n + r.least, 0);
  const most = (from: number) => roles.slice(from).reduce((n, r) => n + r.most, 0);
  const leastAfter = roles.map((_, r) => least(r + 1));
  const mostAfter = roles.map((_, r) => most(r + 1));

  /** The scenarios of exactly `size` operations, in enumeration order. */
  function* ofSize(size: number): Generator<Scenario> {
    const threads: ThreadSpec[] = [];
    function* role(r: number, budget: number): Generator<Scenario> {
      if (r === roles.length) {
        if (budget === 0 && threads.length > 0) yield { threads: [...threads], ...(space.setup ? { setup: space.setup } : {}) };
        return;
      }
      const R = roles[r] as Role;
      const mark = threads.length;
      const choose = function* (start: number, used: number): Generator<Scenario> {
        const k = threads.length - mark;
        if (k >= R.min && used <= budget - (leastAfter[r] as number) && used + (mostAfter[r] as number) >= budget)
          yield* role(r + 1, budget - used);
        if (k === R.max) return;
        const room = budget - used - (R.prelude[k] as number) - (leastAfter[r] as number);
        for (let i = R.seqs.fit(start, room); i < R.seqs.count; i = R.seqs.next(i, room)) {
          const ops = R.seqs.ops(i);
          threads.push({ name: `${R.spec.role}${k}`, ops: [...preludeOf(R.spec, k), ...ops] });
          yield* choose(i, used + (R.prelude[k] as number) + ops.length);
          threads.pop();
        }
      };
      yield* choose(0, 0);
    }
    yield* role(0, size);
  }

  return {
    total: total - empty,
    *[Symbol.iterator]() {
      for (let size = least(0); size <= most(0); size++) yield* ofSize(size);
    },
  };
}
