/**
 * The kernel's own object kinds, each declared once: the locks, the
 * completion, the dma_fence and dma_resv, the struct file and fd table, the
 * kref, the per-task held-lock stack and the run's kernel config. Their ids
 * stay what traces and counterexample files spell (`priv0.kref`,
 * `vdev0.memory_lock`, `task:t0`); the handles are typed (`Ref<'rwsem'>`), so
 * a field read such as `peekField(w, sem, 'readers')` is checked against the
 * declaration here, and an rwsem cannot be passed where a mutex is taken.
 *
 * The field order of each declaration is the order the objects were created
 * with before kinds were declared: a layout's slots follow it, so states hash
 * as they did.
 */
import { declareKind, type Fields, type Handle, type KindDecl, type Ref } from '../checker/kind.ts';

/** No lifecycle machine: the kernel's objects have fields only (their lifecycles are the model's), so no event can be sent to one. */
type NoEvent = { readonly type: never };

function fieldsOnly<K extends string, F extends Fields>(kind: K, init: F): KindDecl<K, F, NoEvent> {
  return declareKind<K, F, NoEvent>(kind, init, null);
}

/** How a lock class is used: a real lock kind, or a lockdep-only map (`struct lockdep_map`). */
export type LockType = 'mutex' | 'ww_mutex' | 'rwsem' | 'map';

/**
 * Acquisition kind, as lockdep's `read` argument of lock_acquire():
 * W = exclusive (read=0), r = non-recursive read (read=1, down_read),
 * R = recursive read (read=2, e.g. lock_map_acquire_read / rwlock read_lock).
 */
export type LockKind = 'W' | 'r' | 'R';

/** One entry of the held-lock stack (`struct held_lock`). */
export type HeldLock = {
  /** the lock instance's object id (or `map:<class>` for a lockdep map) */
  readonly lock: string;
  /** the lockdep class key, with `/subclass` when nested (lockdep.c __print_lock_name) */
  readonly class: string;
  readonly type: LockType;
  readonly kind: LockKind;
  readonly trylock: boolean;
  /** the function that took it (`acquire_ip`) */
  readonly at: string;
};

/** A lock instance's fields: its lockdep class, its type, how actions show it, and its owner (a thread, or null). */
type LockFields<T extends LockType> = {
  class: string;
  type: T;
  name: string;
  owner: string | null;
};

/** A waiter queued on an rwsem (FIFO): its thread and whether it wants the lock for write or read. */
export type RwsemWaiter = { readonly t: string; readonly k: 'W' | 'r' };

/** A fence on a dma_resv, with its usage (borrowed: the resv takes no reference). */
export type FenceSlot = { readonly fence: Ref<'dma_fence'>; readonly usage: number };

const lock = <T extends Exclude<LockType, 'map'>>(type: T): LockFields<T> => ({ class: '', type, name: '', owner: null });

/** struct mutex (kernel/locking/mutex.c) */
export const mutex = fieldsOnly('mutex', lock('mutex'));
/** struct ww_mutex used without an acquire context (kernel/locking/ww_mutex.h) */
export const wwMutex = fieldsOnly('ww_mutex', lock('ww_mutex'));
/** struct rw_semaphore (kernel/locking/rwsem.c): readers, one entry per read hold, and the FIFO wait queue */
export const rwsem = fieldsOnly('rwsem', { ...lock('rwsem'), readers: [] as readonly string[], waiters: [] as readonly RwsemWaiter[] });
/** struct completion (kernel/sched/completion.c): its name, lockdep wait class and done count */
export const completion = fieldsOnly('completion', { name: '', class: '', done: 0 as number });
/** struct dma_fence (drivers/dma-buf/dma-fence.c) */
export const dmaFence = fieldsOnly('dma_fence', { signaled: false as boolean, refcount: 1 as number });
/** struct dma_resv (drivers/dma-buf/dma-resv.c): its ww_mutex, set by dma_resv_init(), and its fences */
export const dmaResv = fieldsOnly('dma_resv', { lock: null as Ref<'ww_mutex'> | null, fences: [] as readonly FenceSlot[] });
/** struct file (fs/file_table.c): f_count, the f_op table's name, and private_data (an object id, or null) */
export const file = fieldsOnly('file', { f_count: 1 as number, f_op: '', private_data: null as string | null });
/** struct files_struct: fd number -> file */
export const filesStruct = fieldsOnly('files_struct', { fd: {} as { readonly [fd: string]: Ref<'file'> } });
/** struct kref (include/linux/kref.h) as an object of its own, embedded in its owner's allocation */
export const kref = fieldsOnly('kref', { refcount: 0 as number });
/** `current->held_locks`: the thread's held-lock stack (task.ts) */
export const task = fieldsOnly('task', { held: [] as readonly HeldLock[] });
/** The kernel configuration switches of a run (config.ts) */
export const kconfig = fieldsOnly('kconfig', { syncFput: false as boolean });

declare module '../checker/kind.ts' {
  interface Kinds {
    mutex: typeof mutex;
    ww_mutex: typeof wwMutex;
    rwsem: typeof rwsem;
    completion: typeof completion;
    dma_fence: typeof dmaFence;
    dma_resv: typeof dmaResv;
    file: typeof file;
    files_struct: typeof filesStruct;
    kref: typeof kref;
    task: typeof task;
    kconfig: typeof kconfig;
  }
}

/** A lock a thread can own exclusively: the mutex core is shared by ww_mutex (mutex.ts lockExclusive). */
export type ExclusiveLock = Handle<'mutex'> | Handle<'ww_mutex'>;
/** Any lock instance (a lockdep map is not an object and has no handle). */
export type LockRef = ExclusiveLock | Handle<'rwsem'>;
/** A lock instance as the object it is. */
export type LockObject = Ref<'mutex'> | Ref<'ww_mutex'> | Ref<'rwsem'>;

/** The object of a lock handle: every LockRef names one of the three lock kinds, whose common fields (LockFields) are what lock code reads. */
export function lockObject(lock: LockRef): LockObject {
  return lock as LockObject;
}
