/**
 * World.peekOr: a peek whose missing field reads as a given value instead of
 * throwing, recorded and logged exactly as the peek it replaces (isFreed and
 * the other readers of optional fields rely on that for footprints, thread
 * logs and their hashes).
 */
import { describe, expect, it } from 'vitest';
import { names } from '../../checker/names.ts';
import { ThreadLog } from '../../checker/thread-log.ts';
import { Recorder, World } from '../../checker/world.ts';

function world(): World {
  const w = new World();
  w.create('po', { v: 7 }, null, 'o');
  return w;
}

/** peek, with its throw caught as the callers of peekOr used to */
function caught(w: World, id: string, field: string, missing: unknown): unknown {
  try {
    return w.peek(id, field);
  } catch {
    return missing;
  }
}

describe('World.peekOr', () => {
  it('reads a present field, gives the fallback for a missing one, and throws for a missing object', () => {
    const w = world();
    expect(w.peekOr('o', 'v', 0)).toBe(7);
    expect(w.peekOr('o', 'u', false)).toBe(false);
    expect(w.peekOr('o', 'u', undefined)).toBeUndefined();
    expect(() => w.peekOr('p', 'v', 0)).toThrow('no object p');
  });

  it('is a read of the footprint only while a monitor is observing, as peek', () => {
    const w = world();
    const rec = new Recorder(null);
    w.rec = rec;
    w.peekOr('o', 'u', 0);
    expect(rec.reads).toEqual([]);
    w.observing = true;
    w.peekOr('o', 'u', 0);
    expect(rec.reads).toEqual([names.id('o')]);
  });

  it("logs in the running thread's log what peek logs, a missing field as peek's throw", () => {
    const reads: [string, string][] = [
      ['o', 'v'],
      ['o', 'u'],
      ['o', 'v'],
    ];
    const w = world();
    const byPeek = new ThreadLog();
    w.tap = byPeek;
    const peeked = reads.map(([id, f]) => caught(w, id, f, -1));
    const byPeekOr = new ThreadLog();
    w.tap = byPeekOr;
    const got = reads.map(([id, f]) => w.peekOr(id, f, -1));
    expect(got).toEqual(peeked);
    expect(got).toEqual([7, -1, 7]);
    expect(byPeekOr.length).toBe(3);
    expect(byPeekOr.keyText()).toBe(byPeek.keyText());
    expect(byPeekOr.keyText()).toBe('7,!Error: object o has no field u,7');
    expect(byPeekOr.hash).toEqual(byPeek.hash);
  });

  it('replays from the log: the missing field as the fallback, a missing object as its throw', () => {
    const w = world();
    const log = new ThreadLog();
    w.tap = log;
    expect(w.peekOr('o', 'u', 'none')).toBe('none');
    expect(w.peekOr('o', 'v', 'none')).toBe(7);
    expect(() => w.peekOr('p', 'v', 'none')).toThrow('no object p');
    // the world changes under the rebuilt thread: it still reads what it logged
    w.tap = null;
    w.set('o', 'v', 8);
    w.set('o', 'u', 1);
    w.tap = log;
    log.startReplay();
    expect(w.peekOr('o', 'u', 'none')).toBe('none');
    expect(w.peekOr('o', 'v', 'none')).toBe(7);
    expect(() => w.peekOr('o', 'v', 'none')).toThrow('no object p');
    expect(log.exhausted).toBe(true);
    expect(() => w.peekOr('o', 'v', 'none')).toThrow('nondeterministic model');
  });
});
