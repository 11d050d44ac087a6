/**
 * The lock dependency graph of a design over its explored space (every
 * interleaving of every scenario within the bound), as lockdep would build it
 * if it had watched all of them, with the shortest witness of each edge; and
 * the verdict on a declared lock order (docs/lockorder.md) against it.
 * cli/lockgraph.ts renders both.
 */
import type { Violation } from '../checker/point.ts';
import type { Scenario } from '../checker/scenario.ts';
import type { Coverage } from '../checker/search/exhaustive.ts';
import { exploreScenarios, type ScenarioFound, type ScenarioList } from '../checker/search/space-search.ts';
import { stableStringify } from '../checker/value.ts';
import { World } from '../checker/world.ts';
import { lockClasses } from '../kernel/lock.ts';
import { type LockCycle, type LockEdge, LockGraph, type LockRecursion } from '../kernel/lockdep/lockgraph.ts';
import { isFault, throwIfFault } from './design-fault.ts';
import type { Target } from './target.ts';

export interface GraphRun {
  readonly graph: LockGraph;
  readonly edges: readonly LockEdge[];
  readonly cycles: readonly LockCycle[];
  readonly coverage: Coverage;
  /** scenarios reached (the last one may be cut), of scenariosTotal */
  readonly scenarios: number;
  readonly scenariosTotal: number;
  /** classes taken while already held: lockdep's "possible recursive locking detected" */
  readonly recursions: readonly LockRecursion[];
  /** the shortest execution that deadlocked, if the search reached one */
  readonly deadlock: ScenarioFound | null;
  /** lockdep's other warnings (a failed held-lock assertion, a bad unlock balance): the shortest of each kind reached */
  readonly warnings: readonly ScenarioFound[];
  readonly millis: number;
  /** every lock class the searched scenarios could name: those of their initial worlds, and those seen taken */
  readonly knownClasses: ReadonlySet<string>;
}

/** What lockdep warns about that the lock graph does not show: the model raises these itself. */
const LOCKDEP_WARNINGS: readonly string[] = ['held-lock-assertion', 'unlock-not-held'];

/**
 * Explores the target's space feeding a LockGraph. Every property's monitors
 * run except lock-order's own (lockdep would end an execution at the
 * acquisition that closes a cycle, before the deadlock it predicts), so an
 * execution still ends at any other violation; deadlocks and lockdep's other
 * warnings are collected, so that this verdict is lock-order's.
 */
export function exploreLockGraph(
  target: Target,
  opts: {
    timeLimitMs?: number;
    maxMemoryBytes?: number;
    onProgress?: (done: number, total: number, c: Coverage, millis: number) => void;
  } = {},
): GraphRun {
  const graph = new LockGraph();
  const monitors = [graph.recorder(), ...target.catalog.filter((p) => p.name !== 'lock-order').flatMap((p) => p.monitors())];
  const options = {
    monitors,
    isFailure: (v: Violation) => v.kind === 'deadlock' || LOCKDEP_WARNINGS.includes(v.kind) || isFault(v),
    collectAll: true,
    endsSearch: isFault,
    ...(opts.timeLimitMs === undefined ? {} : { timeLimitMs: opts.timeLimitMs }),
    ...(opts.maxMemoryBytes === undefined ? {} : { maxMemoryBytes: opts.maxMemoryBytes }),
  };
  const t0 = Date.now();
  // one list, searched by one call, so a time limit bounds the whole run and not each scenario of a profile
  const scenarios = target.scenarios();
  // the initial world of each distinct setup searched holds the classes a scenario starts with
  const setups = new Map<string, Scenario['setup']>();
  const watched: ScenarioList = {
    total: scenarios.total,
    *[Symbol.iterator]() {
      for (const s of scenarios) {
        const key = stableStringify(s.setup ?? {});
        if (!setups.has(key)) setups.set(key, s.setup);
        yield s;
      }
    },
  };
  const r = exploreScenarios(target.system, watched, options, (d, t, c) => opts.onProgress?.(d, t, c, Date.now() - t0));
  // a design whose code throws or never ends would otherwise yield a partial graph that looks clean
  throwIfFault(target.design.name, r.byKind);
  const coverage = r.coverage;
  const deadlock = r.byKind.get('deadlock') ?? null;
  const knownClasses = new Set(graph.classes());
  for (const setup of setups.values()) {
    const w = new World();
    target.system.setup(w, setup ?? {});
    for (const c of lockClasses(w)) knownClasses.add(c);
  }
  const edges = graph.edges().sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return {
    graph,
    edges,
    cycles: graph.cycles(),
    recursions: graph.recursions(),
    coverage,
    scenarios: r.scenarios,
    scenariosTotal: scenarios.total,
    deadlock,
    warnings: LOCKDEP_WARNINGS.flatMap((k) => r.byKind.get(k) ?? []),
    millis: Date.now() - t0,
    knownClasses,
  };
}

/** Would lockdep warn, or did a thread deadlock, anywhere in the run? (lock-order's verdict over the same space) */
export function lockdepWarns(run: GraphRun): boolean {
  return run.cycles.length > 0 || run.recursions.length > 0 || run.warnings.length > 0 || run.deadlock !== null;
}

export interface OrderCheck {
  readonly order: DeclaredOrder;
  /** observed edges the declared order does not allow */
  readonly broken: readonly { readonly edge: LockEdge; readonly why: string }[];
  /** declared edges no execution made */
  readonly unexercised: readonly { readonly from: string; readonly to: string; readonly line: number }[];
  /** observed classes the file does not name */
  readonly undeclared: readonly string[];
}

export function checkDeclared(run: GraphRun, order: DeclaredOrder): OrderCheck {
  const broken: { edge: LockEdge; why: string }[] = [];
  const known = new Set(order.classes);
  const undeclared = new Set<string>();
  for (const e of run.edges) {
    const missing = [e.from, e.to].filter((c) => !known.has(c));
    for (const m of missing) undeclared.add(m);
    if (missing.length) {
      broken.push({ edge: e, why: `class ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not declared` });
      continue;
    }
    if (declaredPath(order, e.from, e.to)) continue;
    const back = declaredPath(order, e.to, e.from);
    broken.push({
      edge: e,
      why: back ? `inverts the declared order ${back.join(' -> ')}` : `the declared order does not allow ${e.to} under ${e.from}`,
    });
  }
  const unexercised = order.edges.filter((d) => !run.graph.hasEdge(d.from, d.to));
  return { order, broken, unexercised, undeclared: [...undeclared] };
}

/** A declared lock order: lock classes and the edges allowed between them (cli/order-file.ts parses it). */
export interface DeclaredOrder {
  readonly file: string;
  readonly classes: readonly string[];
  /** the line that first names each class */
  readonly lineOf: Readonly<Record<string, number>>;
  /** declared edges, in file order, with their line numbers */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly line: number }[];
}

/** Whether the declared edges lead from `from` to `to` (one or more edges). */
export function declaredPath(order: DeclaredOrder, from: string, to: string): string[] | null {
  const prev = new Map<string, string>();
  let frontier = [from];
  const seen = new Set([from]);
  while (frontier.length) {
    const next: string[] = [];
    for (const u of frontier)
      for (const e of order.edges) {
        if (e.from !== u) continue;
        if (e.to === to) {
          const path = [to, u];
          for (let c = u; c !== from; ) {
            c = prev.get(c) as string;
            path.push(c);
          }
          return path.reverse();
        }
        if (!seen.has(e.to)) {
          seen.add(e.to);
          prev.set(e.to, u);
          next.push(e.to);
        }
      }
    frontier = next;
  }
  return null;
}
