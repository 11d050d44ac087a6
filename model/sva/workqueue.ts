/**
 * Workqueues (kernel/workqueue.c) as the SVA model needs them: system_wq, which
 * runs mmput_async()'s deferred __mmput, and the I/O page-fault queue's own
 * workqueue (io_pgfault.ts). Work runs on kworker threads of the scenario
 * (`kworker<i>` for system_wq, `iopf0` for the fault queue), each looping in
 * worker_thread() until the scenario's end stops it; flush_workqueue() is a real
 * wait for them, so a flusher holding a lock the work takes deadlocks here as it
 * does in the kernel. A workqueue with no worker thread in the scenario
 * (`workers` 0: the kworker=0 bound) has its queued work run by the flusher
 * itself, the old abstraction, kept so small bounds need no kworker.
 */
import type { Ref } from '../../checker/kind.ts';
import type { World } from '../../checker/world.ts';
import type { WorkItem } from './arguments.ts';
import type { SvaK } from './functions.ts';
import { SYSTEM_WQ } from './objects.ts';

/** A work item: the function INIT_WORK gave it and its argument (an mm, or a fault group). */
function pending(k: SvaK, wq: Ref<'workqueue'>): readonly WorkItem[] {
  return k.ctx.get(wq, 'pending');
}

/** queue_work(wq, work): the item goes to the tail; an idle worker is woken. */
export function* queue_work(k: SvaK, wq: Ref<'workqueue'>, item: WorkItem) {
  yield { action: `queue_work(${wq}, ${item.func})`, locs: [wq] };
  k.ctx.set(wq, 'pending', [...pending(k, wq), item]);
}

/** Runs one work item's function on the calling thread. */
function* run_work(k: SvaK, item: WorkItem) {
  if (item.func === 'mmput_async_fn') yield* k.mmput_async_fn(item.data);
  else yield* k.iopf_handle_group(item.data);
}

/**
 * process_one_work() from worker_thread(): sleep until an item is queued (or
 * the worker is stopped), take the oldest and run it. False once stopped with
 * nothing left. `running` counts items in progress, which flush_workqueue()
 * waits for.
 */
export function* process_one_work(k: SvaK, wq: Ref<'workqueue'>) {
  const r = (yield {
    action: `worker_thread(${wq}): process_one_work()`,
    locs: [wq],
    enabled: (w: World) => (w.peek(wq, 'pending') as WorkItem[]).length > 0 || w.peek(wq, 'stopped') === true,
    fire: (w: World) => (w.peek(wq, 'pending') as WorkItem[]).length > 0,
  }) as boolean;
  if (!r) return false;
  const [item, ...rest] = pending(k, wq) as [WorkItem, ...WorkItem[]];
  k.ctx.set(wq, 'pending', rest);
  k.ctx.set(wq, 'running', k.ctx.get(wq, 'running') + 1);
  yield* run_work(k, item);
  k.ctx.set(wq, 'running', k.ctx.get(wq, 'running') - 1);
  return true;
}

/** worker_thread(): a kworker of `wq` runs its work until kthread_stop(). */
export function* worker_thread(k: SvaK, wq: Ref<'workqueue'>) {
  while (yield* k.process_one_work(wq)) {
    // one item per turn
  }
}

/**
 * flush_workqueue(wq): sleep until every queued item has run and none is
 * running. (The kernel waits only for items queued before the flush; here
 * items queued during it are waited for too, which only lengthens a wait.)
 */
export function* flush_workqueue(k: SvaK, wq: Ref<'workqueue'>) {
  if (k.ctx.get(wq, 'workers') === 0) {
    for (let items = pending(k, wq); items.length > 0; items = pending(k, wq)) {
      yield { action: `flush_workqueue(${wq}): no worker, run ${items[0]?.func} here`, locs: [wq] };
      k.ctx.set(wq, 'pending', items.slice(1));
      yield* run_work(k, items[0] as WorkItem);
    }
    return;
  }
  yield {
    action: `flush_workqueue(${wq})`,
    locs: [wq],
    enabled: (w: World) => (w.peek(wq, 'pending') as WorkItem[]).length === 0 && w.peek(wq, 'running') === 0,
    waitsFor: () => `the work of ${wq} to finish`,
  };
}

/** flush_scheduled_work(): flush_workqueue(system_wq). */
export function* flush_scheduled_work(k: SvaK) {
  yield* k.flush_workqueue(SYSTEM_WQ);
}

/** The end of the scenario (not a kernel step): once flushed, the workqueue's kworkers leave worker_thread(). */
export function* kthread_stop_workers(k: SvaK, wq: Ref<'workqueue'>) {
  yield* k.flush_workqueue(wq);
  k.ctx.set(wq, 'stopped', true);
}
