import type { ExecView, Monitor } from '../../checker/monitor.ts';
import type { ModelEvent } from '../../checker/point.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { stackText } from '../primitive.ts';
import { type HeldLock, heldStack } from '../task.ts';
import { describeCycle, type WitnessLike } from './cycle.ts';
import { analyze, DEP_BIT, DEP_TYPES, type Dep, type DepType, depType } from './deps.ts';
import { DepGraph, type Hop, isExclusiveStart, isReadEnd } from './graph.ts';
import { noteClasses } from './monitor.ts';
import { type PendingSignal, PendingSignals } from './pending.ts';
import { recursiveBugReport } from './report.ts';

/**
 * Lockdep across executions: like the kernel's graph, which lives as long as the
 * machine, this one is never reset. Any search feeds it through `recorder()`
 * (a monitor that never reports). For every typed edge it keeps the shortest
 * witness: the execution prefix (thread choices, up to and including the step
 * that made the dependency) that replays to it with runPath().
 */
export interface Witness extends WitnessLike {
  readonly scenario: Scenario;
  /** thread index of every step, up to and including the acquiring one */
  readonly path: readonly number[];
  /** the task's held locks when it made the dependency */
  readonly held: readonly HeldLock[];
  /** the dependency itself, with where each side was taken */
  readonly dep: Dep;
}

export interface LockEdge {
  readonly from: string;
  readonly to: string;
  readonly types: readonly DepType[];
  /** the shortest witness over the edge's types */
  readonly witness: Witness;
}

/** A strong cycle: hops[i] goes from classes[i] to classes[i+1] (and the last back to classes[0]). */
export interface LockCycle {
  readonly classes: readonly string[];
  readonly hops: readonly Hop<Witness>[];
  readonly kind: 'lockdep-cycle' | 'wait-under-lock';
}

/**
 * Same-class recursion (check_deadlock): a class taken while a lock of that
 * class is already held, which lockdep reports as "possible recursive locking
 * detected" without needing any edge. Its witness's dep is held -> taken.
 */
export interface LockRecursion {
  readonly class: string;
  readonly witness: Witness;
}

/** Edges that go against a declared order: `later` is held while `earlier` is taken, directly or through others. */
export interface OrderViolation {
  readonly earlier: string;
  readonly later: string;
  readonly path: readonly Hop<Witness>[];
}

/** Shorter paths first, then lexicographically smaller ones: independent of search order. */
export function shorter(a: Witness, b: Witness): boolean {
  if (a.path.length !== b.path.length) return a.path.length < b.path.length;
  for (let i = 0; i < a.path.length; i++) {
    const x = a.path[i] as number;
    const y = b.path[i] as number;
    if (x !== y) return x < y;
  }
  return false;
}

export class LockGraph {
  private readonly g = new DepGraph<Witness>();
  /** the shortest witness of each class taken recursively */
  private readonly recursive = new Map<string, Witness>();

  /** Number of (from, to) class pairs. */
  get size(): number {
    return this.g.size;
  }

  /**
   * A monitor that feeds this graph; it never reports anything. Its only
   * per-execution memory is the signals not yet committed (pending.ts: a
   * complete() followed by a wait on the same completion in the same critical
   * section is no dependency).
   */
  recorder(): Monitor {
    return {
      name: 'lockgraph',
      reset: () => this.pending.clear(),
      save: () => this.pending.save(),
      load: (saved) => this.pending.load(saved),
      key: () => this.pending.key(),
      onEvent: (ev, exec) => (this.observe(ev, exec), null),
    };
  }

  private readonly pending = new PendingSignals<
    PendingSignal & { deps: readonly Dep[]; base: Omit<Witness, 'dep' | 'fn' | 'at' | 'mode'> }
  >();

  /** Takes one event of a running execution. */
  observe(ev: ModelEvent, exec: ExecView): void {
    noteClasses(this.g, ev);
    const held = heldStack(exec.world, exec.thread);
    if (ev.type === 'release') {
      for (const p of this.pending.release(exec.thread, ev.lock as string)) for (const d of p.deps) this.addDep(d, p.base);
      return;
    }
    const a = analyze(ev, held);
    if (!a) return;
    for (const h of held) this.g.noteClass(h.class, h.type);
    const base = { scenario: exec.scenario, path: [...exec.path], stack: [...exec.stack], threadName: exec.thread, held: a.held };
    if (a.recursion) {
      const { prev, next } = a.recursion;
      const w: Witness = {
        ...base,
        fn: next.fn,
        at: next.at,
        mode: 'acquire',
        dep: { mode: 'acquire', prev, next, type: depType(prev.kind, next.kind) },
      };
      const old = this.recursive.get(next.class);
      if (!old || shorter(w, old)) this.recursive.set(next.class, w);
      return;
    }
    if (ev.type === 'signal' && a.deps.length > 0) {
      this.pending.signal(exec.thread, { cls: ev.class as string, locks: held.map((h) => h.lock), deps: a.deps, base });
      return;
    }
    if (ev.type === 'wait') this.pending.wait(exec.thread, ev.class as string);
    for (const d of a.deps) this.addDep(d, base);
  }

  private addDep(d: Dep, base: Omit<Witness, 'dep' | 'fn' | 'at' | 'mode'>): void {
    if (!this.wouldImprove(d, base.path.length)) return;
    const at = d.mode === 'signal' ? d.prev : d.next;
    this.g.add(d.prev.class, d.next.class, d.type, { ...base, fn: at.fn, at: at.at, mode: d.mode, dep: d }, shorter);
  }

  private wouldImprove(d: Dep, pathLength: number): boolean {
    const e = this.g.edge(d.prev.class, d.next.class);
    if (!e) return true;
    const old = e.witness[DEP_TYPES.indexOf(d.type)];
    return old === undefined || pathLength <= old.path.length;
  }

  /** Every class seen. */
  classes(): string[] {
    const s = new Set<string>();
    for (const { from, to } of this.g.edges()) s.add(from).add(to);
    return [...s];
  }

  edges(): LockEdge[] {
    const out: LockEdge[] = [];
    for (const { from, to, info } of this.g.edges()) {
      const types = DEP_TYPES.filter((t) => info.types & DEP_BIT[t]);
      let best: Witness | undefined;
      for (const w of info.witness) if (w && (!best || shorter(w, best))) best = w;
      if (best) out.push({ from, to, types, witness: best });
    }
    return out;
  }

  /** Every class taken while already held, by class name, with its shortest witness. */
  recursions(): LockRecursion[] {
    return [...this.recursive].sort(([a], [b]) => a.localeCompare(b)).map(([cls, witness]) => ({ class: cls, witness }));
  }

  /** The lockdep report of a recursion (print_deadlock_bug), at its witness. */
  recursionReport(r: LockRecursion): string {
    const w = r.witness;
    return recursiveBugReport(w.threadName, w.dep.next, w.dep.prev, w.held, w.stack);
  }

  /** Is there an edge from one class to another (any type)? */
  hasEdge(from: string, to: string): boolean {
    return this.g.edge(from, to) !== undefined;
  }

  /**
   * Every strong cycle, each once (rotated to start at its smallest class), found
   * as lockdep would: an edge plus a strong path back that keeps the joints strong.
   */
  cycles(): LockCycle[] {
    const found = new Map<string, LockCycle>();
    for (const { from, to, info } of this.g.edges()) {
      for (const t of DEP_TYPES) {
        if (!(info.types & DEP_BIT[t])) continue;
        const back = this.g.strongPath(to, isReadEnd(t), from, isExclusiveStart(t));
        if (!back) continue;
        const first: Hop<Witness> = { from, to, type: t, witness: info.witness[DEP_TYPES.indexOf(t)] as Witness };
        let hops = [first, ...back];
        const classes = hops.map((h) => h.from);
        let start = 0;
        for (let i = 1; i < classes.length; i++) if ((classes[i] as string) < (classes[start] as string)) start = i;
        hops = [...hops.slice(start), ...hops.slice(0, start)];
        const key = hops.map((h) => `${h.from}-${h.type}`).join('>');
        if (found.has(key)) continue;
        const wait = hops.some((h) => h.witness.mode !== 'acquire');
        found.set(key, { classes: hops.map((h) => h.from), hops, kind: wait ? 'wait-under-lock' : 'lockdep-cycle' });
      }
    }
    return [...found.values()].sort((a, b) => a.hops.length - b.hops.length);
  }

  /**
   * Checks a declared lock order (earlier classes are taken first): every pair
   * for which the graph has a path from a later class to an earlier one.
   */
  checkOrder(order: readonly string[]): OrderViolation[] {
    const out: OrderViolation[] = [];
    for (let i = 0; i < order.length; i++)
      for (let j = i + 1; j < order.length; j++) {
        const earlier = order[i] as string;
        const later = order[j] as string;
        const path = this.g.anyPath(later, earlier);
        if (path && path.length > 0) out.push({ earlier, later, path });
      }
    return out;
  }

  /**
   * The lockdep report of a cycle, as if the dependency with the longest witness
   * (the last to be made) were being added.
   */
  report(cycle: LockCycle): string {
    let j = 0;
    cycle.hops.forEach((h, i) => {
      if (h.witness.path.length >= (cycle.hops[j] as Hop<Witness>).witness.path.length) j = i;
    });
    const closing = cycle.hops[j] as Hop<Witness>;
    const back = [...cycle.hops.slice(j + 1), ...cycle.hops.slice(0, j)];
    const w = closing.witness;
    return describeCycle(w.dep, back, {
      thread: w.threadName,
      stack: w.stack,
      held: w.held,
      classType: (c) => this.g.classType(c),
    }).report;
  }

  /** One line per edge: `A -> B [EN] by T1 in f > mutex_lock (path 0,0,1)`. */
  describeEdges(): string[] {
    return this.edges().map(
      (e) =>
        `${e.from} -> ${e.to} [${e.types.join(',')}] by ${e.witness.threadName} in ${stackText(e.witness.stack)} (path ${e.witness.path.join(',')})`,
    );
  }

  /** Text for an order violation. */
  describeOrderViolation(v: OrderViolation): string {
    const hops = v.path.map((h) => `${h.to} taken under ${h.from} by ${h.witness.threadName} in ${stackText(h.witness.stack)}`);
    return `declared order ${v.earlier} before ${v.later} broken: ${hops.join('; ')}`;
  }
}
