/**
 * The sleeping locks both domains take (kernel/mutex.ts, kernel/rwsem.ts),
 * declared and adapted once: the dma-buf and SVA function tables both extend
 * these, so neither restates what mutex_lock or down_write is.
 */
import type { Ctx, Gen } from '../checker/context.ts';
import type { Ref } from '../checker/kind.ts';
import * as mutex from '../kernel/mutex.ts';
import * as rwsem from '../kernel/rwsem.ts';

export interface SleepingLocks {
  mutex_lock(lock: Ref<'mutex'>): Gen<void>;
  mutex_unlock(lock: Ref<'mutex'>): Gen<void>;
  down_read(sem: Ref<'rwsem'>): Gen<void>;
  up_read(sem: Ref<'rwsem'>): Gen<void>;
  down_write(sem: Ref<'rwsem'>): Gen<void>;
  up_write(sem: Ref<'rwsem'>): Gen<void>;
}

/** The table entries of SleepingLocks for a domain whose bound kernel carries its thread's ctx. */
export function sleepingLockTable<KK extends { readonly ctx: Ctx }>(): {
  readonly [N in keyof SleepingLocks]: (k: KK, ...args: Parameters<SleepingLocks[N]>) => ReturnType<SleepingLocks[N]>;
} {
  return {
    mutex_lock: (k, lock) => mutex.mutex_lock(k.ctx, lock),
    mutex_unlock: (k, lock) => mutex.mutex_unlock(k.ctx, lock),
    down_read: (k, sem) => rwsem.down_read(k.ctx, sem),
    up_read: (k, sem) => rwsem.up_read(k.ctx, sem),
    down_write: (k, sem) => rwsem.down_write(k.ctx, sem),
    up_write: (k, sem) => rwsem.up_write(k.ctx, sem),
  };
}
