/**
 * What the threads of an SVA scenario do: the container owner's ioctls (P0),
 * a forked child's, foreign processes exiting, the device issuing
 * PASID-tagged DMA, a kworker, and the final exit of every process. Commands
 * resolve their handles (pids, groups, programmed DMA jobs) against the live
 * world, so an impossible command returns the errno the kernel would, in one
 * step. Names are stable: counterexample files refer to them.
 */
import type { Ref } from '../../checker/kind.ts';
import type { ActorSpec, ArgSpec, OpSignature, SetupLimit, Signatures } from '../../checker/signature.ts';
import type { Args } from '../../checker/value.ts';
import type { Gen } from '../bind.ts';
import type { BindArg } from './arguments.ts';
import { EBADF, EINVAL, ESRCH } from './errno.ts';
import type { SvaK } from './functions.ts';
import type { DmaJob } from './kinds.ts';
import { CONTAINER, containerFile, devId, groupFile, groupId, IOPF_WQ, JOBS, OWNER_PID, SYSTEM_WQ, taskId } from './objects.ts';
import { setupOf } from './setup.ts';
import {
  SIZEOF_BIND,
  SIZEOF_BIND_PROCESS,
  ubuf,
  VFIO_IOMMU_BIND,
  VFIO_IOMMU_BIND_PID,
  VFIO_IOMMU_BIND_PROCESS,
  VFIO_IOMMU_UNBIND,
} from './vfio_iommu_type1.ts';

export type SvaCommand = (k: SvaK, args: Args) => Gen<unknown>;

export type { DmaJob } from './kinds.ts';

export const EAGAIN = -11;

/** A well-formed VFIO_IOMMU_BIND/UNBIND argument for `pid` ('self': the caller). */
export function bindArg(pid: number | 'self', fault: BindArg['fault'] = 'none'): BindArg {
  return {
    argsz: SIZEOF_BIND + SIZEOF_BIND_PROCESS,
    flags: VFIO_IOMMU_BIND_PROCESS,
    pflags: pid === 'self' ? 0 : VFIO_IOMMU_BIND_PID,
    pid: pid === 'self' ? 0 : pid,
    fault,
  };
}

export const BAD_BINDS = ['header', 'argsz_header', 'bind_flags', 'argsz', 'params', 'pflags', 'pasid_out', 'no_pid'] as const;

/** The malformed arguments of `bind_bad`, one per check of the ioctl path (BAD_BINDS). */
export function badBindArg(how: string): BindArg {
  const ok = bindArg(1);
  switch (how) {
    case 'header':
      return { ...ok, fault: 'header' };
    case 'argsz_header':
      return { ...ok, argsz: SIZEOF_BIND - 1 };
    case 'bind_flags':
      return { ...ok, flags: 2 };
    case 'argsz':
      return { ...ok, argsz: SIZEOF_BIND + SIZEOF_BIND_PROCESS - 1 };
    case 'params':
      return { ...ok, fault: 'params' };
    case 'pflags':
      return { ...ok, pflags: 2 };
    case 'pasid_out':
      return { ...ok, fault: 'pasid_out' };
    case 'no_pid':
      return { ...ok, pid: 9 };
    default:
      throw new Error(`unknown bind_bad variant ${how}`);
  }
}

function jobs(k: SvaK): DmaJob[] {
  return [...k.ctx.get(JOBS, 'jobs')];
}

/** User space stops the jobs matching `pred` on `devs` (all devices if null). */
function stopJobs(k: SvaK, pred: (j: DmaJob) => boolean, devs: readonly string[] | null) {
  const all = jobs(k);
  if (!all.some(pred)) return;
  k.ctx.set(
    JOBS,
    'jobs',
    all.map((j) => (pred(j) ? { ...j, stopped: devs === null ? ['*'] : [...new Set([...j.stopped, ...devs])] } : j)),
  );
}

/** The address space user space means by `pid` (its current mm), as it reads it before the ioctl. */
function mmOfPid(k: SvaK, pid: number): Ref<'mm'> | null {
  const task = taskId(pid);
  return k.ctx.exists(task) ? k.ctx.get(task, 'mm') : null;
}

function pidOf(k: SvaK, pid: unknown): number | null {
  if (pid === 'self') return k.current === null ? null : k.ctx.get(k.current, 'pid');
  return typeof pid === 'number' ? pid : null;
}

/**
 * VFIO_IOMMU_BIND on the container fd of the calling process; on success user
 * space programs a DMA job with the PASID it got back. The `sva-bind-*` events
 * let foreign-bind-permission watch the call without knowing the design.
 */
function* userBind(k: SvaK, pidArg: unknown, arg: BindArg) {
  const { ctx } = k;
  const me = k.current;
  if (me === null || !ctx.get(me, 'alive')) return ESRCH;
  if (!ctx.get(me, 'fds').includes(containerFile)) return EBADF;
  const pid = arg.pflags & VFIO_IOMMU_BIND_PID ? arg.pid : (pidOf(k, pidArg) as number);
  const target = arg.pflags & VFIO_IOMMU_BIND_PID ? (ctx.exists(taskId(pid)) ? taskId(pid) : null) : me;
  const intended = mmOfPid(k, pid);
  ctx.emit({ type: 'sva-bind-begin', caller: me, target });
  const ret = yield* k.vfio_fops_unl_ioctl(CONTAINER, VFIO_IOMMU_BIND, arg);
  ctx.emit({ type: 'sva-bind-end', caller: me, target, ret });
  if (ret === 0 && intended !== null) {
    // copy_to_user() wrote it: the bind succeeded
    const pasid = ctx.get(ubuf(ctx.thread), 'pasid') as number;
    ctx.set(JOBS, 'jobs', [...jobs(k), { pid, mm: intended, pasid, stopped: [] }]);
    ctx.note(`user space programs the devices with PASID ${pasid} for ${intended}`);
  }
  return ret;
}

/** VFIO_IOMMU_UNBIND; user space first stops its DMA for that process (the unbind contract). */
function* userUnbind(k: SvaK, pidArg: unknown) {
  const { ctx } = k;
  const me = k.current;
  if (me === null || !ctx.get(me, 'alive')) return ESRCH;
  if (!ctx.get(me, 'fds').includes(containerFile)) return EBADF;
  const pid = pidOf(k, pidArg);
  if (pid === null) return EINVAL;
  stopJobs(k, (j) => j.pid === pid, null);
  return yield* k.vfio_fops_unl_ioctl(CONTAINER, VFIO_IOMMU_UNBIND, bindArg(pidArg === 'self' ? 'self' : pid));
}

const group = (args: Args) => groupId(typeof args.group === 'number' ? args.group : 0);
const wqArg = (args: Args) => (args.wq === 'iopf' ? IOPF_WQ : SYSTEM_WQ);

/** Threads that run worker_thread(): the exit does not wait for them, it stops them. */
export const WORKER_THREADS = ['kworker0', 'kworker1', 'iopf0'];

export const svaCommands: Record<string, SvaCommand> = {
  /** VFIO_IOMMU_BIND with flags = BIND_PROCESS: `pid` 'self', or a pid (VFIO_IOMMU_BIND_PID) */
  bind: (k, args) => userBind(k, args.pid, bindArg(args.pid === 'self' ? 'self' : (args.pid as number))),
  unbind: (k, args) => userUnbind(k, args.pid),
  /** a malformed VFIO_IOMMU_BIND: each `how` stops at one check of the ioctl path */
  bind_bad: (k, args) => userBind(k, 1, badBindArg(String(args.how))),
  /** VFIO_GROUP_SET_CONTAINER on a group fd */
  attach: function* (k, args) {
    const me = k.current;
    if (me === null) return ESRCH;
    if (!k.ctx.get(me, 'fds').includes(groupFile(group(args)))) return EBADF;
    return yield* k.vfio_group_set_container(group(args), CONTAINER);
  },
  /** VFIO_GROUP_UNSET_CONTAINER; user space first stops its devices in that group (sva_shutdown: "no DMA while this runs") */
  detach: function* (k, args) {
    const me = k.current;
    if (me === null) return ESRCH;
    if (!k.ctx.get(me, 'fds').includes(groupFile(group(args)))) return EBADF;
    stopJobs(k, () => true, k.ctx.get(group(args), 'devices'));
    return yield* k.vfio_group_unset_container(group(args));
  },
  /** fork(): the child inherits the container and group fds (one child per scenario) */
  fork: function* (k) {
    const me = k.current;
    if (me === null) return ESRCH;
    if (k.ctx.ids('task_struct').some((t) => k.ctx.get(t, 'parent') !== null)) return EAGAIN;
    return yield* k.copy_process(me);
  },
  /** the calling process exits (do_exit: exit_mm, then exit_files) */
  exit: function* (k) {
    const me = k.current;
    if (me === null || !k.ctx.get(me, 'alive')) return ESRCH;
    yield* k.do_exit(me);
    return 0;
  },
  /** the device runs DMA job `job` (the job-th programmed PASID) from device `dev` */
  pasid_dma: function* (k, args) {
    return yield* k.iommu_pasid_dma(devId(typeof args.dev === 'number' ? args.dev : 0), typeof args.job === 'number' ? args.job : 0);
  },
  /** one turn of a kworker: wait for work on `wq` (system_wq by default), run it */
  process_one_work: function* (k, args) {
    return yield* k.process_one_work(wqArg(args));
  },
  /** a kworker of `wq`: run its work until the scenario's end stops it */
  worker_thread: function* (k, args) {
    yield* k.worker_thread(wqArg(args));
    return 0;
  },
  /** the device's page request (PRI) for DMA job `job`, reported to the IOMMU's fault queue */
  page_request: function* (k, args) {
    return yield* k.iommu_report_device_fault(
      devId(typeof args.dev === 'number' ? args.dev : 0),
      typeof args.job === 'number' ? args.job : 0,
    );
  },
  /** when every other thread is done: every live process exits (foreign ones first, the owner last) */
  exit_all: function* (k) {
    const { ctx } = k;
    // the kworkers wait for work until the end (flush_scheduled_work below stops them)
    yield { action: 'exit: wait for every other thread to finish', joinAll: true, joinExcept: WORKER_THREADS };
    const tasks = (ctx.ids('task_struct') as Ref<'task_struct'>[])
      .filter((t) => ctx.get(t, 'alive'))
      .sort((a, b) => (ctx.get(a, 'pid') === OWNER_PID ? 1 : 0) - (ctx.get(b, 'pid') === OWNER_PID ? 1 : 0));
    for (const t of tasks) {
      k.current = t;
      yield* k.do_exit(t);
    }
    k.current = null;
    return 0;
  },
  /** after the exits' task work: wait for what is still queued on the workqueue, then stop its kworkers */
  flush_scheduled_work: function* (k) {
    yield* k.flush_scheduled_work();
    yield* k.kthread_stop_workers(SYSTEM_WQ);
    return 0;
  },
  /** iopf_queue_free() at the end: flush the fault queue and stop its worker */
  iopf_queue_free: function* (k) {
    yield* k.kthread_stop_workers(IOPF_WQ);
    return 0;
  },
};

// What each operation takes, and which threads run it: counterexample files are checked against these before
// anything runs (checker/signature.ts), and `list ops` prints them. A thread's name says which process it runs
// as (system.ts currentOf), so a name outside these roles would run as nobody, or as someone else.

const foreignPids: SetupLimit = { text: 'procs', of: (s) => setupOf(s).procs };
const lastGroup: SetupLimit = { text: 'groups-1', of: (s) => setupOf(s).groups - 1 };
const pidArg: ArgSpec = {
  help: "'self' (the caller, flags BIND_PROCESS) or a foreign pid (BIND_PID)",
  accepts: [
    { type: 'name', values: ['self'] },
    { type: 'integer', min: 1, max: foreignPids },
  ],
};
const groupArg: ArgSpec = { help: 'the VFIO group (group<n>, one device each)', accepts: [{ type: 'integer', min: 0, max: lastGroup }] };

const wqSpec: ArgSpec = {
  help: "the workqueue: 'system' (system_wq) or 'iopf' (the I/O page-fault queue's)",
  accepts: [{ type: 'name', values: ['system', 'iopf'] }],
  default: 'system',
};

const sig = (help: string, args: OpSignature['args'] = {}, takes: string[] = [], creates: string[] = []): OpSignature => ({
  help,
  args,
  takes,
  creates,
});

const ops: Record<string, OpSignature> = {
  bind: sig(
    'VFIO_IOMMU_BIND on the container fd; on success user space programs a DMA job with the PASID',
    { pid: pidArg },
    ['container fd'],
    ['DMA job'],
  ),
  unbind: sig("VFIO_IOMMU_UNBIND, after stopping that process's DMA jobs", { pid: pidArg }, ['container fd', 'DMA job']),
  bind_bad: sig(
    'a malformed VFIO_IOMMU_BIND that stops at one check',
    { how: { help: 'which check refuses it', accepts: [{ type: 'name', values: BAD_BINDS }] } },
    ['container fd'],
  ),
  attach: sig('VFIO_GROUP_SET_CONTAINER', { group: groupArg }, ['group fd']),
  detach: sig("VFIO_GROUP_UNSET_CONTAINER, after stopping the group's devices", { group: groupArg }, ['group fd', 'DMA job']),
  fork: sig('fork(): the child inherits the container and group fds', {}, [], ['child process']),
  exit: sig('the calling process exits (exit_mm, then exit_files)'),
  pasid_dma: sig(
    'the device runs a programmed DMA job',
    {
      dev: { help: 'the device (dev<n>, of group<n>)', accepts: [{ type: 'integer', min: 0, max: lastGroup }], default: 0 },
      // jobs are programmed by successful binds: the setup's, three per owner thread and the child's at most
      job: { help: 'the n-th DMA job programmed', accepts: [{ type: 'integer', min: 0, max: 7 }], default: 0 },
    },
    ['DMA job'],
  ),
  process_one_work: sig('one turn of a kworker: wait for an item on the workqueue, run it', { wq: wqSpec }),
  worker_thread: sig("a kworker's loop: run the workqueue's items until the end stops it", { wq: wqSpec }),
  page_request: sig(
    'the device issues a page request (PRI) for a programmed DMA job; the IOMMU queues the fault',
    {
      dev: { help: 'the device (dev<n>, of group<n>)', accepts: [{ type: 'integer', min: 0, max: lastGroup }], default: 0 },
      job: { help: 'the n-th DMA job programmed', accepts: [{ type: 'integer', min: 0, max: 7 }], default: 0 },
    },
    ['DMA job'],
  ),
  exit_all: sig('once every other thread is done, every live process exits'),
  flush_scheduled_work: sig('wait for what is still queued on system_wq, then stop its kworkers'),
  iopf_queue_free: sig('flush the I/O page-fault queue and stop its worker'),
};

const actors: ActorSpec[] = [
  // up to the users bound's limit (domain.ts)
  {
    role: 'user',
    help: 'a thread of the container owner P0 (pid 0)',
    maxThreads: 2,
    ops: ['bind', 'unbind', 'bind_bad', 'attach', 'detach', 'fork'],
  },
  { role: 'proc', help: 'foreign process <n+1>, which exits', maxThreads: foreignPids, ops: ['exit'] },
  { role: 'child', help: 'the child P0 forked', maxThreads: 1, ops: ['bind', 'unbind', 'exit'] },
  { role: 'dma', help: 'the device issuing PASID-tagged DMA', maxThreads: 1, ops: ['pasid_dma'] },
  { role: 'kworker', help: 'a kworker on system_wq', maxThreads: 2, ops: ['process_one_work', 'worker_thread'] },
  { role: 'iopf', help: "the kworker of the I/O page-fault queue's workqueue", maxThreads: 1, ops: ['process_one_work', 'worker_thread'] },
  { role: 'prq', help: "the device's page requests (PRI), reported by the IOMMU's PRQ thread", maxThreads: 1, ops: ['page_request'] },
  {
    role: 'exit',
    help: 'every process exits after every other thread, then the workqueue is flushed',
    maxThreads: 1,
    ops: ['exit_all', 'flush_scheduled_work', 'iopf_queue_free'],
  },
];

/** The operations of `svaCommands` and the threads that run them. */
export const svaSignatures: Signatures = { ops, actors };
