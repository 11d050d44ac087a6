import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assign, createMachine, enqueueActions, fromPromise, initialTransition, log, raise, setup, spawnChild, transition } from 'xstate';
import { NotPlainDataError } from '../../checker/lifecycle/canonical.ts';
import { type CompiledLifecycle, compileLifecycle } from '../../checker/lifecycle/compile.ts';
import { conformanceCheck } from '../../checker/lifecycle/conformance.ts';
import { UncompilableLifecycleError } from '../../checker/lifecycle/reject.ts';

// ---------------------------------------------------------------------------
// Toy lifecycle: a network connection with retries and a nested open state.

type ConnEvent =
  | { type: 'CONNECT' }
  | { type: 'CONNECTED' }
  | { type: 'FAIL' }
  | { type: 'SEND'; bytes: number }
  | { type: 'DRAIN' }
  | { type: 'PING' }
  | { type: 'CLOSE' }
  | { type: 'CLOSED' }
  | { type: 'BOGUS' };

function connectionMachine(maxRetries: number) {
  return setup({
    types: { context: {} as { retries: number; sent: number }, events: {} as ConnEvent },
    guards: {
      canRetry: ({ context }) => context.retries < maxRetries,
      hasRoom: ({ context, event }) => event.type === 'SEND' && context.sent + event.bytes <= 6,
    },
    actions: {
      countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    },
  }).createMachine({
    id: 'connection',
    initial: 'idle',
    context: { retries: 0, sent: 0 },
    states: {
      idle: { on: { CONNECT: 'connecting' } },
      connecting: {
        on: {
          CONNECTED: { target: 'open', actions: assign({ retries: 0 }) },
          FAIL: [{ guard: 'canRetry', target: 'connecting', reenter: true, actions: 'countRetry' }, { target: 'closed' }],
          CLOSE: 'closed',
        },
      },
      open: {
        initial: 'quiet',
        states: { quiet: {}, busy: {} },
        on: {
          SEND: {
            guard: 'hasRoom',
            target: '.busy',
            actions: assign({ sent: ({ context, event }) => context.sent + event.bytes }),
          },
          DRAIN: '.quiet',
          PING: {},
          CLOSE: 'closing',
        },
      },
      closing: { on: { CLOSED: 'closed', PING: {} } },
      closed: { type: 'final' },
    },
  });
}

const connection = connectionMachine(3);

const connEvent: fc.Arbitrary<ConnEvent> = fc.oneof(
  fc.constantFrom<ConnEvent>(
    { type: 'CONNECT' },
    { type: 'CONNECTED' },
    { type: 'FAIL' },
    { type: 'DRAIN' },
    { type: 'PING' },
    { type: 'CLOSE' },
    { type: 'CLOSED' },
    { type: 'BOGUS' },
  ),
  fc.integer({ min: 0, max: 4 }).map((bytes): ConnEvent => ({ type: 'SEND', bytes })),
);

describe('compiled lifecycle conforms to XState', () => {
  // One compiled lifecycle across all runs, so later runs mostly hit the memo. Compiled in
  // beforeAll, not while the file is collected: a compiler that throws then fails these tests
  // (a failed import counts for nothing in a mutation run)
  let compiled: CompiledLifecycle<ConnEvent>;
  beforeAll(() => {
    compiled = compileLifecycle<ConnEvent>(connection);
  });

  it('agrees on value, context and acceptance for random event sequences', () => {
    fc.assert(
      fc.property(fc.array(connEvent, { maxLength: 30 }), (events) => {
        expect(conformanceCheck(connection, compiled, [events])).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('agrees step by step with the transition() helper, independently of conformanceCheck', () => {
    fc.assert(
      fc.property(fc.array(connEvent, { maxLength: 30 }), (events) => {
        let [snapshot] = initialTransition(connection);
        let state = compiled.initial;
        for (const event of events) {
          const next = compiled.step(state, event);
          const [after] = transition(connection, snapshot, event);
          if (next === -1) {
            // Refused: XState must not have moved (or the machine is done and ignores events).
            if (snapshot.status === 'active') expect(after).toBe(snapshot);
            continue;
          }
          snapshot = after;
          state = next;
          expect(compiled.snapshot(state).value).toEqual(snapshot.value);
          expect(compiled.context(state)).toEqual(snapshot.context);
          expect(compiled.isFinal(state)).toBe(snapshot.status === 'done');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reports the first disagreement with a different machine', () => {
    const impatient = connectionMachine(1);
    const diff = conformanceCheck(impatient, compiled, [[{ type: 'CONNECT' }, { type: 'FAIL' }, { type: 'FAIL' }]]);
    expect(diff).toEqual({
      sequence: 0,
      step: 2,
      event: { type: 'FAIL' },
      field: 'value',
      xstate: 'closed',
      compiled: 'connecting',
    });
  });

  it('names nested states by dotted path and matches like snapshot.matches', () => {
    const c = compileLifecycle<ConnEvent>(connection);
    let s = c.initial;
    for (const e of [{ type: 'CONNECT' }, { type: 'CONNECTED' }, { type: 'SEND', bytes: 2 }] as ConnEvent[]) {
      s = c.step(s, e);
    }
    expect(c.value(s)).toBe('open.busy');
    expect(c.context(s)).toEqual({ retries: 0, sent: 2 });
    expect(c.matches(s, 'open')).toBe(true);
    expect(c.matches(s, 'open.busy')).toBe(true);
    expect(c.matches(s, 'open.quiet')).toBe(false);
    expect(c.matches(s, 'idle')).toBe(false);
    expect(c.name).toBe('connection');
  });
});

// ---------------------------------------------------------------------------
// The "accepted" rule, case by case, on a door.

const door = setup({
  types: { context: {} as { locked: boolean; knocks: number; coats: number }, events: {} as { type: string } },
  guards: { unlocked: ({ context }) => !context.locked },
}).createMachine({
  id: 'door',
  initial: 'closed',
  context: { locked: false, knocks: 0, coats: 0 },
  on: { PAINT: { actions: assign({ coats: ({ context }) => context.coats + 1 }) } },
  states: {
    closed: {
      on: {
        OPEN: { guard: 'unlocked', target: 'open' },
        KNOCK: { actions: assign({ knocks: ({ context }) => context.knocks + 1 }) },
        LOOK: {},
        SHUT: { target: 'closed' },
        SLAM: { target: 'closed', reenter: true },
        LOCK: { actions: assign({ locked: true }) },
        PUSH: { guard: ({ context }) => context.knocks > 100, target: 'open' },
        DEMOLISH: 'gone',
      },
    },
    open: { on: { CLOSE: 'closed' } },
    gone: { type: 'final' },
  },
});

describe('accepted / not accepted', () => {
  let c: CompiledLifecycle<{ type: string }>;
  let closed: number;
  beforeAll(() => {
    c = compileLifecycle<{ type: string }>(door);
    closed = c.initial;
  });

  it('accepts a targeted transition', () => {
    const s = c.step(closed, { type: 'OPEN' });
    expect(s).not.toBe(-1);
    expect(c.value(s)).toBe('open');
  });

  it('accepts a targetless transition with assign, staying in the same state node', () => {
    const s = c.step(closed, { type: 'KNOCK' });
    expect(s).not.toBe(-1);
    expect(s).not.toBe(closed);
    expect(c.value(s)).toBe('closed');
    expect(c.context(s)).toEqual({ locked: false, knocks: 1, coats: 0 });
  });

  it('accepts a targetless transition without actions, although XState returns the same snapshot object', () => {
    const [s0] = initialTransition(door);
    expect(transition(door, s0, { type: 'LOOK' })[0]).toBe(s0); // why snapshot identity cannot be the rule
    expect(c.step(closed, { type: 'LOOK' })).toBe(closed);
  });

  it('accepts self-transitions, re-entering or not', () => {
    expect(c.step(closed, { type: 'SHUT' })).toBe(closed);
    expect(c.step(closed, { type: 'SLAM' })).toBe(closed);
  });

  it('accepts a root-level handler while active', () => {
    const s = c.step(closed, { type: 'PAINT' });
    expect(c.context(s)).toEqual({ locked: false, knocks: 0, coats: 1 });
  });

  it('refuses when every guard fails (named and inline guards)', () => {
    const locked = c.step(closed, { type: 'LOCK' });
    expect(c.step(locked, { type: 'OPEN' })).toBe(-1);
    expect(c.step(closed, { type: 'PUSH' })).toBe(-1);
  });

  it('refuses events no state handles', () => {
    expect(c.step(closed, { type: 'FLY' })).toBe(-1);
    expect(c.step(c.step(closed, { type: 'OPEN' }), { type: 'KNOCK' })).toBe(-1);
  });

  it('refuses everything once final, even root-level handlers XState would still run', () => {
    const gone = c.step(closed, { type: 'DEMOLISH' });
    expect(c.isFinal(gone)).toBe(true);
    expect(c.isFinal(closed)).toBe(false);
    for (const type of ['PAINT', 'OPEN', 'DEMOLISH', 'FLY']) expect(c.step(gone, { type })).toBe(-1);
    // The pure helper would happily repaint a demolished door; a running actor would not.
    const doneSnapshot = c.snapshot(gone);
    expect(transition(door, doneSnapshot, { type: 'PAINT' })[0].context.coats).toBe(1);
  });

  it('refuses to compile an event-guarded eventless transition that fires on an unhandled event', () => {
    const sneaky = createMachine({
      id: 'sneaky',
      initial: 'a',
      states: { a: { always: { guard: ({ event }) => event.type === 'POKE', target: 'b' } }, b: {} },
    });
    const s = compileLifecycle<{ type: string }>(sneaky);
    expect(() => s.step(s.initial, { type: 'POKE' })).toThrow(/no transition was enabled/);
  });
});

// ---------------------------------------------------------------------------
// Machines the compiler must refuse.

describe('compile-time rejection', () => {
  const reject = (machine: Parameters<typeof compileLifecycle>[0], pattern: RegExp) => {
    expect(() => compileLifecycle(machine)).toThrow(UncompilableLifecycleError);
    expect(() => compileLifecycle(machine)).toThrow(pattern);
  };
  const noop = fromPromise(async () => 1);

  it('rejects invoke', () => {
    reject(
      createMachine({ id: 'm', initial: 'a', states: { a: { invoke: { id: 'job', src: noop } } } }),
      /lifecycle machine "m".*state "m\.a" uses invoke/,
    );
  });

  it('rejects after (delayed transitions)', () => {
    reject(createMachine({ id: 'm', initial: 'a', states: { a: { after: { 1000: 'b' } }, b: {} } }), /state "m\.a" uses after/);
  });

  it('rejects spawnChild actions', () => {
    reject(
      createMachine({ id: 'm', initial: 'a', states: { a: { entry: spawnChild(noop) } } }),
      /state "m\.a" spawns a child actor in its entry/,
    );
  });

  it('rejects spawning from inside assign when it happens', () => {
    const m = createMachine({
      id: 'm',
      initial: 'a',
      context: {} as { child?: unknown },
      states: { a: { on: { GO: { actions: assign({ child: ({ spawn }) => spawn(noop) }) } } } },
    });
    const c = compileLifecycle<{ type: string }>(m); // assigners are opaque until run
    expect(() => c.step(c.initial, { type: 'GO' })).toThrow(/spawned child actors/);
  });

  it('rejects inline function actions, named non-assign actions and built-ins other than assign', () => {
    reject(
      createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: { actions: () => {} } } } } }),
      /state "m\.a" has action inline function .* in its transition on "GO"/,
    );
    const named = setup({ actions: { beep: () => {} } }).createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { exit: 'beep' } },
    });
    reject(named, /has action "beep" in its exit/);
    reject(createMachine({ id: 'm', initial: 'a', states: { a: { entry: raise({ type: 'X' }) } } }), /xstate\.raise/);
    reject(createMachine({ id: 'm', initial: 'a', states: { a: { entry: log('hi') } } }), /xstate\.log/);
    reject(
      createMachine({ id: 'm', initial: 'a', entry: enqueueActions(() => {}), states: { a: {} } }),
      /state "m" has action xstate\.enqueueActions/,
    );
    reject(createMachine({ id: 'm', initial: 'a', states: { a: { entry: 'missing' } } }), /action "missing" .* no implementation/);
  });

  it('rejects parallel and history states', () => {
    reject(createMachine({ id: 'm', type: 'parallel', states: { x: {}, y: {} } }), /state "m" is a parallel state/);
    reject(
      createMachine({ id: 'm', initial: 'a', states: { a: { initial: 'p', states: { p: {}, h: { type: 'history' } } } } }),
      /state "m\.a\.h" is a history state/,
    );
  });

  it('accepts named assign actions from setup', () => {
    const m = setup({
      types: { context: {} as { n: number } },
      actions: { bump: assign({ n: ({ context }) => context.n + 1 }) },
    }).createMachine({
      id: 'm',
      initial: 'a',
      context: { n: 0 },
      states: { a: { entry: 'bump', on: { GO: { actions: { type: 'bump' } } } } },
    });
    const c = compileLifecycle<{ type: string }>(m);
    expect(c.context(c.initial)).toEqual({ n: 1 });
    expect(c.context(c.step(c.initial, { type: 'GO' }))).toEqual({ n: 2 });
  });
});

// ---------------------------------------------------------------------------
// Memo, interning and data hygiene.

describe('memoization and interning', () => {
  it('calls XState once per new (state, event) pair', () => {
    const c = compileLifecycle<ConnEvent>(connection);
    const events: ConnEvent[] = [{ type: 'CONNECT' }, { type: 'CONNECTED' }, { type: 'SEND', bytes: 1 }, { type: 'BOGUS' }];
    const walk = () => {
      let s = c.initial;
      for (const e of events) {
        const next = c.step(s, e);
        if (next !== -1) s = next;
      }
    };
    walk();
    const first = c.stats();
    expect(first.pairs).toBe(4);
    for (let i = 0; i < 10_000; i++) walk();
    expect(c.stats()).toEqual(first);
  });

  it('stepId agrees with step and is memoized as well', () => {
    const c = compileLifecycle<ConnEvent>(connection);
    const connect = c.eventId({ type: 'CONNECT' });
    const s = c.stepId(c.initial, connect);
    const calls = c.stats().xstateCalls;
    for (let i = 0; i < 1000; i++) expect(c.stepId(c.initial, connect)).toBe(s);
    expect(c.step(c.initial, { type: 'CONNECT' })).toBe(s);
    expect(c.stats().xstateCalls).toBe(calls);
  });

  it('interns states by value and context, so different paths meet', () => {
    const c = compileLifecycle<ConnEvent>(connection);
    const viaRetry = [{ type: 'CONNECT' }, { type: 'FAIL' }, { type: 'CONNECTED' }] as ConnEvent[];
    const direct = [{ type: 'CONNECT' }, { type: 'CONNECTED' }] as ConnEvent[];
    const run = (es: ConnEvent[]) => es.reduce((s, e) => c.step(s, e), c.initial);
    expect(run(viaRetry)).toBe(run(direct)); // CONNECTED resets retries
  });

  it('keys events canonically, regardless of property order', () => {
    const c = compileLifecycle<ConnEvent>(connection);
    const a = c.eventId({ type: 'SEND', bytes: 1 });
    const b = c.eventId(JSON.parse('{"bytes":1,"type":"SEND"}') as ConnEvent);
    expect(a).toBe(b);
    expect(c.eventId({ type: 'SEND', bytes: 2 })).not.toBe(a);
    // Bare `{ type }` events take a shortcut; it must land on the same ids as canonical keying.
    const nullProto = (type: string) => Object.assign(Object.create(null) as object, { type }) as ConnEvent;
    expect(c.eventId({ type: 'CONNECT' })).toBe(c.eventId(nullProto('CONNECT')));
    expect(c.eventId(nullProto('CLOSE'))).toBe(c.eventId({ type: 'CLOSE' }));
    expect(c.eventId({ type: 'CLOSE' })).not.toBe(c.eventId({ type: 'CONNECT' }));
  });

  it('freezes shared contexts and rejects non-plain data', () => {
    const c = compileLifecycle<{ type: string; payload?: unknown }>(door);
    expect(Object.isFrozen(c.context(c.initial))).toBe(true);
    expect(() => c.eventId({ type: 'X', payload: new Map() })).toThrow(NotPlainDataError);
    const m = createMachine({ id: 'm', initial: 'a', context: { seen: new Set<string>() }, states: { a: {} } });
    expect(() => compileLifecycle(m)).toThrow(/lifecycle machine "m": context\.seen is a Set instance/);
  });

  it('passes input to the initial context', () => {
    const m = setup({ types: { input: {} as { limit: number }, context: {} as { limit: number } } }).createMachine({
      id: 'm',
      initial: 'a',
      context: ({ input }) => ({ limit: input.limit }),
      states: { a: {} },
    });
    const c = compileLifecycle<{ type: string }>(m, { input: { limit: 7 } });
    expect(c.context(c.initial)).toEqual({ limit: 7 });
    expect(conformanceCheck(m, c, [[{ type: 'X' }]], { input: { limit: 7 } })).toBeNull();
  });

  it('throws on unknown state ids', () => {
    const c = compileLifecycle<{ type: string }>(door);
    expect(() => c.value(99)).toThrow(RangeError);
    expect(() => c.step(99, { type: 'OPEN' })).toThrow(RangeError);
  });
});
