import type { LockType } from './task.ts';

/**
 * Kernel functions that touch a lock without blocking on it: they read or write
 * its owner while another task may hold it. A lock type any of these may reach
 * in a design gets no transaction reduction (checker/reduce/touchers.ts), since
 * a trylock that fails because the lock is held sees the order in which the
 * holder took and released it. Keyed by function name, as model code calls
 * them through its table; dma_resv_trylock reaches ww_mutex_trylock.
 * rwsems are not listed: their blocking acquisitions queue, a step other tasks
 * see, so rwsem points make no mover claim at all (kernel/rwsem.ts).
 */
export const LOCK_TOUCHERS: Readonly<Record<string, readonly LockType[]>> = {
  mutex_trylock: ['mutex'],
  mutex_is_locked: ['mutex'],
  ww_mutex_trylock: ['ww_mutex'],
  dma_resv_trylock: ['ww_mutex'],
  down_read_trylock: ['rwsem'],
  down_write_trylock: ['rwsem'],
  rwsem_is_locked: ['rwsem'],
};
