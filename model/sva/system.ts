/**
 * An SVA design as the engine sees it: the initial world (processes and their
 * mms, the container with its type1 IOMMU, groups and devices, the fds of the
 * container owner) and the commands threads run, each bound to the design's
 * function table.
 *
 * The initial attachments and bonds are not written by hand: setup runs the
 * design's own code (VFIO_GROUP_SET_CONTAINER of group0, then
 * VFIO_IOMMU_BIND of the foreign process 1 if `bound`) to completion on a
 * setup thread before any scenario thread exists, so a variant's setup state
 * is what its own functions produce.
 */
import { Ctx, type ExecutorHooks, type OpFn } from '../../checker/context.ts';
import { createIn, type Ref } from '../../checker/kind.ts';
import type { System } from '../../checker/scenario.ts';
import type { Args } from '../../checker/value.ts';
import type { World } from '../../checker/world.ts';
import { kernel_config } from '../../kernel/config.ts';
import { alloc_file } from '../../kernel/file.ts';
import { mutex_init } from '../../kernel/mutex.ts';
import { init_rwsem } from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';
import { binder, type Gen } from '../bind.ts';
import { addedOps, type Design } from '../design.ts';
import { Fops } from '../fops.ts';
import { systemCache } from '../system-cache.ts';
import { svaCommands } from './actors.ts';
import type { SvaK, SvaTable } from './functions.ts';
import * as kinds from './kinds.ts';
import {
  CONTAINER,
  containerFile,
  devId,
  groupFile,
  groupId,
  IOMMU,
  IOPF_WQ,
  iommuLock,
  JOBS,
  mmapSem,
  OWNER_PID,
  PASID_IDR,
  SYSTEM_WQ,
  taskId,
} from './objects.ts';
import { setupOf } from './setup.ts';
import { groupLock } from './vfio.ts';

export const VFIO_FOPS = 'vfio_fops';
export const VFIO_GROUP_FOPS = 'vfio_group_fops';

export { type SvaSetup, setupOf } from './setup.ts';

/**
 * The thread → task mapping: which process a scenario thread runs as
 * (`current`), resolved when an operation starts. Only a child thread's answer
 * can change (null before the fork); its commands then return -ESRCH in their
 * first step, so the unlogged read cannot make two equal logged states differ.
 */
export function currentOf(w: World, thread: string): Ref<'task_struct'> | null {
  if (thread.startsWith('user') || thread === 'setup') return taskId(OWNER_PID);
  if (thread.startsWith('child')) {
    for (const t of w.ids('task_struct')) if (w.peek(t, 'parent') !== null) return t as Ref<'task_struct'>;
    return null;
  }
  const m = /^proc(\d+)$/.exec(thread);
  if (m) {
    const t = taskId(Number(m[1]) + 1);
    return w.has(t) ? t : null;
  }
  return null;
}

function createTask(w: World, pid: number, uid: number, fds: Ref<'file'>[]): void {
  const task = taskId(pid);
  const mm = createIn(w, kinds.mm, { owner: pid }, `mm${pid}`);
  init_rwsem(w, '&mm->mmap_sem', { id: mmapSem(mm), name: `&${mm}->mmap_sem` });
  createIn(w, kinds.task, { pid, uid, mm, fds }, task);
}

/** Runs a kernel call to completion in setup, before any scenario thread exists (so nothing can block). */
function runInSetup(w: World, bind: (ctx: Ctx) => SvaK, body: (k: SvaK) => Gen<unknown>): void {
  const deferred: { fn: OpFn; args: Args }[] = [];
  const hooks: ExecutorHooks = {
    stack: [],
    emit: () => {},
    note: () => {},
    defer: (_name, args, fn) => deferred.push({ fn, args }),
  };
  const ctx = new Ctx('setup', w, hooks);
  const run = (g: Generator<unknown, unknown, unknown>) => {
    let r = g.next();
    while (!r.done) {
      const p = r.value as { action: string; enabled?: (w: World) => boolean; fire?: (w: World) => unknown; joinAll?: boolean };
      if (p.joinAll || (p.enabled && !p.enabled(w))) throw new Error(`setup blocked at ${p.action}`);
      r = g.next(p.fire?.(w));
    }
  };
  const k = bind(ctx);
  run(body(k));
  while (deferred.length > 0) {
    const d = deferred.shift() as { fn: OpFn; args: Args };
    run(d.fn(ctx, d.args));
  }
}

/**
 * The world before any thread runs: P0 (the container owner, pid 0) with the
 * container fd and one fd per group; foreign processes 1..procs; the type1
 * IOMMU; group0 set to the container; and, if `bound`, process 1 bound.
 */
export function setupSvaWorld(w: World, a: Args, design: Design<SvaTable>, bind: (ctx: Ctx) => SvaK, fops: Fops): void {
  const p = setupOf(a);
  kernel_config(w, { syncFput: design.flags.syncFput });
  const groups = Array.from({ length: p.groups }, (_, i) => groupId(i));
  createTask(w, OWNER_PID, 1000, [containerFile, ...groups.map(groupFile)]);
  // pid 1: same user, dumpable (PTRACE_MODE_ATTACH_REALCREDS allowed); pid 2: a root daemon (refused)
  for (let pid = 1; pid <= p.procs; pid++) createTask(w, pid, pid === 2 ? 0 : 1000, []);
  // VFIO_SET_IOMMU done: the container with its type1 vfio_iommu (vfio_iommu_type1_open)
  createIn(w, kinds.container, { iommu_data: IOMMU }, CONTAINER);
  init_rwsem(w, '&container->group_lock', { id: groupLock(CONTAINER), name: `&${CONTAINER}->group_lock` });
  createIn(w, kinds.vfioIommu, {}, IOMMU);
  mutex_init(w, '&iommu->lock', { id: iommuLock(IOMMU), name: `&${IOMMU}->lock` });
  alloc_file(w, fops.get(VFIO_FOPS), { id: containerFile, private_data: CONTAINER });
  groups.forEach((g, i) => {
    createIn(w, kinds.group, { devices: [devId(i)] }, g);
    createIn(w, kinds.device, { group: g, iopf: p.faults > 0 }, devId(i));
    alloc_file(w, fops.get(VFIO_GROUP_FOPS), { id: groupFile(g), private_data: g });
  });
  createIn(w, kinds.idr, { max_pasid: p.max_pasid }, PASID_IDR);
  createIn(w, kinds.workqueue, { workers: p.kworker }, SYSTEM_WQ);
  createIn(w, kinds.workqueue, { workers: p.faults > 0 ? 1 : 0 }, IOPF_WQ);
  createIn(w, kinds.jobs, {}, JOBS);
  if (p.groups > 0) runInSetup(w, bind, (k) => k.vfio_group_set_container(groupId(0), CONTAINER));
  if (p.bound > 0 && p.procs > 0) runInSetup(w, bind, (k) => svaCommands.bind?.(k, { pid: 1 }) as Gen<unknown>);
}

/** The engine's view of an SVA design (one per design and watched returns, with its own f_op tables). */
export const svaSystem = systemCache(function svaSystem(design: Design<SvaTable>, watchedReturns: ReadonlySet<string>): System {
  const fops = new Fops(design.name);
  const make = binder<SvaTable, { flags: Design['flags']; design: string; current: string | null }>(design.functions, watchedReturns);
  const bind = (ctx: Ctx) =>
    make(ctx, { flags: design.flags, design: design.name, current: currentOf(ctx.world, ctx.thread) }) as unknown as SvaK;
  // f_op->release of the container and group files, from the last fput's __fput
  fops.define(VFIO_FOPS, function vfio_fops_release(ctx, file) {
    return bind(ctx).vfio_fops_release(ctx.world.peek(file, 'private_data') as Ref<'vfio_container'>);
  });
  fops.define(VFIO_GROUP_FOPS, function vfio_group_fops_release(ctx, file) {
    return bind(ctx).vfio_group_fops_release(ctx.world.peek(file, 'private_data') as Ref<'vfio_group'>);
  });
  const ops: Record<string, OpFn> = {};
  for (const [name, cmd] of Object.entries(svaCommands)) ops[name] = (ctx, args) => cmd(bind(ctx), args) as ReturnType<OpFn>;
  for (const [name, run] of Object.entries(addedOps(design, bind))) ops[name] = run as OpFn;
  const system: System = {
    name: design.name,
    setup: (w, a) => setupSvaWorld(w, a, design, bind, fops),
    ops,
    stepContext: (w, thread) => heldLocks(w, thread),
  };
  return system;
});
