import type { AnyStateMachine, EventObject } from 'xstate';
import type { CompiledLifecycle } from './compile.ts';
import { conformanceCheck, type Disagreement } from './conformance.ts';

/**
 * Every (reachable state, event) pair of a compiled lifecycle, as event
 * sequences from the initial state: a shortest path to each state the given
 * events reach (breadth first, at most `maxStates` states), then each event.
 * Replayed by `conformanceCheck`, they ask XState every question the table
 * can be asked with these events, not a random sample of them.
 */
export function stateCover<E extends EventObject>(compiled: CompiledLifecycle<E>, events: readonly E[], maxStates = 256): E[][] {
  const paths = new Map<number, E[]>([[compiled.initial, []]]);
  const queue = [compiled.initial];
  const out: E[][] = [];
  for (let i = 0; i < queue.length; i++) {
    const state = queue[i] as number;
    const path = paths.get(state) as E[];
    for (const e of events) {
      out.push([...path, e]);
      const next = compiled.step(state, e);
      if (next < 0 || paths.has(next) || paths.size >= maxStates) continue;
      paths.set(next, [...path, e]);
      queue.push(next);
    }
  }
  return out;
}

/** The first point where `compiled` and XState disagree on any of `events` in any state they reach, or null. */
export function coverConformance<E extends EventObject>(
  machine: AnyStateMachine,
  compiled: CompiledLifecycle<E>,
  events: readonly E[],
): Disagreement<E> | null {
  return conformanceCheck(machine, compiled, stateCover(compiled, events));
}
