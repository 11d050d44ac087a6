import { describe, expect, it } from 'vitest';
import { assign, createMachine } from 'xstate';
import { compileLifecycle } from '../../../checker/lifecycle/compile.ts';
import { conformanceCheck } from '../../../checker/lifecycle/conformance.ts';

// conformanceCheck must catch a compiled table that disagrees with XState, on each field it
// compares, and say where: which sequence, which step, which event. Each case compiles one
// machine and checks it against a slightly different one, as a table gone wrong would be.

type Ev = { type: string };

interface LampOptions {
  /** context the lamp starts with */
  readonly flips?: number;
  /** what ON adds to flips */
  readonly step?: number;
  /** does the lamp also take DIM while on? */
  readonly dims?: boolean;
  /** is 'broken' a final state? */
  readonly brokenIsFinal?: boolean;
}

function lamp({ flips = 0, step = 1, dims = false, brokenIsFinal = true }: LampOptions = {}) {
  return createMachine({
    id: 'lamp',
    initial: 'off',
    context: { flips },
    states: {
      off: { on: { ON: { target: 'on', actions: assign({ flips: ({ context }) => context.flips + step }) }, BREAK: 'broken' } },
      on: { on: dims ? { OFF: 'off', DIM: 'dim' } : { OFF: 'off' } },
      dim: { on: { OFF: 'off' } },
      broken: brokenIsFinal ? { type: 'final' } : {},
    },
  });
}

const compiled = (options: LampOptions = {}) => compileLifecycle<Ev>(lamp(options));
const ev = (...types: string[]): Ev[] => types.map((type) => ({ type }));

describe('conformanceCheck', () => {
  it('finds nothing when the table is the machine, over several sequences', () => {
    const c = compiled({ dims: true });
    expect(conformanceCheck(lamp({ dims: true }), c, [ev('ON', 'DIM', 'OFF'), ev('ON', 'FLY', 'OFF', 'BREAK', 'ON'), []])).toBeNull();
  });

  it('a different initial context: step -1, no event', () => {
    expect(conformanceCheck(lamp({ flips: 5 }), compiled(), [ev('ON')])).toEqual({
      sequence: 0,
      step: -1,
      event: undefined,
      field: 'context',
      xstate: { flips: 5 },
      compiled: { flips: 0 },
    });
  });

  it('checks nothing, not even the initial state, when given no sequence', () => {
    expect(conformanceCheck(lamp({ flips: 5 }), compiled(), [])).toBeNull();
  });

  it('an event XState accepts and the table refuses, in the sequence where it happens', () => {
    expect(conformanceCheck(lamp({ dims: true }), compiled(), [ev('ON', 'OFF'), ev('ON', 'DIM')])).toEqual({
      sequence: 1,
      step: 1,
      event: { type: 'DIM' },
      field: 'accepted',
      xstate: true,
      compiled: false,
    });
  });

  it('an event the table accepts and XState refuses', () => {
    expect(conformanceCheck(lamp(), compiled({ dims: true }), [ev('ON', 'DIM')])).toEqual({
      sequence: 0,
      step: 1,
      event: { type: 'DIM' },
      field: 'accepted',
      xstate: false,
      compiled: true,
    });
  });

  it('an event both refuse leaves both where they are, and the check goes on', () => {
    expect(conformanceCheck(lamp({ step: 2 }), compiled(), [ev('FLY', 'OFF', 'ON')])).toMatchObject({ step: 2, field: 'context' });
  });

  it('a step to a different context', () => {
    expect(conformanceCheck(lamp({ step: 2 }), compiled(), [ev('ON')])).toEqual({
      sequence: 0,
      step: 0,
      event: { type: 'ON' },
      field: 'context',
      xstate: { flips: 2 },
      compiled: { flips: 1 },
    });
  });

  it('a step to the same state, final on one side only', () => {
    expect(conformanceCheck(lamp({ brokenIsFinal: false }), compiled(), [ev('BREAK')])).toEqual({
      sequence: 0,
      step: 0,
      event: { type: 'BREAK' },
      field: 'final',
      xstate: false,
      compiled: true,
    });
  });
});
