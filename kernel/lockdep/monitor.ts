import type { ExecView, Monitor } from '../../checker/monitor.ts';
import type { ModelEvent, Violation } from '../../checker/point.ts';
import { stackText } from '../primitive.ts';
import { type HeldLock, heldStack } from '../task.ts';
import { describeCycle, type WitnessLike } from './cycle.ts';
import { type Analysis, analyze, type Dep } from './deps.ts';
import type { AcquireEvent } from './events.ts';
import { DepGraph, isExclusiveStart, isReadEnd } from './graph.ts';
import { type PendingSignal, PendingSignals } from './pending.ts';
import { recursiveBugReport } from './report.ts';

interface Signal extends PendingSignal {
  readonly deps: readonly Dep[];
  readonly held: readonly HeldLock[];
  readonly stack: readonly string[];
}

/** Where an edge of one execution came from. */
export type LocalWitness = WitnessLike;

/** Records the classes an event shows (for the usage string of reports). */
export function noteClasses<W>(g: DepGraph<W>, ev: ModelEvent, writable: () => DepGraph<W> = () => g): void {
  if (ev.type === 'acquire') {
    const a = ev as unknown as AcquireEvent;
    // Stryker disable next-line ConditionalExpression: equivalent, noteClass() makes the same test; this one only spares a copy of a shared graph
    if (g.wouldNote(a.class, a.lockType)) writable().noteClass(a.class, a.lockType);
  } else if ((ev.type === 'wait' || ev.type === 'signal') && typeof ev.class === 'string' && g.wouldNote(ev.class, 'map'))
    writable().noteClass(ev.class, 'map');
}

/**
 * Lockdep for one execution (kernel/locking/lockdep.c validate_chain): builds the
 * class dependency graph from the primitives' events and reports, at the
 * acquisition (or wait, or signal) that closes it, a strong cycle
 * (`lockdep-cycle`, or `wait-under-lock` when it runs through a wait class) and
 * same-class recursion (`lockdep-recursion`). The graph is per execution
 * (reset()); key() returns it so that state caching stays sound. Lockdep across
 * executions is LockGraph (lockgraph.ts).
 */
export class LockdepMonitor implements Monitor {
  readonly name = 'lockdep';
  private graph = new DepGraph<LocalWitness>();
  /** signals not yet turned into edges (pending.ts) */
  private readonly pending = new PendingSignals<Signal>();
  /** the graph is also held by a saved state: copy it before changing it */
  // Stryker disable next-line BooleanLiteral: equivalent, a needless copy of the graph changes nothing but time
  private shared = false;

  reset(): void {
    this.graph = new DepGraph();
    this.pending.clear();
    // Stryker disable next-line BooleanLiteral: equivalent, a needless copy of the graph changes nothing but time
    this.shared = false;
  }

  save(): unknown {
    this.shared = true;
    return { graph: this.graph, pending: this.pending.save() };
  }

  load(saved: unknown): void {
    const s = saved as { graph: DepGraph<LocalWitness>; pending: unknown };
    this.graph = s.graph;
    this.shared = true;
    this.pending.load(s.pending);
  }

  private writable(): DepGraph<LocalWitness> {
    // Stryker disable next-line ConditionalExpression: 'true' is equivalent (a copy every time changes nothing but time)
    if (this.shared) {
      this.graph = this.graph.clone();
      this.shared = false;
    }
    return this.graph;
  }

  key(): string {
    const pending = this.pending.key();
    return pending ? `${this.graph.key()}|${pending}` : this.graph.key();
  }

  /** The current execution's dependency graph (read-only use). */
  get dependencies(): DepGraph<LocalWitness> {
    return this.graph;
  }

  onEvent(ev: ModelEvent, exec: ExecView): Violation | null {
    noteClasses(this.graph, ev, () => this.writable());
    const held = heldStack(exec.world, exec.thread);
    if (ev.type === 'release') return this.commitSignals(exec, this.pending.release(exec.thread, ev.lock as string));
    const a = analyze(ev, held);
    if (!a) return null;
    // Stryker disable next-line ConditionalExpression: 'true' is equivalent, noteClass() makes the same test; this one only spares a copy of a shared graph
    for (const h of held) if (this.graph.wouldNote(h.class, h.type)) this.writable().noteClass(h.class, h.type);
    if (a.recursion) return this.recursion(a, exec);
    if (ev.type === 'signal' && a.deps.length > 0) {
      this.pending.signal(exec.thread, {
        cls: ev.class as string,
        locks: held.map((h) => h.lock),
        deps: a.deps,
        held,
        stack: [...exec.stack],
      });
      return null;
    }
    if (ev.type === 'wait') this.pending.wait(exec.thread, ev.class as string);
    return this.addDeps(a.deps, a.held, exec.thread, exec.stack);
  }

  /** Turns signals the task made under a lock it releases into edges. */
  private commitSignals(exec: ExecView, commit: readonly Signal[]): Violation | null {
    for (const p of commit) {
      const v = this.addDeps(p.deps, p.held, exec.thread, p.stack);
      if (v) return v;
    }
    return null;
  }

  private addDeps(deps: readonly Dep[], held: readonly HeldLock[], thread: string, stack: readonly string[]): Violation | null {
    for (const d of deps) {
      const g = this.graph;
      if (g.has(d.prev.class, d.next.class, d.type)) continue;
      const path = g.strongPath(d.next.class, isReadEnd(d.type), d.prev.class, isExclusiveStart(d.type));
      if (path) {
        const c = describeCycle(d, path, { thread, stack, held, classType: (cls) => g.classType(cls) });
        return { kind: c.kind, message: c.message, report: c.report };
      }
      const at = d.mode === 'signal' ? d.prev : d.next;
      this.writable().add(d.prev.class, d.next.class, d.type, {
        threadName: thread,
        stack: [...stack],
        fn: at.fn,
        at: at.at,
        mode: d.mode,
      });
    }
    return null;
  }

  private recursion(a: Analysis, exec: ExecView): Violation {
    const r = a.recursion as NonNullable<Analysis['recursion']>;
    return {
      kind: 'lockdep-recursion',
      message: `possible recursive locking: ${exec.thread} acquires ${r.next.class} (${r.next.fn} in ${stackText(exec.stack)}) while already holding it (taken in ${r.prev.at})`,
      report: recursiveBugReport(exec.thread, r.next, r.prev, a.held, exec.stack),
    };
  }
}
