import type { ExecView, Monitor } from '../../checker/monitor.ts';
import type { ModelEvent, Violation } from '../../checker/point.ts';
import { stackText } from '../primitive.ts';
import { heldStack } from '../task.ts';
import { describeCycle, type WitnessLike } from './cycle.ts';
import { type Analysis, analyze } from './deps.ts';
import type { AcquireEvent } from './events.ts';
import { DepGraph, isExclusiveStart, isReadEnd } from './graph.ts';
import { recursiveBugReport } from './report.ts';

/** Where an edge of one execution came from. */
export type LocalWitness = WitnessLike;

/** Records the classes an event shows (for the usage string of reports). */
export function noteClasses<W>(g: DepGraph<W>, ev: ModelEvent): void {
  if (ev.type === 'acquire') {
    const a = ev as unknown as AcquireEvent;
    g.noteClass(a.class, a.lockType);
  } else if ((ev.type === 'wait' || ev.type === 'signal') && typeof ev.class === 'string') g.noteClass(ev.class, 'map');
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

  reset(): void {
    this.graph = new DepGraph();
  }

  key(): string {
    return this.graph.key();
  }

  /** The current execution's dependency graph (read-only use). */
  get dependencies(): DepGraph<LocalWitness> {
    return this.graph;
  }

  onEvent(ev: ModelEvent, exec: ExecView): Violation | null {
    const g = this.graph;
    noteClasses(g, ev);
    const held = heldStack(exec.world, exec.thread);
    const a = analyze(ev, held);
    if (!a) return null;
    for (const h of held) g.noteClass(h.class, h.type);
    if (a.recursion) return this.recursion(a, exec);
    for (const d of a.deps) {
      if (g.has(d.prev.class, d.next.class, d.type)) continue;
      const path = g.strongPath(d.next.class, isReadEnd(d.type), d.prev.class, isExclusiveStart(d.type));
      if (path) {
        const c = describeCycle(d, path, {
          thread: exec.thread,
          stack: exec.stack,
          held,
          classType: (cls) => g.classType(cls),
        });
        return { kind: c.kind, message: c.message, report: c.report };
      }
      const at = d.mode === 'signal' ? d.prev : d.next;
      g.add(d.prev.class, d.next.class, d.type, {
        threadName: exec.thread,
        stack: [...exec.stack],
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
