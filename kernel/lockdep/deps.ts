import type { ModelEvent } from '../../checker/point.ts';
import type { HeldLock, LockKind, LockType } from '../task.ts';
import type { AcquireEvent, SignalEvent, WaitEvent } from './events.ts';

/**
 * Which dependencies one event creates, given the task's held locks: the part of
 * kernel/locking/lockdep.c validate_chain() that is independent of the graph
 * (check_deadlock's recursion test and check_prevs_add's choice of prevs).
 */

/**
 * Dependency types of Documentation/locking/lockdep-design.rst "Dependency types
 * and strong dependency paths": E/S = the held lock is an exclusive/shared owner,
 * R/N = the new lock is a recursive reader / anything else.
 */
export type DepType = 'ER' | 'EN' | 'SR' | 'SN';

export const DEP_BIT: Readonly<Record<DepType, number>> = { ER: 1, EN: 2, SR: 4, SN: 8 };
export const DEP_TYPES: readonly DepType[] = ['ER', 'EN', 'SR', 'SN'];
/** edges whose source is held exclusively: -(E*)-> */
export const FROM_E = DEP_BIT.ER | DEP_BIT.EN;
/** edges into a recursive reader: -(*R)-> */
export const TO_R = DEP_BIT.ER | DEP_BIT.SR;

export function depType(prev: LockKind, next: LockKind): DepType {
  return `${prev === 'W' ? 'E' : 'S'}${next === 'R' ? 'R' : 'N'}` as DepType;
}

/** One side of a dependency: a class as acquired at one place. */
export type LockNode = {
  readonly class: string;
  readonly kind: LockKind;
  readonly lockType: LockType;
  readonly at: string;
  readonly fn: string;
};

/**
 * How a dependency arose: an acquisition under held locks (`acquire`), a wait under
 * held locks (`wait`: held -> wait class), or a signal under held locks
 * (`signal`: wait class -> held, "the signal needs these locks").
 */
export type DepMode = 'acquire' | 'wait' | 'signal';

/** prev -> next: next was taken (waited, needed) while prev was held. */
export type Dep = { readonly mode: DepMode; readonly prev: LockNode; readonly next: LockNode; readonly type: DepType };

export interface Analysis {
  /** check_deadlock(): the same class is already held (and this is not read-after-read recursion) */
  readonly recursion: { readonly prev: LockNode; readonly next: LockNode } | null;
  readonly deps: readonly Dep[];
  /** the held stack the dependencies were computed from */
  readonly held: readonly HeldLock[];
}

export function nodeOf(h: HeldLock, fn = ''): LockNode {
  return { class: h.class, kind: h.kind, lockType: h.type, at: h.at, fn };
}

/**
 * check_deadlock(): an earlier held lock of the same class is a recursion, except
 * a recursive read after any read (`(next->read == 2) && prev->read`).
 */
export function findRecursion(held: readonly HeldLock[], next: LockNode): HeldLock | null {
  for (const prev of held) {
    if (prev.class !== next.class) continue;
    if (next.kind === 'R' && prev.kind !== 'W') continue;
    return prev;
  }
  return null;
}

/**
 * check_prevs_add(): edges from the held locks, most recent first, down to and
 * including the first non-trylock ("non-trylock entries have added their own
 * direct dependencies already, so this lock is connected to them indirectly").
 */
export function prevsOf(held: readonly HeldLock[]): HeldLock[] {
  const out: HeldLock[] = [];
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i] as HeldLock;
    out.push(h);
    if (!h.trylock) break;
  }
  return out;
}

/** The dependencies an acquisition of `next` adds, given the locks held (trylocks add none). */
export function acquireDeps(held: readonly HeldLock[], next: LockNode, mode: DepMode = 'acquire'): Dep[] {
  return prevsOf(held).map((h) => ({ mode, prev: nodeOf(h), next, type: depType(h.kind, next.kind) }));
}

/**
 * Analyses one event. Waits are acquisitions of the wait class as a writer that
 * is released at once (__dma_fence_might_wait: lock_map_acquire + lock_map_release),
 * after dropping a read hold of that same class (so waiting inside one's own
 * signalling section is no recursion, as in dma-fence.c). A signal makes the wait
 * class depend on every lock the signaller holds.
 */
export function analyze(ev: ModelEvent, held: readonly HeldLock[]): Analysis | null {
  switch (ev.type) {
    case 'acquire': {
      const a = ev as unknown as AcquireEvent;
      if (a.trylock) return null;
      const next: LockNode = { class: a.class, kind: a.kind, lockType: a.lockType, at: a.at, fn: a.fn };
      const rec = findRecursion(held, next);
      if (rec) return { recursion: { prev: nodeOf(rec), next }, deps: [], held };
      return { recursion: null, deps: acquireDeps(held, next), held };
    }
    case 'wait': {
      const a = ev as unknown as WaitEvent;
      if (a.class === null) return null;
      const cls = a.class;
      const next: LockNode = { class: cls, kind: 'W', lockType: 'map', at: a.at, fn: a.fn };
      const h = held.filter((x) => x.class !== cls);
      return { recursion: null, deps: acquireDeps(h, next, 'wait'), held: h };
    }
    case 'signal': {
      const a = ev as unknown as SignalEvent;
      const prev: LockNode = { class: a.class, kind: 'W', lockType: 'map', at: a.at, fn: a.fn };
      const deps: Dep[] = [];
      for (const h of held) {
        if (h.class === a.class) continue;
        deps.push({ mode: 'signal', prev, next: nodeOf(h), type: depType('W', h.kind) });
      }
      return { recursion: null, deps, held };
    }
    default:
      return null;
  }
}
