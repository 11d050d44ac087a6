/**
 * The lock dependency graph of a design over its explored space (every
 * interleaving of every scenario within the bound), as lockdep would build it
 * if it had watched all of them, with the shortest witness of each edge; and
 * the verdict on a declared lock order (docs/lockorder.md) against it.
 * cli/lockgraph.ts renders both.
 */
import type { Violation } from '../checker/point.ts';
import type { Coverage } from '../checker/search/exhaustive.ts';
import { exploreScenarios, type ScenarioFound } from '../checker/search/space-search.ts';
import { type LockCycle, type LockEdge, LockGraph } from '../kernel/lockdep/lockgraph.ts';
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
  /** the shortest execution that deadlocked, if the search reached one */
  readonly deadlock: ScenarioFound | null;
  readonly millis: number;
}

/**
 * Explores the target's space feeding a LockGraph. Every property's monitors
 * run except lock-order's own (lockdep would end an execution at the
 * acquisition that closes a cycle, before the deadlock it predicts), so an
 * execution still ends at any other violation; deadlocks are collected.
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
    isFailure: (v: Violation) => v.kind === 'deadlock' || isFault(v),
    collectAll: true,
    endsSearch: isFault,
    ...(opts.timeLimitMs === undefined ? {} : { timeLimitMs: opts.timeLimitMs }),
    ...(opts.maxMemoryBytes === undefined ? {} : { maxMemoryBytes: opts.maxMemoryBytes }),
  };
  const t0 = Date.now();
  // one list, searched by one call, so a time limit bounds the whole run and not each scenario of a profile
  const scenarios = target.scenarios();
  const r = exploreScenarios(target.system, scenarios, options, (d, t, c) => opts.onProgress?.(d, t, c, Date.now() - t0));
  // a design whose code throws or never ends would otherwise yield a partial graph that looks clean
  throwIfFault(target.design.name, r.byKind);
  const coverage = r.coverage;
  const deadlock = r.byKind.get('deadlock') ?? null;
  const edges = graph.edges().sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return {
    graph,
    edges,
    cycles: graph.cycles(),
    coverage,
    scenarios: r.scenarios,
    scenariosTotal: scenarios.total,
    deadlock,
    millis: Date.now() - t0,
  };
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
