import { describe, expect, it } from 'vitest';
import { assign, createMachine, fromPromise, raise, setup } from 'xstate';
import { assertCompilable, UncompilableLifecycleError } from '../../../checker/lifecycle/reject.ts';

// What assertCompilable refuses, and the reason it gives: the message is what a model author reads
// when a lifecycle machine is refused, so each case pins the whole sentence.

type Machine = Parameters<typeof assertCompilable>[0];

function refusal(machine: Machine): UncompilableLifecycleError {
  try {
    assertCompilable(machine);
  } catch (e) {
    if (e instanceof UncompilableLifecycleError) return e;
    throw e;
  }
  throw new Error(`machine "${machine.id}" was accepted`);
}

const refused = (machine: Machine) => refusal(machine).message;
const prefix = 'lifecycle machine "m" cannot be compiled: state';
const onlyAssign = 'only assign actions are allowed in lifecycle machines';

describe('assertCompilable: what it refuses and why', () => {
  it('throws an error named UncompilableLifecycleError (its name is what a stack trace prints)', () => {
    const e = refusal(createMachine({ id: 'm', type: 'parallel', states: { x: {}, y: {} } }));
    expect(e.name).toBe('UncompilableLifecycleError');
    expect(String(e)).toMatch(/^UncompilableLifecycleError: lifecycle machine "m"/);
  });

  it('names every invoked actor', () => {
    const job = fromPromise(async () => 1);
    const m = createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: {
          invoke: [
            { id: 'job', src: job },
            { id: 'poll', src: job },
          ],
        },
      },
    });
    expect(refused(m)).toBe(`${prefix} "m.a" uses invoke (job, poll); child actors cannot be memoized`);
  });

  it('looks into the actions of eventless (always) transitions', () => {
    const m = createMachine({ id: 'm', initial: 'a', states: { a: { always: { target: 'b', actions: raise({ type: 'X' }) } }, b: {} } });
    expect(refused(m)).toBe(`${prefix} "m.a" has action xstate.raise in its always transition; ${onlyAssign}`);
  });

  it('looks into the actions of a compound state initial transition', () => {
    const m = createMachine({ id: 'm', initial: { target: 'a', actions: [function greet() {}] }, states: { a: {} } });
    expect(refused(m)).toBe(`${prefix} "m" has action inline function "greet" in its initial transition; ${onlyAssign}`);
  });

  it('names an inline function by its name, or "anonymous"', () => {
    const named = createMachine({ id: 'm', initial: 'a', states: { a: { entry: function ring() {} } } });
    expect(refused(named)).toBe(`${prefix} "m.a" has action inline function "ring" in its entry; ${onlyAssign}`);
    const anonymous = createMachine({ id: 'm', initial: 'a', states: { a: { entry: [() => {}] } } });
    expect(refused(anonymous)).toBe(`${prefix} "m.a" has action inline function "anonymous" in its entry; ${onlyAssign}`);
  });

  it('names a built-in action creator by its type, not by its function name', () => {
    const m = createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { actions: raise({ type: 'X' }) } } } } });
    expect(refused(m)).toBe(`${prefix} "m.a" has action xstate.raise in its transition on "GO"; ${onlyAssign}`);
  });

  it('tells an implemented non-assign action apart from a missing implementation', () => {
    const beep = setup({ actions: { beep: () => {} } }).createMachine({ id: 'm', initial: 'a', states: { a: { exit: 'beep' } } });
    expect(refused(beep)).toBe(`${prefix} "m.a" has action "beep" in its exit; ${onlyAssign}`);
    const missing = createMachine({ id: 'm', initial: 'a', states: { a: { entry: { type: 'missing', params: { n: 1 } } } } });
    expect(refused(missing)).toBe(`${prefix} "m.a" has action "missing" in its entry with no implementation provided`);
  });

  it('refuses an action that is neither a function nor a name', () => {
    const m = createMachine({ id: 'm', initial: 'a', states: { a: { entry: [null as never] } } });
    expect(refused(m)).toBe(`${prefix} "m.a" has action null in its entry with no implementation provided`);
  });

  it('accepts assign everywhere an action can be: entry, exit, initial, on, always', () => {
    const s = setup({ types: { context: {} as { n: number } }, actions: { bump: assign({ n: ({ context }) => context.n + 1 }) } });
    const bump = s.assign({ n: ({ context }) => context.n + 1 });
    const m = s.createMachine({
      id: 'm',
      context: { n: 0 },
      initial: { target: 'a', actions: 'bump' },
      states: {
        a: { entry: bump, exit: { type: 'bump' }, on: { GO: { target: 'b', actions: ['bump', bump] } } },
        b: { always: { guard: ({ context }) => context.n > 10, target: 'c', actions: bump }, on: { STOP: 'c' } },
        c: { type: 'final', entry: 'bump' },
      },
    });
    expect(() => assertCompilable(m)).not.toThrow();
  });
});
