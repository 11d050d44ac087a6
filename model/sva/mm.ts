/**
 * Process address spaces and their lifetime, as the seed relies on them
 * (kernel/fork.c, kernel/exit.c, kernel/ptrace.c, mm/mmap.c, mm/mmu_notifier.c
 * and kernel/workqueue.c of the 4.17 era, the base of seed 003).
 *
 * `mm_users` and `mm_count` are refcount_t fields of the mm object (kernel/
 * refcount.ts: an increment from zero or an underflow is reported), and the mm
 * is kzalloc'd, so touching it after the last mmdrop() is a use-after-free.
 */

import { createIn, type Ref } from '../../checker/kind.ts';
import { init_rwsem } from '../../kernel/rwsem.ts';
import { load, store } from '../../kernel/slab.ts';
import { isFreed } from '../../kernel/types.ts';
import { EACCES } from './errno.ts';
import type { SvaK } from './functions.ts';
import * as kinds from './kinds.ts';
import { mmapSem, mmKind, SYSTEM_WQ, taskId } from './objects.ts';

export const MM_USERS = 'mm_users';
export const MM_COUNT = 'mm_count';

type Task = Ref<'task_struct'>;
type Mm = Ref<'mm'>;

/** PTRACE_MODE_ATTACH_REALCREDS (include/linux/ptrace.h) */
export const PTRACE_MODE_ATTACH_REALCREDS = 'PTRACE_MODE_ATTACH_REALCREDS';

/**
 * find_get_task_by_vpid(): the task of a pid, with a reference. Exited tasks
 * stay findable as zombies (nothing reaps them in the model), with no mm. The
 * task_struct reference itself is not modelled (tasks are never freed).
 */
export function* find_get_task_by_vpid(k: SvaK, pid: number) {
  const task = taskId(pid);
  return k.ctx.exists(task) ? task : null;
}

/**
 * get_task_mm(): under task_lock, take an mm_users reference on task->mm (NULL
 * once exit_mm() cleared it). task_lock is a spinlock around two loads and an
 * atomic increment: one atomic step here.
 */
export function* get_task_mm(k: SvaK, task: string) {
  // a plain id: SvaMm takes one here (test/sva's mutants pass one)
  const t = task as Task;
  yield* k.task_lock(t);
  const mm = load(k.ctx, t, 'mm');
  if (mm) {
    const n = k.ctx.get(mm, MM_USERS);
    // mmget(): task->mm is set, so mm_users > 0 (exit_mm clears task->mm before its mmput)
    if (n === 0) k.ctx.fail('refcount-inc-from-zero', `refcount_t: addition on 0; use-after-free. mmget(${mm}) in get_task_mm`);
    k.ctx.set(mm, MM_USERS, n + 1);
    k.ctx.emit({ type: 'refcount', obj: mm, field: MM_USERS, op: 'inc', from: n, to: n + 1, fn: 'mmget' });
  }
  return mm;
}

/** task_lock(p): spin_lock(&p->alloc_lock); the section up to task_unlock() is atomic in the model. */
export function* task_lock(_k: SvaK, task: Task) {
  yield { action: `task_lock(${task})`, locs: [task] };
}

/**
 * __ptrace_may_access() reduced to credentials: the same thread group, or the
 * same uid on a dumpable target, or a privileged caller. Creds never change in
 * the model (no setuid or exec), so the check cannot go stale (see docs/sva.md).
 */
export function* ptrace_may_access(k: SvaK, task: Task, _mode: string) {
  const me = k.current;
  if (me === null) return false;
  if (me === task) return true;
  const uid = k.ctx.get(me, 'uid');
  if (uid === 0) return true;
  return uid === k.ctx.get(task, 'uid') && k.ctx.get(task, 'dumpable');
}

/**
 * mm_access(): the task's mm with an mm_users reference if the caller may
 * ptrace it in `mode` (or it is the caller's own mm); ERR_PTR(-EACCES) if it
 * may not (the reference is dropped again), NULL if the task has no mm. The
 * exec_update_lock (cred_guard_mutex in 2018) is not modelled: creds are fixed.
 */
export function* mm_access(k: SvaK, task: Task, mode: string) {
  const mm = yield* k.get_task_mm(task);
  const mine = k.current === null ? null : k.ctx.get(k.current, 'mm');
  if (mm && mm !== mine && !(yield* k.ptrace_may_access(task, mode))) {
    yield* k.mmput(mm);
    return EACCES;
  }
  return mm;
}

/** mmget(): the caller already holds a user (or task_lock with task->mm set), so this never starts from 0. */
export function* mmget(k: SvaK, mm: Mm) {
  yield* k.refcount_inc(mm, MM_USERS);
}

/** mmget_not_zero(): atomic_inc_not_zero(&mm->mm_users); fails once the last user is gone. */
export function* mmget_not_zero(k: SvaK, mm: Mm) {
  return yield* k.refcount_inc_not_zero(mm, MM_USERS);
}

/** mmgrab(): a reference on the mm_struct itself (mm_count), not on the address space. */
export function* mmgrab(k: SvaK, mm: Mm) {
  yield* k.refcount_inc(mm, MM_COUNT);
}

/** mmdrop(): the last mm_count reference frees the mm_struct (__mmdrop). */
export function* mmdrop(k: SvaK, mm: Mm) {
  if (yield* k.refcount_dec_and_test(mm, MM_COUNT)) yield* k.__mmdrop(mm);
}

/** __mmdrop(): pgd_free, mmu_notifier_mm_destroy, free_mm. */
export function* __mmdrop(k: SvaK, mm: Mm) {
  yield* k.kfree(mm);
  k.ctx.send(mm, { type: 'FREE' });
}

/**
 * mmput(): dropping the last user tears the address space down right here, in
 * the caller's context, exit notifiers included. "might_sleep()": a caller
 * holding a lock that an exit notifier takes deadlocks (the seed's replay comment).
 */
export function* mmput(k: SvaK, mm: Mm) {
  if (yield* k.refcount_dec_and_test(mm, MM_USERS)) {
    k.ctx.send(mm, { type: 'LAST_USER' });
    yield* k.__mmput(mm);
  }
}

/**
 * mmput_async(): the last user's teardown is queued on the system workqueue
 * (INIT_WORK(&mm->async_put_work, mmput_async_fn); schedule_work()), so it runs
 * on a kworker, never under the caller's locks.
 */
export function* mmput_async(k: SvaK, mm: Mm) {
  if (yield* k.refcount_dec_and_test(mm, MM_USERS)) {
    k.ctx.send(mm, { type: 'LAST_USER' });
    yield* k.schedule_work(mm);
  }
}

/** mmput_async_fn(): the work item: __mmput() on a kworker. */
export function* mmput_async_fn(k: SvaK, mm: Mm) {
  yield* k.__mmput(mm);
}

/** __mmput(): exit_mmap() (exit notifiers first), then the users' collective mm_count reference goes. */
export function* __mmput(k: SvaK, mm: Mm) {
  // what no-last-mmput-under-lock watches: the thread that runs the teardown and the locks it holds
  k.ctx.emit({ type: 'sva-mmput-teardown', mm });
  k.ctx.send(mm, { type: 'EXIT_MMAP' });
  yield* k.exit_mmap(mm);
  yield* k.mmdrop(mm);
}

/**
 * exit_mmap(): mmu_notifier_release() runs before anything is unmapped, so
 * the SVA core can stop the device while the page tables are still there; then
 * unmap_vmas() and free_pgtables() take the address space away.
 */
export function* exit_mmap(k: SvaK, mm: Mm) {
  yield* k.mmu_notifier_release(mm);
  yield { action: `exit_mmap(${mm}): unmap_vmas(), free_pgtables()`, locs: [mm] };
  if (isFreed(k.ctx.world, mm)) k.ctx.fail('use-after-free', `exit_mmap: ${mm} freed under its own teardown`);
  k.ctx.send(mm, { type: 'TEARDOWN' });
}

/**
 * __mmu_notifier_release(): every registered notifier's ->release (here the SVA
 * core's io_mm notifiers), then every notifier is unhashed from the mm.
 */
export function* mmu_notifier_release(k: SvaK, mm: Mm) {
  for (const ioMm of load(k.ctx, mm, 'notifiers')) yield* k.iommu_notifier_release(ioMm, mm);
  yield { action: `__mmu_notifier_release(${mm}): hlist_del_init_rcu() every notifier`, locs: [mm] };
  store(k.ctx, mm, 'notifiers', []);
}

/** mmu_notifier_register(): hash the notifier on the mm, with an mm_count pin (do_mmu_notifier_register: mmgrab). */
export function* mmu_notifier_register(k: SvaK, ioMm: Ref<'io_mm'>, mm: Mm) {
  yield* k.mmgrab(mm);
  yield { action: `mmu_notifier_register(${ioMm}, ${mm})`, locs: [mm] };
  store(k.ctx, mm, 'notifiers', [...load(k.ctx, mm, 'notifiers'), ioMm]);
}

/** mmu_notifier_unregister_no_release(): unhash (touching mm->mmu_notifier_mm) and drop the pin. */
export function* mmu_notifier_unregister_no_release(k: SvaK, ioMm: Ref<'io_mm'>, mm: Mm) {
  yield { action: `mmu_notifier_unregister_no_release(${ioMm}, ${mm})`, locs: [mm] };
  store(
    k.ctx,
    mm,
    'notifiers',
    load(k.ctx, mm, 'notifiers').filter((n) => n !== ioMm),
  );
  yield* k.mmdrop(mm);
}

/** schedule_work(&mm->async_put_work): INIT_WORK(..., mmput_async_fn) on system_wq. */
export function* schedule_work(k: SvaK, mm: Mm) {
  yield* k.queue_work(SYSTEM_WQ, { func: 'mmput_async_fn', data: mm });
}

/**
 * exit_mm(): under task_lock, current->mm = NULL; then mmput(). (The lazy-TLB
 * mmgrab of active_mm and the core-dump handshake are not modelled.)
 */
export function* exit_mm(k: SvaK, task: Task) {
  const mm = k.ctx.get(task, 'mm');
  if (!mm) return;
  yield* k.task_lock(task);
  store(k.ctx, task, 'mm', null);
  // task_unlock(); mm_update_next_owner()
  yield* k.mmput(mm);
}

/** exit_files(): put_files_struct → close every fd (fput; the last one's release runs as task work). */
export function* exit_files(k: SvaK, task: Task) {
  for (const f of k.ctx.get(task, 'fds')) {
    k.ctx.set(
      task,
      'fds',
      k.ctx.get(task, 'fds').filter((x) => x !== f),
    );
    yield* k.fput(f);
  }
}

/** do_exit(): exit_mm() before exit_files(), as in kernel/exit.c; the task stays a zombie. */
export function* do_exit(k: SvaK, task: Task) {
  if (!k.ctx.get(task, 'alive')) return;
  yield* k.exit_mm(task);
  yield* k.exit_files(task);
  k.ctx.set(task, 'alive', false);
}

/**
 * copy_process() for fork(): a child with the parent's creds, a copy of its
 * address space (dup_mm: a new mm_struct, one user) and every fd (get_file on
 * each: the child inherits the container and group fds, as the seed's uapi
 * comment says). Returns the child's pid.
 */
export function* copy_process(k: SvaK, parent: Task) {
  const { ctx } = k;
  // alloc_pid() and dup_mm() before anything can sleep, so concurrent forks get distinct pids
  const pid = ctx.ids('task_struct').length;
  const child = taskId(pid);
  const mm = ctx.make(kinds.mm, { owner: pid });
  ctx.emit({ type: 'alloc', obj: mm, kind: mmKind });
  init_rwsem(ctx.world, '&mm->mmap_sem', { id: mmapSem(mm), name: `&${mm}->mmap_sem` });
  // not alive (runnable) until wake_up_new_task(), at the end
  createIn(ctx.world, kinds.task, { pid, uid: ctx.get(parent, 'uid'), mm, alive: false, parent: ctx.get(parent, 'pid') }, child);
  // dup_fd(): every open file gets a reference for the child
  const fds = ctx.get(parent, 'fds');
  for (const f of fds) yield* k.get_file(f);
  ctx.set(child, 'fds', [...fds]);
  // wake_up_new_task()
  ctx.set(child, 'alive', true);
  return pid;
}
