/**
 * The small parts of the lifecycle compiler (checker/lifecycle/): dense ids
 * for keyed values, a state value as one dotted path, and the shared scope
 * that refuses any action other than assign.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { Interner } from '../../checker/lifecycle/intern.ts';
import { createSharedScope } from '../../checker/lifecycle/scope.ts';
import { dottedValue } from '../../checker/lifecycle/value.ts';

describe('Interner', () => {
  it('hands out ids densely from 0, one per key, making a value only for a new key', () => {
    const i = new Interner<string>();
    let made = 0;
    const make = (v: string) => () => (made++, v);
    expect(i.size).toBe(0);
    expect(i.lookup('a')).toBe(-1);
    expect(i.intern('a', make('A'))).toBe(0);
    expect(i.intern('b', make('B'))).toBe(1);
    expect(i.intern('a', make('other'))).toBe(0);
    expect(made).toBe(2);
    expect(i.size).toBe(2);
    expect(i.lookup('b')).toBe(1);
    expect([i.get(0), i.get(1)]).toEqual(['A', 'B']);
  });

  it('refuses an id it never gave', () => {
    const i = new Interner<number>();
    i.intern('x', () => 7);
    for (const bad of [-1, 1, 0.5, Number.NaN]) expect(() => i.get(bad), String(bad)).toThrow(`unknown interned id ${bad}`);
    expect(i.get(0)).toBe(7);
  });
});

describe('dottedValue', () => {
  it('joins a nested state value into one path', () => {
    expect(dottedValue('closed')).toBe('closed');
    expect(dottedValue({ open: 'reading' })).toBe('open.reading');
    expect(dottedValue({ a: { b: { c: 'd' } } })).toBe('a.b.c.d');
  });

  it('refuses a value that is not one path', () => {
    expect(() => dottedValue({ a: 'x', b: 'y' })).toThrow('state value {"a":"x","b":"y"} is not a single path');
    expect(() => dottedValue({})).toThrow('state value {} is not a single path');
    expect(() => dottedValue({ a: { b: 'c', d: 'e' } })).toThrow('is not a single path');
  });
});

describe('createSharedScope', () => {
  it('a scope whose hooks do nothing, and whose action executor refuses every action', () => {
    const m = createMachine({ id: 'door', initial: 'shut', states: { shut: {} } });
    const scope = createSharedScope(m, undefined);
    expect(scope.id).toBe('');
    expect(scope.sessionId).toBe('');
    expect(scope.system).toBe(scope.self.system);
    expect(() => scope.actionExecutor({ type: 'beep' } as never)).toThrow(
      'lifecycle machine "door" tried to execute action "beep"; only assign actions can be compiled',
    );
  });
});
