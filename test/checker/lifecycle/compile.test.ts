import { describe, expect, it } from 'vitest';
import { assign, createMachine } from 'xstate';
import { NotPlainDataError } from '../../../checker/lifecycle/canonical.ts';
import { compileLifecycle } from '../../../checker/lifecycle/compile.ts';

// The compiled table's promises that lifecycle.test.ts does not pin: what stats() counts, that a
// row remembers every event however many there are, that events are keyed by their whole
// content, and the errors a machine that throws or misbehaves gets.

type Ev = { type: string; [k: string]: unknown };

const lamp = createMachine({
  id: 'lamp',
  initial: 'off',
  context: { flips: 0 },
  states: {
    off: { on: { ON: { target: 'on', actions: assign({ flips: ({ context }) => context.flips + 1 }) }, BREAK: 'broken' } },
    on: { on: { OFF: 'off' } },
    broken: { type: 'final' },
  },
});

describe('stats()', () => {
  it('counts states, filled cells and every XState computation: the initial state, each new step, each refusal checked', () => {
    const c = compileLifecycle<Ev>(lamp);
    expect(c.stats()).toEqual({ states: 1, pairs: 0, xstateCalls: 1 });
    const on = c.step(c.initial, { type: 'ON' });
    expect(c.stats()).toEqual({ states: 2, pairs: 1, xstateCalls: 2 });
    expect(c.step(c.initial, { type: 'OFF' })).toBe(-1); // refused while active: XState asked once to confirm nothing moves
    expect(c.stats()).toEqual({ states: 2, pairs: 2, xstateCalls: 3 });
    const broken = c.step(c.initial, { type: 'BREAK' });
    expect(c.stats()).toEqual({ states: 3, pairs: 3, xstateCalls: 4 });
    expect(c.step(broken, { type: 'ON' })).toBe(-1); // refused once final: no XState call
    expect(c.stats()).toEqual({ states: 3, pairs: 4, xstateCalls: 4 });
    for (let i = 0; i < 3; i++) {
      expect(c.step(c.initial, { type: 'ON' })).toBe(on);
      expect(c.step(c.initial, { type: 'OFF' })).toBe(-1);
      expect(c.step(broken, { type: 'ON' })).toBe(-1);
    }
    expect(c.stats()).toEqual({ states: 3, pairs: 4, xstateCalls: 4 });
  });
});

describe('a row remembers every event', () => {
  const events = Array.from({ length: 40 }, (_, i): Ev => (i === 37 ? { type: 'ON' } : { type: `E${i}` }));

  it('asked one event after another, past the row first length', () => {
    const c = compileLifecycle<Ev>(lamp);
    const first = events.map((e) => c.step(c.initial, e));
    const stats = c.stats();
    expect(stats.pairs).toBe(40);
    expect(events.map((e) => c.step(c.initial, e))).toEqual(first);
    expect(c.stats()).toEqual(stats);
    expect(c.value(first[37] as number)).toBe('on');
  });

  it('asked first an event whose id lies far past the row length', () => {
    const c = compileLifecycle<Ev>(lamp);
    const ids = events.map((e) => c.eventId(e));
    expect(new Set(ids).size).toBe(40);
    const on = c.stepId(c.initial, ids[37] as number);
    const last = c.stepId(c.initial, ids[39] as number);
    const stats = c.stats();
    expect(stats).toEqual({ states: 2, pairs: 2, xstateCalls: 3 });
    expect(c.stepId(c.initial, ids[37] as number)).toBe(on);
    expect(c.stepId(c.initial, ids[39] as number)).toBe(last);
    expect(c.stats()).toEqual(stats);
  });
});

describe('event ids', () => {
  it('a bare { type } event and one with the same type and a payload are different events, in either order', () => {
    const a = compileLifecycle<Ev>(lamp);
    const bare = a.eventId({ type: 'ON' });
    expect(a.eventId({ type: 'ON', bulb: 1 })).not.toBe(bare);
    expect(a.eventId({ type: 'ON' })).toBe(bare);
    const b = compileLifecycle<Ev>(lamp);
    const rich = b.eventId({ type: 'ON', bulb: 1 });
    expect(b.eventId({ type: 'ON' })).not.toBe(rich);
    expect(b.eventId({ type: 'ON', bulb: 1 })).toBe(rich);
  });

  it('keys the event type by its canonical form, -0 apart from 0', () => {
    const c = compileLifecycle<Ev>(lamp);
    const minus = c.eventId({ type: -0 as unknown as string });
    expect(c.eventId({ type: 0 as unknown as string })).not.toBe(minus);
  });

  it('refuses an event that is not plain data even when a plain event of the same type is known', () => {
    const c = compileLifecycle<Ev>(lamp);
    c.eventId({ type: 'ON' });
    c.eventId(Object.assign(Object.create(null) as object, { type: 'ON' }) as Ev);
    class Flick {
      type = 'ON';
    }
    expect(() => c.eventId(new Flick() as unknown as Ev)).toThrow(NotPlainDataError);
    expect(() => c.eventId(new Flick() as unknown as Ev)).toThrow('lifecycle machine "lamp": event is a Flick instance');
  });
});

describe('machines that throw or misbehave', () => {
  it('an initial context that throws: the status XState ends in, with the cause', () => {
    const boom = new Error('boom');
    const m = createMachine({
      id: 'm',
      initial: 'a',
      context: () => {
        throw boom;
      },
      states: { a: {} },
    });
    const e = (() => {
      try {
        compileLifecycle(m);
      } catch (err) {
        return err as Error;
      }
      throw new Error('compiled');
    })();
    expect(e.message).toBe('lifecycle machine "m" ended in status "error" while computing the initial state');
    expect(e.cause).toBe(boom);
  });

  it('an assign that throws: where it was stepping, with the cause', () => {
    const bang = new Error('bang');
    const m = createMachine({
      id: 'm',
      initial: 'a',
      context: { n: 0 },
      states: {
        a: {
          on: {
            GO: {
              actions: assign({
                n: () => {
                  throw bang;
                },
              }),
            },
          },
        },
      },
    });
    const c = compileLifecycle<Ev>(m);
    const e = (() => {
      try {
        c.step(c.initial, { type: 'GO' });
      } catch (err) {
        return err as Error;
      }
      throw new Error('stepped');
    })();
    expect(e.message).toBe('lifecycle machine "m" threw while stepping from "a" on {"type":"GO"}');
    expect(e.cause).toBe(bang);
  });

  it('a refusal that moves the machine anyway: the whole reason', () => {
    const sneaky = createMachine({
      id: 'sneaky',
      initial: 'a',
      states: { a: { always: { guard: ({ event }) => event.type === 'POKE', target: 'b' } }, b: {} },
    });
    const c = compileLifecycle<Ev>(sneaky);
    expect(() => c.step(c.initial, { type: 'POKE' })).toThrow(
      'lifecycle machine "sneaky" changed state in "a" on {"type":"POKE"} although no transition was enabled for it ' +
        '(an eventless transition guarded on the event?); not compilable',
    );
  });
});
