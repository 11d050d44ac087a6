import { isDeepStrictEqual } from 'node:util';
import { type AnyMachineSnapshot, type AnyStateMachine, type EventObject, initialTransition, transition } from 'xstate';
import { accepts } from './accepts.ts';
import type { CompiledLifecycle, CompileOptions } from './compile.ts';
import { dottedValue } from './value.ts';

/** First point where a compiled lifecycle and XState tell different stories. */
export interface Disagreement<E extends EventObject> {
  /** Index of the sequence in the list passed to `conformanceCheck`. */
  readonly sequence: number;
  /** Index of the event in that sequence; -1 for the initial state. */
  readonly step: number;
  readonly event: E | undefined;
  readonly field: 'accepted' | 'value' | 'context' | 'final';
  readonly xstate: unknown;
  readonly compiled: unknown;
}

/**
 * Replay event sequences through a compiled lifecycle and through plain XState
 * side by side, and return the first disagreement, or null.
 *
 * The compiler is only worth trusting if its table can be caught lying, so the
 * reference side deliberately shares as little with it as possible: a fresh
 * `initialTransition`, and the public `transition()` helper (new inert scope
 * per call, no memo, no interning, no frozen contexts). The one thing both
 * sides share is the definition of "accepted" (`accepts.ts`), because that is a
 * definition rather than an implementation: an event the machine does not
 * accept leaves the reference snapshot where it is, just as the compiled side
 * returns -1 and stays put.
 *
 * Pass the same `input` the lifecycle was compiled with.
 */
export function conformanceCheck<E extends EventObject>(
  machine: AnyStateMachine,
  compiled: CompiledLifecycle<E>,
  sequences: readonly (readonly E[])[],
  options: CompileOptions = {},
): Disagreement<E> | null {
  for (let sequence = 0; sequence < sequences.length; sequence++) {
    const events = sequences[sequence] ?? [];
    let [reference] = initialTransition(machine, options.input);
    let state = compiled.initial;
    const initialDiff = compare(reference, compiled, state);
    if (initialDiff) return { sequence, step: -1, event: undefined, ...initialDiff };

    for (let step = 0; step < events.length; step++) {
      const event = events[step] as E;
      const referenceAccepts = accepts(machine, reference, event);
      const next = compiled.step(state, event);
      if (referenceAccepts !== (next !== -1)) {
        return { sequence, step, event, field: 'accepted', xstate: referenceAccepts, compiled: next !== -1 };
      }
      if (!referenceAccepts) continue;
      [reference] = transition(machine, reference, event);
      state = next;
      const diff = compare(reference, compiled, state);
      if (diff) return { sequence, step, event, ...diff };
    }
  }
  return null;
}

type FieldDiff = Pick<Disagreement<EventObject>, 'field' | 'xstate' | 'compiled'>;

function compare<E extends EventObject>(reference: AnyMachineSnapshot, compiled: CompiledLifecycle<E>, state: number): FieldDiff | null {
  const value = dottedValue(reference.value);
  if (value !== compiled.value(state)) return { field: 'value', xstate: value, compiled: compiled.value(state) };
  if (!isDeepStrictEqual(reference.context, compiled.context(state))) {
    return { field: 'context', xstate: reference.context, compiled: compiled.context(state) };
  }
  const final = reference.status === 'done';
  if (final !== compiled.isFinal(state)) return { field: 'final', xstate: final, compiled: compiled.isFinal(state) };
  return null;
}
