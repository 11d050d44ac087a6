import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** Thrown by {@link assertCompilable}; the message names the machine and the offending state. */
export class UncompilableLifecycleError extends Error {
  override name = 'UncompilableLifecycleError';
}

/**
 * Compile-time gate: which lifecycle machines may be memoized at all.
 *
 * The compiled table replays a transition XState computed once for every later
 * visit to the same (state, event) pair. That is only sound when the next
 * snapshot is a pure function of the current state value, context and event.
 * Everything refused here breaks that, or hides state the interning key does
 * not see:
 *
 * - `invoke`, `spawnChild` and spawning: child actors are state outside
 *   value/context, and they run on their own.
 * - `after`: delayed transitions depend on a clock, not on events.
 * - actions other than `assign` (inline functions, `raise`, `sendTo`,
 *   `enqueueActions`, `log`, `emit`, ...): side effects or internal events the
 *   table would replay zero times instead of once per step. A lifecycle
 *   machine describes *what state an object is in*, not what to do about it.
 * - history states: their memory lives in `historyValue`, not in the key.
 * - parallel states: a lifecycle state is one path ("open.reading"), so
 *   independent regions belong in separate lifecycle machines that the model
 *   composes; `value()` could not name them otherwise.
 *
 * Guards are accepted as they are (named via `setup` or inline), but they must
 * be pure functions of context and event: a guard that reads a clock, a
 * counter or anything mutable is replayed from the table, not re-evaluated,
 * and the compiled machine silently diverges. Nothing here can check that.
 */
export function assertCompilable(machine: AnyStateMachine): void {
  visit(machine, machine.root);
}

function visit(machine: AnyStateMachine, node: AnyStateNode): void {
  const fail = (why: string): never => {
    throw new UncompilableLifecycleError(`lifecycle machine "${machine.id}" cannot be compiled: state "${node.id}" ${why}`);
  };

  if (node.type === 'parallel') fail('is a parallel state; compile each region as its own lifecycle machine');
  if (node.type === 'history') fail('is a history state; history is not part of the interned key');
  if (node.invoke.length > 0) fail(`uses invoke (${node.invoke.map((i) => i.id).join(', ')}); child actors cannot be memoized`);
  if (node.after.length > 0) fail('uses after (delayed transitions); the compiled table has no clock');

  checkActions(machine, node.entry, 'entry', fail);
  checkActions(machine, node.exit, 'exit', fail);
  // Every node has an initial transition; only a compound one's can carry actions (XState gives the others none)
  checkActions(machine, node.initial.actions, 'initial transition', fail);
  for (const [eventType, transitions] of node.transitions) {
    for (const t of transitions) checkActions(machine, t.actions, `transition on "${eventType}"`, fail);
  }
  for (const t of node.always ?? []) checkActions(machine, t.actions, 'always transition', fail);

  for (const child of Object.values(node.states)) visit(machine, child);
}

const ASSIGN = 'xstate.assign';

function checkActions(machine: AnyStateMachine, actions: readonly unknown[], where: string, fail: (why: string) => never): void {
  for (const action of actions) {
    const { label, impl } = resolveAction(machine, action);
    if (isBuiltin(impl, ASSIGN)) continue;
    if (isBuiltin(impl, 'xstate.spawnChild')) fail(`spawns a child actor in its ${where} (${label}); child actors cannot be memoized`);
    if (impl === undefined) fail(`has action ${label} in its ${where} with no implementation provided`);
    fail(`has action ${label} in its ${where}; only assign actions are allowed in lifecycle machines`);
  }
}

/** Named actions (`'bump'` or `{ type: 'bump', params }`) resolve through the machine's implementations, as XState does. */
function resolveAction(machine: AnyStateMachine, action: unknown): { label: string; impl: unknown } {
  if (typeof action === 'function') {
    const type = (action as { type?: unknown }).type;
    return { label: typeof type === 'string' ? type : `inline function "${action.name || 'anonymous'}"`, impl: action };
  }
  const name = typeof action === 'string' ? action : (action as { type?: unknown } | null)?.type;
  if (typeof name !== 'string') return { label: String(action), impl: undefined };
  const impls = machine.implementations.actions as Record<string, unknown>;
  return { label: `"${name}"`, impl: impls[name] };
}

function isBuiltin(impl: unknown, type: string): boolean {
  return typeof impl === 'function' && (impl as { type?: unknown }).type === type;
}
