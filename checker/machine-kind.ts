/**
 * An object kind whose lifecycle is an XState machine given as such (not yet
 * compiled): what a design that adds an object kind declares. The machine is
 * compiled once (every design that declares it shares the table, so lifecycle
 * state ids stay comparable across them) and checked against XState on every
 * (state, event) pair its events reach before any search uses it.
 */
import type { AnyStateMachine } from 'xstate';
import { declareKind, type Fields, type KindDecl } from './kind.ts';
import { type CompiledLifecycle, compileLifecycle } from './lifecycle/compile.ts';
import { coverConformance } from './lifecycle/explore.ts';

export interface MachineKind<K extends string = string, F extends Fields = Fields, E extends { readonly type: string } = { type: string }>
  extends KindDecl<K, F, E> {
  /** the XState definition the lifecycle was compiled from */
  readonly machine: AnyStateMachine;
  /** every event (with its payloads) the model sends objects of this kind: what the conformance check asks */
  readonly events: readonly E[];
}

const compiled = new WeakMap<AnyStateMachine, CompiledLifecycle<{ type: string }>>();

/** Thrown when a machine's compiled table and XState disagree: its guards are not pure functions of context and event. */
export class LifecycleConformanceError extends Error {}

export function machineKind<K extends string, F extends Fields, E extends { readonly type: string }>(
  kind: K,
  init: F,
  machine: AnyStateMachine,
  events: readonly E[],
): MachineKind<K, F, E> {
  if (events.length === 0) throw new Error(`object kind ${kind}: give the events the model sends it (none given)`);
  let lifecycle = compiled.get(machine);
  if (!lifecycle) {
    lifecycle = compileLifecycle(machine);
    const d = coverConformance(machine, lifecycle, events);
    if (d)
      throw new LifecycleConformanceError(
        `object kind ${kind}: its compiled lifecycle and XState disagree on ${d.field} after ${JSON.stringify(d.event)} ` +
          `(XState: ${JSON.stringify(d.xstate)}, compiled: ${JSON.stringify(d.compiled)}); its guards must be pure functions of context and event`,
      );
    compiled.set(machine, lifecycle);
  }
  return { ...declareKind(kind, init, lifecycle as unknown as CompiledLifecycle<E>), machine, events };
}
