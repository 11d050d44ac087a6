/**
 * A thread's log: what the world returned to it, in order, as a running hash
 * that keys the thread's local state, as text for an exact key, and replayed
 * value by value (a logged throw thrown again) to rebuild the thread.
 */
import { describe, expect, it } from 'vitest';
import { ThreadLog } from '../../checker/thread-log.ts';
import type { Value } from '../../checker/value.ts';

const logOf = (...vs: (Value | undefined)[]) => {
  const l = new ThreadLog();
  for (const v of vs) l.log(v);
  return l;
};

describe('ThreadLog', () => {
  it('hashes what it logged, in order; undefined and a throw are values of their own', () => {
    const keys = [logOf(), logOf(1), logOf(2), logOf(1, 2), logOf(2, 1), logOf(undefined), logOf(null), logOf('u'), logOf({})];
    const thrown = new ThreadLog();
    thrown.logThrow(new Error('x'));
    keys.push(thrown);
    const hashes = new Set(keys.map((l) => `${l.hash.a},${l.hash.b}`));
    expect(hashes.size).toBe(keys.length);
    const halvesA = new Set(keys.map((l) => l.hash.a));
    const halvesB = new Set(keys.map((l) => l.hash.b));
    expect(halvesA.size).toBe(keys.length);
    expect(halvesB.size).toBe(keys.length);
    expect(logOf(1, 2).hash).toEqual(logOf(1, 2).hash);
    for (const l of keys) {
      expect(l.hash.a | 0).toBe(l.hash.a);
      expect(l.hash.b | 0).toBe(l.hash.b);
    }
  });

  it('spells its values for an exact key', () => {
    const l = logOf(1, undefined, 'a', null);
    l.logThrow(new Error('boom'));
    expect(l.keyText()).toBe('1,u,"a",null,!Error: boom');
    expect(l.length).toBe(5);
  });

  it('cuts back to an earlier length and hash', () => {
    const l = logOf(1);
    const { a, b } = l.hash;
    l.log(2);
    l.log(3);
    l.truncate(1, a, b);
    expect(l.length).toBe(1);
    expect(l.hash).toEqual(logOf(1).hash);
    expect(l.keyText()).toBe('1');
  });

  it('replays its values in order, throws a logged throw again, and refuses to read past its end', () => {
    const l = logOf(7, 'x');
    const err = new Error('again');
    l.logThrow(err);
    expect(l.replaying).toBe(false);
    l.startReplay();
    expect(l.replaying).toBe(true);
    expect(l.exhausted).toBe(false);
    expect(l.take()).toBe(7);
    expect(l.take()).toBe('x');
    expect(l.exhausted).toBe(false);
    expect(() => l.take()).toThrow(err);
    expect(l.exhausted).toBe(true);
    expect(() => l.take()).toThrow(/nondeterministic model/);
    l.stopReplay();
    expect(l.replaying).toBe(false);
  });

  it('replays only what was logged when the replay started', () => {
    const l = logOf(1);
    l.startReplay();
    l.log(2);
    expect(l.take()).toBe(1);
    expect(l.exhausted).toBe(true);
    expect(() => l.take()).toThrow(/read more than it had logged/);
  });
});
