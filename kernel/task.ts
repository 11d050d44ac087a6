import { peekField, type Ref, refTo, setField } from '../checker/kind.ts';
import type { World } from '../checker/world.ts';
import { type HeldLock, task } from './kinds.ts';
import { allocKind } from './types.ts';

export type { HeldLock, LockKind, LockType } from './kinds.ts';

/**
 * The per-task held-lock stack (`current->held_locks` in kernel/locking/lockdep.c),
 * kept in the world so that trace labels, assertions and lockdep all read the
 * same thing. One object per thread, written only by that thread, so it never
 * makes two threads' steps conflict for partial-order reduction.
 */

/** Each thread's task id, made once: a string built afresh would be hashed again at every world lookup of it. */
const taskIds = new Map<string, Ref<'task'>>();

export function taskId(thread: string): Ref<'task'> {
  let id = taskIds.get(thread);
  if (id === undefined) {
    id = refTo('task', `task:${thread}`);
    taskIds.set(thread, id);
  }
  return id;
}

const EMPTY: readonly HeldLock[] = [];

/** The thread's held locks, oldest first (#0 first, as lockdep_print_held_locks). */
export function heldStack(w: World, thread: string): readonly HeldLock[] {
  const id = taskId(thread);
  return w.has(id) ? peekField(w, id, 'held') : EMPTY;
}

function setHeld(w: World, thread: string, held: readonly HeldLock[]): void {
  const id = taskId(thread);
  if (!w.has(id)) allocKind(w, task, { held }, id);
  else setField(w, id, 'held', held);
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
