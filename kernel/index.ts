/**
 * Kernel primitives for models: locks, waits, references, memory and files, each
 * step a scheduling point, each annotated for lockdep (a monitor, lockdep/).
 */
export * from './completion.ts';
export * from './config.ts';
export * from './dma-fence.ts';
export {
  DMA_RESV_USAGE_BOOKKEEP,
  DMA_RESV_USAGE_KERNEL,
  DMA_RESV_USAGE_READ,
  DMA_RESV_USAGE_WRITE,
  dma_resv_add_fence,
  dma_resv_assert_held,
  dma_resv_init,
  dma_resv_lock,
  dma_resv_lock_interruptible,
  dma_resv_lockdep,
  dma_resv_test_signaled,
  dma_resv_trylock,
  dma_resv_unlock,
  dma_resv_wait_timeout,
  type ResvInit,
  resvLock,
} from './dma-resv.ts';
export * from './file.ts';
export * from './kref.ts';
export * from './leak.ts';
export { type LockInit, lockName } from './lock.ts';
export * from './lockdep/index.ts';
export * from './mutex.ts';
export * from './once.ts';
export { callerOf, isPrimitive, primitives, stackText } from './primitive.ts';
export * from './refcount.ts';
export * from './rwsem.ts';
export * from './slab.ts';
export { type HeldLock, heldLabel, heldLocks, heldStack, type LockKind, type LockType, taskId } from './task.ts';
export { alloc, FREED, type Gen, isFreed, type KFn, type Where, worldOf } from './types.ts';
export * from './violations.ts';
export * from './wait.ts';
export * from './ww_mutex.ts';
