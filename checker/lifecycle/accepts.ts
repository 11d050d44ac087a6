import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

/**
 * The "accepted" rule: does a lifecycle machine, in `snapshot`, accept `event`?
 *
 *   accepted  ⇔  snapshot.status === 'active'
 *              ∧ machine.getTransitionData(snapshot, event) is non-empty
 *
 * `getTransitionData` is the very selection `machine.transition` starts every
 * macrostep with: it walks the active state and its ancestors, matches event
 * descriptors (including wildcards) and evaluates guards, returning the
 * enabled transitions. So an event is accepted exactly when XState would take
 * at least one transition for it. That gives the right answer for:
 *
 * - targeted transitions (`on: { OPEN: 'opening' }`): accepted;
 * - targetless transitions, with or without `assign` (`on: { PING: {} }`,
 *   `on: { DATA: { actions: assign(...) } }`): accepted;
 * - self-transitions, re-entering or not (`target: 'open'` from `open`): accepted;
 * - guarded transitions whose guards all fail: not accepted;
 * - events no state handles: not accepted;
 * - final (done) machines: nothing accepted.
 *
 * Why not compare snapshot identity (`next === prev` ⇒ not accepted)? Because
 * XState returns the *same object* for several accepted cases too: a
 * targetless transition without actions, and a self-transition that changes
 * no context both leave `next === prev`. Identity is only a one-way check
 * (not accepted ⇒ unchanged), which the compiler asserts on every refusal.
 *
 * Why refuse everything once done? XState's pure `transition()` still runs
 * root-level `on` handlers against a done snapshot (it can even change its
 * context), while a running actor ignores every event once it is done. The
 * compiled lifecycle follows the actor: a door that has been demolished
 * cannot be opened, whatever handlers its definition has at the top.
 */
export function accepts(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): boolean {
  return snapshot.status === 'active' && machine.getTransitionData(snapshot, event).length > 0;
}
