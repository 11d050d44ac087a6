/**
 * A lazy thread log (the compiled engine's: hashed only when asked) keys a
 * thread exactly as an eager one (the generator engine's) does, after logging,
 * throwing and cutting back; only an eager log hands its hash to save().
 */
import { describe, expect, it } from 'vitest';
import { ThreadLog } from '../../checker/thread-log.ts';
import type { Value } from '../../checker/value.ts';

const fill = (l: ThreadLog, vs: (Value | undefined)[]) => {
  for (const v of vs) l.log(v);
  return l;
};
const hashOf = (l: ThreadLog) => ({ ...l.hash });

describe('a lazy ThreadLog', () => {
  const values: (Value | undefined)[] = [1, 'two', undefined, { three: [3] }];

  it('is eager by default, and an eager log saves the hash it has after every value', () => {
    const eager = fill(new ThreadLog(), values);
    expect(eager.savedHash).not.toBeNull();
    const saved = { ...(eager.savedHash as { a: number; b: number }) };
    expect(saved).toEqual(hashOf(eager));
  });

  it('hashes as an eager log does, and saves none', () => {
    const lazy = fill(new ThreadLog(false), values);
    expect(lazy.savedHash).toBeNull();
    expect(hashOf(lazy)).toEqual(hashOf(fill(new ThreadLog(), values)));
    lazy.logThrow(new Error('x'));
    const eager = fill(new ThreadLog(), values);
    eager.logThrow(new Error('x'));
    expect(hashOf(lazy)).toEqual(hashOf(eager));
  });

  it('cut back below what it had hashed, hashes as a log of the values kept', () => {
    const lazy = fill(new ThreadLog(false), values);
    void lazy.hash;
    lazy.truncate(1, 0, 0);
    expect(hashOf(lazy)).toEqual(hashOf(fill(new ThreadLog(), [1])));
    lazy.log('again');
    expect(hashOf(lazy)).toEqual(hashOf(fill(new ThreadLog(), [1, 'again'])));
  });

  it('cut back above what it had hashed, loses nothing', () => {
    const lazy = fill(new ThreadLog(false), [1]);
    void lazy.hash;
    fill(lazy, ['two', undefined]);
    lazy.truncate(2, 0, 0);
    expect(hashOf(lazy)).toEqual(hashOf(fill(new ThreadLog(), [1, 'two'])));
    expect(lazy.length).toBe(2);
  });
});
