import { describe, expect, it } from 'vitest';
import type { World } from '../../checker/world.ts';
import { complete, init_completion, wait_for_completion } from '../../kernel/completion.ts';
import { LockGraph } from '../../kernel/lockdep/lockgraph.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { PendingSignals } from '../../kernel/lockdep/pending.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { LockDriver, lockSystem } from './locks.ts';

/**
 * Lockdep's memory as part of the search state: what its key says (two states
 * that differ in it are different states), and that a saved copy is what a
 * restore brings back, untouched by whatever ran in between.
 */

function setup(w: World): void {
  for (const n of ['a', 'b', 'c']) mutex_init(w, `&${n}`, { id: n });
  init_completion(w, '&C', { id: 'C' });
}

describe('pending signals', () => {
  const sig = (cls: string, ...locks: string[]) => ({ cls, locks });

  it('are keyed per task, committed by the release of a lock they were made under, dropped by a wait on their class', () => {
    const p = new PendingSignals<ReturnType<typeof sig>>();
    expect(p.key()).toBe('');
    p.signal('T', sig('C', 'a', 'b'));
    p.signal('T', sig('D', 'b'));
    p.signal('U', sig('C', 'a'));
    expect(p.key()).toBe('T:C@a+b,D@b|U:C@a');
    expect(p.release('T', 'x')).toEqual([]);
    expect(p.release('V', 'a')).toEqual([]);
    expect(p.release('T', 'a')).toEqual([sig('C', 'a', 'b')]);
    expect(p.key()).toBe('T:D@b|U:C@a');
    p.wait('U', 'D');
    expect(p.key()).toBe('T:D@b|U:C@a');
    p.wait('U', 'C');
    p.wait('V', 'C');
    expect(p.key()).toBe('T:D@b');
    expect(p.release('T', 'b')).toEqual([sig('D', 'b')]);
    expect(p.key()).toBe('');
  });

  it('a saved copy comes back whole, whatever happened since; clear() forgets everything', () => {
    const p = new PendingSignals<ReturnType<typeof sig>>();
    p.signal('T', sig('C', 'a'));
    p.signal('U', sig('C', 'b'));
    p.release('U', 'b');
    const saved = p.save();
    expect([...saved.keys()]).toEqual(['T']);
    p.signal('T', sig('D', 'a'));
    p.signal('V', sig('D', 'a'));
    p.load(saved);
    expect(p.key()).toBe('T:C@a');
    p.signal('T', sig('E', 'a'));
    p.load(saved);
    expect(p.key()).toBe('T:C@a');
    p.clear();
    expect([p.key(), p.release('T', 'a')]).toEqual(['', []]);
  });
});

describe('the lockdep monitor as search state', () => {
  it('save, go on, load: the graph as it was saved, even after loading and going on again', () => {
    const m = new LockdepMonitor();
    const d = new LockDriver(
      lockSystem(setup, {
        T: [
          [mutex_lock, 'a'],
          [mutex_lock, 'b'],
          [mutex_lock, 'c'],
        ],
        U: [
          [mutex_lock, 'c'],
          [mutex_lock, 'a'],
        ],
      }),
      { monitors: [m] },
    );
    d.call('T');
    expect(m.key()).toBe('&a>&b:2');
    const saved = m.save();
    d.call('T');
    expect(m.key()).toBe('&a>&b:2;&b>&c:2');
    m.load(saved);
    expect(m.key()).toBe('&a>&b:2');
    expect(m.dependencies.edge('&b', '&c')).toBeUndefined();
    d.start('U').call('U');
    expect(m.key()).toBe('&a>&b:2;&c>&a:2');
    m.load(saved);
    expect(m.key()).toBe('&a>&b:2');
    m.reset();
    expect([m.key(), m.dependencies.size]).toEqual(['', 0]);
  });

  it('a signal not yet committed is part of the key, and comes back with a load', () => {
    const m = new LockdepMonitor();
    const d = new LockDriver(
      lockSystem(setup, {
        T: [
          [mutex_lock, 'a'],
          [complete, 'C'],
          [mutex_unlock, 'a'],
        ],
      }),
      { monitors: [m] },
    );
    d.call('T');
    expect(m.key()).toBe('|T:(completion)&C@a');
    const saved = m.save();
    d.call('T').call('T');
    expect(m.key()).toBe('(completion)&C>&a:2');
    m.load(saved);
    expect(m.key()).toBe('|T:(completion)&C@a');
  });

  it("a task's wait on what it signalled itself leaves no pending signal", () => {
    const m = new LockdepMonitor();
    const d = new LockDriver(
      lockSystem(setup, {
        T: [
          [mutex_lock, 'a'],
          [complete, 'C'],
          [wait_for_completion, 'C'],
          [mutex_unlock, 'a'],
        ],
      }),
      { monitors: [m] },
    );
    d.call('T').call('T');
    expect(m.key()).toBe('&a>(completion)&C:2');
    d.call('T').call('T');
    expect(m.key()).toBe('&a>(completion)&C:2');
  });

  it('the class usage survives a load too (a clone of the graph, not the graph)', () => {
    const m = new LockdepMonitor();
    const d = new LockDriver(lockSystem(setup, { T: [[mutex_lock, 'a']], U: [[complete, 'C']] }), { monitors: [m] });
    const saved = m.save();
    d.call('T').start('U');
    expect([m.dependencies.classType('&a'), m.dependencies.classType('(completion)&C')]).toEqual(['mutex', 'map']);
    m.load(saved);
    expect(m.dependencies.classType('&a')).toBeUndefined();
  });
});

describe("LockGraph's recorder", () => {
  it('keeps only the pending signals per execution: its key, save and load, and reset', () => {
    const g = new LockGraph();
    const r = g.recorder();
    const d = new LockDriver(
      lockSystem(setup, {
        T: [
          [mutex_lock, 'a'],
          [complete, 'C'],
          [mutex_unlock, 'a'],
        ],
      }),
      { monitors: [r] },
    );
    d.call('T');
    expect(r.key?.()).toBe('T:(completion)&C@a');
    const saved = r.save?.();
    d.call('T').call('T');
    expect([r.key?.(), g.hasEdge('(completion)&C', '&a')]).toEqual(['', true]);
    r.load?.(saved);
    expect(r.key?.()).toBe('T:(completion)&C@a');
    r.reset?.();
    expect(r.key?.()).toBe('');
    expect(r.name).toBe('lockgraph');
  });
});
