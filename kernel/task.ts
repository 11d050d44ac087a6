import type { World } from '../checker/world.ts';

/**
 * The per-task held-lock stack (`current->held_locks` in kernel/locking/lockdep.c),
 * kept in the world so that trace labels, assertions and lockdep all read the
 * same thing. One object per thread, written only by that thread, so it never
 * makes two threads' steps conflict for partial-order reduction.
 */

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

/** Each thread's task id, made once: a string built afresh would be hashed again at every world lookup of it. */
const taskIds = new Map<string, string>();

export function taskId(thread: string): string {
  let id = taskIds.get(thread);
  if (id === undefined) {
    id = `task:${thread}`;
    taskIds.set(thread, id);
  }
  return id;
}

const EMPTY: readonly HeldLock[] = [];

/** The thread's held locks, oldest first (#0 first, as lockdep_print_held_locks). */
export function heldStack(w: World, thread: string): readonly HeldLock[] {
  const id = taskId(thread);
  return w.has(id) ? (w.peek(id, 'held') as unknown as readonly HeldLock[]) : EMPTY;
}

function setHeld(w: World, thread: string, held: readonly HeldLock[]): void {
  const id = taskId(thread);
  if (!w.has(id)) w.create('task', { held }, null, id);
  else w.set(id, 'held', held);
}

export function pushHeld(w: World, thread: string, h: HeldLock): void {
  setHeld(w, thread, [...heldStack(w, thread), h]);
}

/** The most recent entry for a lock instance, as lockdep's find_held_lock() (searches from the top). */
export function findHeld(w: World, thread: string, lock: string): HeldLock | null {
  const held = heldStack(w, thread);
  for (let i = held.length - 1; i >= 0; i--) if ((held[i] as HeldLock).lock === lock) return held[i] as HeldLock;
  return null;
}

/** Removes the most recent entry for a lock instance; locks need not be released in LIFO order. */
export function popHeld(w: World, thread: string, lock: string): HeldLock | null {
  const held = heldStack(w, thread);
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i] as HeldLock;
    if (h.lock === lock) {
      setHeld(w, thread, [...held.slice(0, i), ...held.slice(i + 1)]);
      return h;
    }
  }
  return null;
}

/** Changes an entry in place (lock_downgrade: W becomes r). */
export function patchHeld(w: World, thread: string, lock: string, patch: Partial<HeldLock>): void {
  const held = heldStack(w, thread);
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i] as HeldLock;
    if (h.lock === lock) {
      setHeld(w, thread, [...held.slice(0, i), { ...h, ...patch }, ...held.slice(i + 1)]);
      return;
    }
  }
}

/** Trace label of a held lock: kind shown for rwsems and maps, where it matters. */
export function heldLabel(h: HeldLock): string {
  return h.type === 'rwsem' || h.type === 'map' ? `${h.class} (${h.kind})` : h.class;
}

/**
 * `System.stepContext`-ready: the locks a thread holds, oldest first, e.g.
 * `["&vdev->memory_lock (W)", "reservation_ww_class_mutex"]`.
 */
export function heldLocks(w: World, thread: string): string[] {
  return heldStack(w, thread).map(heldLabel);
}
