import { type AnyActorScope, type AnyStateMachine, createActor } from 'xstate';

/**
 * One reusable actor scope for calling `machine.transition` directly.
 *
 * XState's `transition(machine, snapshot, event)` helper builds a fresh inert
 * scope (a whole `Actor` plus an actor system) on every call, which dominates
 * its cost. Its scope factory (`createInertActorScope`) is not exported in
 * xstate 5.33, so this rebuilds the same shape from public pieces:
 * `createActor` for `self`/`system` and no-op hooks, the way the helper does.
 *
 * Sharing one scope is safe only because `assertCompilable` admitted nothing
 * that talks to it: `assign` is resolved in place and never reaches the action
 * executor, and there are no children to stop or events to emit. Any action
 * that does reach the executor means that gate was bypassed, so it throws
 * rather than dropping the action on the floor.
 */
export function createSharedScope(machine: AnyStateMachine, input: unknown): AnyActorScope {
  // The actor is never started; its constructor only computes an initial snapshot.
  const self = createActor(machine, { input });
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor: (action) => {
      throw new Error(`lifecycle machine "${machine.id}" tried to execute action "${action.type}"; only assign actions can be compiled`);
    },
  };
}
