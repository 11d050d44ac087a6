/**
 * The SVA / PASID bind properties (seed 003; docs/sva.md). They read only
 * what the model reports (events) and the world at the moment of the report,
 * so they judge every SVA design the same way. The generic lock-order and
 * lifecycle-legality properties apply to SVA designs too (properties/catalog.ts),
 * through the kernel/ violation kinds the model produces; the SVA model's
 * reference counts are judged by bond-freed-once and pasid-dma-bound instead.
 */
import type { ExecView, Monitor } from '../checker/monitor.ts';
import type { ModelEvent, Violation } from '../checker/point.ts';
import type { World } from '../checker/world.ts';
import { heldStack } from '../kernel/task.ts';
import { isFreed } from '../kernel/types.ts';
import type { Property } from './property.ts';

/** The lockdep class of the container's mutex (model/sva/system.ts). */
export const IOMMU_LOCK_CLASS = '&iommu->lock';

function stale(): Monitor {
  return {
    name: 'pasid-dma-bound',
    onEvent(ev: ModelEvent): Violation | null {
      if (ev.type !== 'pasid-dma' || ev.outcome !== 'translated') return null;
      const why: string[] = [];
      if (ev.mmState === 'exited' || ev.mmState === 'freed')
        why.push(`${String(ev.mm)} has exited (${String(ev.mmState)}): its page tables are gone`);
      if (ev.bond === null || ev.bondState === 'detached')
        why.push(`no SVA bond backs PASID ${String(ev.pasid)} on ${String(ev.dev)} any more (unbound)`);
      if (ev.mm !== ev.intended)
        why.push(
          `PASID ${String(ev.pasid)} now belongs to ${String(ev.mm)}, but the device was programmed with it for ${String(ev.intended)} (reused by another process)`,
        );
      if (why.length === 0) return null;
      return {
        kind: 'stale-pasid-dma',
        message: `${ev.what === undefined ? 'DMA' : String(ev.what)} from ${String(ev.dev)} tagged PASID ${String(ev.pasid)} translated through ${String(ev.mm)}: ${why.join('; ')}`,
      };
    },
  };
}

export const pasidDmaBound: Property = {
  name: 'pasid-dma-bound',
  domain: 'sva',
  statement:
    'No DMA tagged with a PASID is translated by the IOMMU through an address space that is no longer bound for it: when a device DMA tagged with PASID P (programmed by user space with the P a bind returned for process X, and not stopped by user space before its own UNBIND or UNSET_CONTAINER) is translated, the PASID table entry must be backed by a live SVA bond, lead to X itself (not to another process P was reallocated to), and X must not have exited (page tables freed). Faulting or aborting the DMA is always allowed.',
  checked: ['every step'],
  kinds: ['stale-pasid-dma'],
  limits:
    "DMA is one atomic translation per request; a page request (faults bound) counts as translated where the fault worker's handle_mm_fault() runs. ATS/ATC caching is not modelled, so a stale translation cached in the device after the entry is cleared is not seen. Page tables are intact until exit_mmap unmaps them (DMA during the exit notifiers counts as bound). User space is assumed to stop its DMA before UNBIND and UNSET_CONTAINER, as the kernel asks; it cannot stop DMA on process exit, which it does not see.",
  monitors: () => [stale()],
};

/** What is left of the bonds at quiescence. */
export function bondLeaks(w: World): string[] {
  const out: string[] = [];
  for (const m of w.ids('vfio_mm'))
    if (!isFreed(w, m)) out.push(`vfio_mm ${m} (of ${String(w.peek(m, 'mm'))}) never freed (${w.state(m)})`);
  for (const b of w.ids('iommu_bond'))
    if (!isFreed(w, b))
      out.push(`SVA bond ${b} (${String(w.peek(b, 'dev'))}, ${String(w.peek(b, 'io_mm'))}) never detached (${w.state(b)})`);
  for (const m of w.ids('io_mm'))
    if (w.peek(m, 'released') !== true)
      out.push(`io_mm ${m} (PASID ${String(w.peek(m, 'pasid'))} of ${String(w.peek(m, 'mm'))}) never released: the PASID leaks`);
  return out;
}

function bondQuiescence(): Monitor {
  return {
    name: 'bond-freed-once-at-quiescence',
    atEnd(exec: ExecView): Violation | null {
      const left = bondLeaks(exec.world);
      if (left.length === 0) return null;
      return {
        kind: 'bond-leak',
        message: `at quiescence: ${left[0]}${left.length > 1 ? ` (and ${left.length - 1} more)` : ''}`,
        report: left.map((l) => `  ${l}`).join('\n'),
      };
    },
  };
}

export const bondFreedOnce: Property = {
  name: 'bond-freed-once',
  domain: 'sva',
  statement:
    'Every bond is freed exactly once, whichever of VFIO_IOMMU_UNBIND, the mm_exit callback, vfio_iommu_free_all_mm and the error paths gets to it: no kfree of a freed vfio_mm or iommu_bond (double-free), no access to a freed vfio_mm, iommu_bond, mm_struct or vfio_iommu (use-after-free), and at quiescence (every thread done, then every process exited and the workqueue flushed) every vfio_mm has been freed, every SVA bond detached and every io_mm released with its PASID (bond-leak).',
  checked: ['every step', 'at quiescence'],
  kinds: ['double-free', 'use-after-free', 'bond-leak'],
  limits:
    'The io_mm is freed after an SRCU grace period in the kernel; the model runs io_mm_free at once and never reuses io_mm memory, so a use of a released io_mm is not reported as a use-after-free. Address reuse of a freed mm_struct by a new process (an ABA match in the idempotent bind path) cannot happen: ids are never reused.',
  monitors: () => [bondQuiescence()],
};

function lastMmput(): Monitor {
  return {
    name: 'no-last-mmput-under-lock',
    onEvent(ev: ModelEvent, exec: ExecView): Violation | null {
      if (ev.type !== 'sva-mmput-teardown') return null;
      const held = heldStack(exec.world, exec.thread).filter((h) => h.class === IOMMU_LOCK_CLASS);
      if (held.length === 0) return null;
      return {
        kind: 'last-mmput-under-lock',
        message: `${exec.thread} drops the last user of ${String(ev.mm)} and runs __mmput() (exit_mmap, then the exit notifiers and mm_exit) while holding ${IOMMU_LOCK_CLASS} (taken in ${held.map((h) => h.at).join(', ')})`,
      };
    },
  };
}

export const noLastMmputUnderLock: Property = {
  name: 'no-last-mmput-under-lock',
  domain: 'sva',
  statement:
    "No thread runs the last-user teardown of an mm (__mmput: exit_mmap and the MMU notifiers, hence the SVA core's mm_exit callbacks) while it holds &iommu->lock. Dropping the last user under the lock with mmput_async() is allowed: the teardown is queued and runs on a kworker, which holds no VFIO lock.",
  checked: ['every step'],
  kinds: ['last-mmput-under-lock'],
  limits:
    'Checked when the teardown starts, on the thread that runs it; a path that could drop the last user but does not in the explored interleavings is not reported (lockdep has no annotation for it either).',
  monitors: () => [lastMmput()],
};

type Window = {
  readonly caller: string;
  readonly target: string | null;
  readonly permitted: boolean;
  readonly mm: string | null;
  readonly delta: number;
};

/** PTRACE_MODE_ATTACH_REALCREDS as the model's processes have it: same task or same mm, root, or same uid on a dumpable target. */
export function mayAttach(w: World, caller: string, target: string | null): boolean {
  if (target === null) return false;
  const mm = w.peek(target, 'mm');
  if (mm === null) return false;
  if (caller === target || w.peek(caller, 'mm') === mm) return true;
  if (w.peek(caller, 'uid') === 0) return true;
  return w.peek(caller, 'uid') === w.peek(target, 'uid') && w.peek(target, 'dumpable') === true;
}

function permission(): Monitor {
  let open = new Map<string, Window>();
  return {
    name: 'foreign-bind-permission',
    reset() {
      open = new Map();
    },
    save: () => new Map([...open].map(([t, win]) => [t, { ...win }])),
    load(saved) {
      open = new Map([...(saved as typeof open)].map(([t, win]) => [t, { ...win }]));
    },
    key() {
      return JSON.stringify([...open.entries()].sort());
    },
    onEvent(ev: ModelEvent, exec: ExecView): Violation | null {
      const w = exec.world;
      if (ev.type === 'sva-bind-begin') {
        const caller = ev.caller as string;
        const target = ev.target as string | null;
        const permitted = mayAttach(w, caller, target);
        open.set(exec.thread, {
          caller,
          target,
          permitted,
          mm: target === null ? null : (w.peek(target, 'mm') as string | null),
          delta: 0,
        });
        return null;
      }
      const win = open.get(exec.thread);
      if (!win || win.permitted) {
        if (win && ev.type === 'sva-bind-end') open.delete(exec.thread);
        return null;
      }
      const who = `${win.caller} binding ${win.target ?? 'a missing pid'} without ptrace permission`;
      if (ev.type === 'alloc' && (ev.kind === 'vfio_mm' || ev.kind === 'io_mm' || ev.kind === 'iommu_bond'))
        return { kind: 'unpermitted-bind', message: `${who} allocated ${String(ev.kind)} ${String(ev.obj)}` };
      if (ev.type === 'refcount' && ev.obj === win.mm && (ev.field === 'mm_users' || ev.field === 'mm_count')) {
        open.set(exec.thread, { ...win, delta: win.delta + (ev.to as number) - (ev.from as number) });
        return null;
      }
      if (ev.type === 'sva-bind-end') {
        open.delete(exec.thread);
        const ret = ev.ret as number;
        if (ret >= 0) return { kind: 'unpermitted-bind', message: `${who} succeeded (returned ${ret})` };
        if (win.delta !== 0)
          return { kind: 'unpermitted-bind', message: `${who} failed (${ret}) but changed ${win.mm}'s reference counts by ${win.delta}` };
      }
      return null;
    },
  };
}

export const foreignBindPermission: Property = {
  name: 'foreign-bind-permission',
  domain: 'sva',
  statement:
    "A VFIO_IOMMU_BIND of a foreign pid by a caller without PTRACE_MODE_ATTACH_REALCREDS rights over it (not the same process or mm, not root, not the same uid on a dumpable target; or no such live process) fails with an error and changes nothing: during the call the caller allocates no vfio_mm, io_mm or SVA bond, and the target mm's mm_users and mm_count are back where they were when it returns.",
  checked: ['every step'],
  kinds: ['unpermitted-bind'],
  limits:
    'Credentials never change in the model (no setuid, exec or credential passing), so the time-of-check/time-of-use question (the bond keeps granting DMA access after the target became unptraceable, or after the fd moved to another process) is out of scope; only the check at bind time is judged. The forked child inherits the bonds by design (uapi comment) and is not a violation.',
  monitors: () => [permission()],
};

export const svaProperties: Property[] = [pasidDmaBound, bondFreedOnce, noLastMmputUnderLock, foreignBindPermission];
