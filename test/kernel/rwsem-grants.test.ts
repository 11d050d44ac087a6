import { describe, expect, it } from 'vitest';
import type { World } from '../../checker/world.ts';
import {
  down_read,
  down_read_trylock,
  down_write,
  down_write_trylock,
  downgrade_write,
  init_rwsem,
  up_read,
  up_write,
} from '../../kernel/rwsem.ts';
import { type LockCall, LockDriver, lockSystem } from './locks.ts';

/**
 * The grant rules of the rwsem (kernel/locking/rwsem.c as kernel/rwsem.ts
 * models it), as tables of (holders, wait queue, request) -> granted, each
 * state built by real threads: holders take the lock, the queue forms in
 * order, and with `released` the holders let go before the request (a free
 * rwsem whose waiters have not run yet).
 */

const setup = (w: World) => {
  init_rwsem(w, '&sem', { id: 'sem' });
};

const TAKE: Readonly<Record<string, LockCall>> = { W: [down_write, 'sem'], r: [down_read, 'sem'] };
const DROP: Readonly<Record<string, LockCall>> = { W: [up_write, 'sem'], r: [up_read, 'sem'] };

interface State {
  /** '' (never held), 'W' (one writer), 'r' or 'rr' (one or two readers) */
  readonly held: string;
  /** the wait queue, first waiter first: 'W' a writer, 'r' a reader */
  readonly queue: string;
  /** the holders released the lock after the queue formed */
  readonly released: boolean;
}

function holderKinds(held: string): string[] {
  return held === 'W' ? ['W'] : [...held];
}

/** Builds the state with threads H1.. (holders), Q1.. (queue) and R making `request` last. */
function build(s: State, request: readonly LockCall[] = []): LockDriver {
  const scripts: Record<string, LockCall[]> = {};
  holderKinds(s.held).forEach((k, i) => {
    scripts[`H${i + 1}`] = [TAKE[k] as LockCall, DROP[k] as LockCall];
  });
  [...s.queue].forEach((k, i) => {
    scripts[`Q${i + 1}`] = [TAKE[k] as LockCall, DROP[k] as LockCall];
  });
  scripts.R = [...request];
  const d = new LockDriver(lockSystem(setup, scripts));
  holderKinds(s.held).forEach((_, i) => {
    d.call(`H${i + 1}`);
    expect(d.queued(`H${i + 1}`)).toBe(false);
  });
  [...s.queue].forEach((_, i) => {
    d.call(`Q${i + 1}`);
    expect(d.queued(`Q${i + 1}`), `Q${i + 1} queues`).toBe(true);
  });
  if (s.released)
    holderKinds(s.held).forEach((_, i) => {
      d.call(`H${i + 1}`);
    });
  return d;
}

function label(s: State): string {
  const held = s.held === '' ? 'free' : s.held === 'W' ? 'write-held' : `read-held (${s.held.length})`;
  return `${held}${s.released ? ', then released' : ''}, queue [${[...s.queue].join(' ')}]`;
}

describe('rwsem: a new request, fast path and trylock', () => {
  // Linux: a reader gets the lock at once when no writer owns it and nobody waits
  // (rwsem_read_trylock fails on RWSEM_WRITER_LOCKED | RWSEM_FLAG_WAITERS); a writer
  // when nobody owns it and nobody waits. The trylocks succeed exactly then too.
  const TABLE: readonly (State & { readonly read: boolean; readonly write: boolean })[] = [
    { held: '', queue: '', released: false, read: true, write: true },
    // the reader that arrives at a write-held rwsem with an empty queue sleeps
    { held: 'W', queue: '', released: false, read: false, write: false },
    { held: 'r', queue: '', released: false, read: true, write: false },
    { held: 'rr', queue: '', released: false, read: true, write: false },
    { held: 'W', queue: 'r', released: false, read: false, write: false },
    { held: 'W', queue: 'W', released: false, read: false, write: false },
    // writer preference: a queued writer stops new readers of a read-held lock
    { held: 'r', queue: 'W', released: false, read: false, write: false },
    { held: 'rr', queue: 'W', released: false, read: false, write: false },
    // free, but the woken waiter has not run: nobody overtakes it
    { held: 'W', queue: 'W', released: true, read: false, write: false },
    { held: 'W', queue: 'r', released: true, read: false, write: false },
    { held: 'r', queue: 'W', released: true, read: false, write: false },
  ];

  for (const row of TABLE) {
    it(`${label(row)}: down_read ${row.read ? 'takes it' : 'sleeps'}, down_write ${row.write ? 'takes it' : 'sleeps'}`, () => {
      for (const [fn, granted] of [
        [down_read, row.read],
        [down_write, row.write],
      ] as const) {
        const d = build(row, [[fn, 'sem']]);
        d.call('R');
        expect(d.queued('R'), fn.name).toBe(!granted);
        expect(d.held('R'), fn.name).toBe(granted ? `&sem (${fn === down_read ? 'r' : 'W'})` : '');
      }
    });

    it(`${label(row)}: down_read_trylock ${row.read}, down_write_trylock ${row.write}, neither queues`, () => {
      for (const [fn, granted] of [
        [down_read_trylock, row.read],
        [down_write_trylock, row.write],
      ] as const) {
        const d = build(row, [[fn, 'sem']]);
        d.call('R');
        expect(d.done('R'), fn.name).toBe(true);
        expect(d.results('R'), fn.name).toEqual([granted]);
        expect(d.held('R'), fn.name).toBe(granted ? `&sem (${fn === down_read_trylock ? 'r' : 'W'})` : '');
      }
    });
  }
});

describe('rwsem: which queued waiters are granted', () => {
  // A queued writer runs when it is first and nobody holds the lock; a queued
  // reader when no writer owns it and no writer is queued ahead of it (the
  // readers at the front are woken together, rwsem_mark_wake).
  const TABLE: readonly (State & { readonly granted: readonly number[] })[] = [
    { held: 'W', queue: 'r', released: false, granted: [] },
    { held: 'W', queue: 'W', released: false, granted: [] },
    { held: 'r', queue: 'W', released: false, granted: [] },
    { held: 'rr', queue: 'W', released: false, granted: [] },
    { held: 'W', queue: 'W', released: true, granted: [1] },
    { held: 'W', queue: 'r', released: true, granted: [1] },
    { held: 'r', queue: 'W', released: true, granted: [1] },
    { held: 'rr', queue: 'W', released: true, granted: [1] },
    // FIFO: only the first writer
    { held: 'W', queue: 'WW', released: true, granted: [1] },
    { held: 'W', queue: 'Wr', released: true, granted: [1] },
    { held: 'r', queue: 'Wr', released: true, granted: [1] },
    // the reader in front; the writer behind it is not first
    { held: 'W', queue: 'rW', released: true, granted: [1] },
    { held: 'W', queue: 'rr', released: true, granted: [1, 2] },
    { held: 'W', queue: 'rrW', released: true, granted: [1, 2] },
    // a reader behind a queued writer waits for it
    { held: 'W', queue: 'rWr', released: true, granted: [1] },
  ];

  for (const row of TABLE) {
    it(`${label(row)}: ${row.granted.length ? `Q${row.granted.join(', Q')} granted` : 'nobody granted'}`, () => {
      const d = build(row);
      const granted = [...row.queue].map((_, i) => i + 1).filter((i) => d.canRun(`Q${i}`));
      expect(granted).toEqual(row.granted);
    });
  }

  it('readers woken together take the lock in either order, each leaving the queue itself', () => {
    for (const [first, second] of [
      ['Q1', 'Q2'],
      ['Q2', 'Q1'],
    ]) {
      const d = build({ held: 'W', queue: 'rrW', released: true });
      d.call(first as string);
      expect(d.canRun(second as string)).toBe(true);
      d.call(second as string);
      expect([d.held('Q1'), d.held('Q2'), d.canRun('Q3')]).toEqual(['&sem (r)', '&sem (r)', false]);
      d.call('Q1').call('Q2');
      expect(d.canRun('Q3')).toBe(true);
    }
  });

  it('the queue [r W r] drains in order: the reader, then the writer, then the last reader', () => {
    const d = build({ held: 'W', queue: 'rWr', released: true });
    d.call('Q1');
    expect(d.held('Q1')).toBe('&sem (r)');
    expect([d.canRun('Q2'), d.canRun('Q3')]).toEqual([false, false]);
    d.call('Q1');
    expect([d.canRun('Q2'), d.canRun('Q3')]).toEqual([true, false]);
    d.call('Q2');
    expect(d.held('Q2')).toBe('&sem (W)');
    expect(d.canRun('Q3')).toBe(false);
    d.call('Q2');
    expect(d.canRun('Q3')).toBe(true);
    d.call('Q3').call('Q3');
    expect(d.exec.violation).toBeNull();
    expect(['Q1', 'Q2', 'Q3'].map((q) => d.done(q))).toEqual([true, true, true]);
  });
});

describe('rwsem: downgrade_write', () => {
  const scripts = {
    A: [
      [down_write, 'sem'],
      [downgrade_write, 'sem'],
      [up_read, 'sem'],
    ],
    B: [
      [down_read, 'sem'],
      [up_read, 'sem'],
    ],
    C: [
      [down_write, 'sem'],
      [up_write, 'sem'],
    ],
  } satisfies Record<string, LockCall[]>;

  it('the writer becomes a reader: the queued reader gets in beside it, the queued writer waits for both', () => {
    const d = new LockDriver(lockSystem(setup, scripts));
    d.call('A').call('B').call('C');
    expect([d.queued('B'), d.queued('C')]).toEqual([true, true]);
    expect(d.canRun('B')).toBe(false);
    d.call('A');
    expect(d.held('A')).toBe('&sem (r)');
    expect([d.canRun('B'), d.canRun('C')]).toEqual([true, false]);
    d.call('B');
    expect(d.held('B')).toBe('&sem (r)');
    d.call('A');
    expect(d.canRun('C')).toBe(false);
    d.call('B');
    expect(d.canRun('C')).toBe(true);
    d.call('C').call('C');
    expect(d.exec.violation).toBeNull();
  });

  it('a downgrade without the write hold is a bad unlock', () => {
    const d = new LockDriver(
      lockSystem(setup, {
        A: [
          [down_read, 'sem'],
          [downgrade_write, 'sem'],
        ],
      }),
    );
    // the check runs as the thread reaches downgrade_write, right after its down_read
    d.call('A');
    expect(d.exec.violation?.kind).toBe('unlock-not-held');
    expect(d.exec.violation?.message).toBe('downgrade_write(&sem) in A: A does not hold it for write');
  });
});
