import { stackText } from '../primitive.ts';
import type { HeldLock, LockType } from '../task.ts';
import type { Dep, DepMode } from './deps.ts';
import type { Hop } from './graph.ts';
import { type ChainLink, circularBugReport } from './report.ts';

/** What every witness of an edge says: who took the lock, where, and how. */
export interface WitnessLike {
  readonly threadName: string;
  /** call stack when the dependency was made, outermost first */
  readonly stack: readonly string[];
  readonly fn: string;
  readonly at: string;
  readonly mode: DepMode;
}

/**
 * The violation kind of a cycle: `wait-under-lock` when it goes through a wait
 * (some task waits, holding a lock, for something whose signaller needs that
 * lock: the cycle passes through a wait class, a pseudo-lock), else
 * `lockdep-cycle`. The detection is the same strong-cycle test either way.
 */
export function cycleKind(d: Dep, path: readonly Hop<WitnessLike>[]): 'lockdep-cycle' | 'wait-under-lock' {
  return d.mode !== 'acquire' || path.some((h) => h.witness.mode !== 'acquire') ? 'wait-under-lock' : 'lockdep-cycle';
}

function hopText(h: Hop<WitnessLike>): string {
  const w = h.witness;
  const how =
    w.mode === 'wait' ? `waited for under ${h.from}` : w.mode === 'signal' ? `needed to signal ${h.from}` : `taken under ${h.from}`;
  return `${h.to} ${how} by ${w.threadName} in ${stackText(w.stack)}`;
}

export interface CycleContext {
  readonly thread: string;
  readonly stack: readonly string[];
  readonly held: readonly HeldLock[];
  readonly classType: (cls: string) => LockType | undefined;
}

/** Message and lockdep report of the cycle closed by `d`, through the existing `path` from d.next to d.prev. */
export function describeCycle(
  d: Dep,
  path: readonly Hop<WitnessLike>[],
  c: CycleContext,
): { kind: 'lockdep-cycle' | 'wait-under-lock'; message: string; report: string } {
  const kind = cycleKind(d, path);
  const chain: ChainLink[] = [{ class: d.next.class, stack: c.stack }];
  for (const h of path) chain.push({ class: h.to, stack: h.witness.stack });
  const last = path[path.length - 1];
  const report = circularBugReport({
    thread: c.thread,
    mode: d.mode,
    next: d.next,
    prev: d.prev,
    chain,
    held: c.held,
    stack: c.stack,
    classType: c.classType,
    ...(last ? { waitFn: last.witness.fn } : {}),
  });
  const classes = [d.next.class, ...path.map((h) => h.to)].join(' -> ');
  const known = path.length > 0 ? path.map(hopText).join('; ') : `${d.next.class} is ${d.prev.class}`;
  const where = `${d.mode === 'signal' ? d.prev.fn : d.next.fn} in ${stackText(c.stack)}`;
  let what: string;
  if (d.mode === 'signal') what = `${c.thread} signals ${d.prev.class} (${where}) while holding ${d.next.class} (taken in ${d.next.at})`;
  else if (d.mode === 'wait')
    what = `${c.thread} waits for ${d.next.class} (${where}) while holding ${d.prev.class} (taken in ${d.prev.at})`;
  else what = `${c.thread} acquires ${d.next.class} (${where}) while holding ${d.prev.class} (taken in ${d.prev.at})`;
  const message = `possible circular locking dependency: ${what}; existing chain ${classes}: ${known}`;
  return { kind, message, report };
}
