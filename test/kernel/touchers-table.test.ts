/**
 * kernel/touchers.ts lists every kernel function that touches a lock without
 * blocking on it, with the lock type it reaches: a missing entry, or a wrong
 * type, would let transaction reduction treat that lock as a mover and lose the
 * worlds where a trylock fails (test/kernel/reduce-touchers.test.ts shows one).
 * The kernel's API functions are snake_case; a trylock or an is-locked read is
 * named so. Each module's functions act on the lock type it implements (a
 * dma_resv is locked through its ww_mutex).
 */
import { describe, expect, it } from 'vitest';
import * as resv from '../../kernel/dma-resv.ts';
import * as mutex from '../../kernel/mutex.ts';
import * as rwsem from '../../kernel/rwsem.ts';
import type { LockType } from '../../kernel/task.ts';
import { LOCK_TOUCHERS } from '../../kernel/touchers.ts';
import * as ww from '../../kernel/ww_mutex.ts';

const modules: [Record<string, unknown>, LockType][] = [
  [mutex, 'mutex'],
  [ww, 'ww_mutex'],
  [resv, 'ww_mutex'],
  [rwsem, 'rwsem'],
];
const touches = /^[a-z_]+_(trylock|is_locked)$/;

describe('LOCK_TOUCHERS', () => {
  it('lists every trylock and is-locked function of the lock modules, with the type each reaches', () => {
    const found: Record<string, LockType[]> = {};
    for (const [m, type] of modules)
      for (const [name, f] of Object.entries(m)) if (touches.test(name) && typeof f === 'function') found[name] = [type];
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(7);
    expect(LOCK_TOUCHERS).toEqual(found);
  });
});
