/**
 * The SVA / PASID bind lifecycle of seed 003 as a Domain: bounds, the
 * scenario space they allow, and the System of a design.
 *
 * Threads of a scenario:
 * - `user<i>`: threads of the container owner P0 (pid 0), choosing `ops`
 *   commands among bind/unbind (self, pid 1, pid 2), attach/detach of a
 *   group, fork, and (with `errors`) malformed ioctls;
 * - `proc<i>`: foreign process i+1, which exits (its last mm user goes);
 * - `child0` (with `fork`): the forked child, binding and unbinding itself, then exiting;
 * - `dma<i>`: the device running the first DMA job (the PASID of the first bind) `dmas` times;
 * - `kworker<i>`: `kworker` kworkers of system_wq (mmput_async's deferred __mmput), each in
 *   worker_thread() until the end;
 * - with `faults`: `prq0`, the device's page requests for the first DMA job, and `iopf0`, the
 *   kworker of the I/O page-fault queue;
 * - `exit0`: when every other thread is done, every process exits, then the workqueues are flushed
 *   (a wait for their kworkers) and the kworkers stopped, so quiescence can be checked.
 */
import type { OpCall, Scenario } from '../../checker/scenario.ts';
import type { CommandSpec, RoleSpec, ScenarioSpace, SpaceBounds } from '../../checker/space.ts';
import { LOCK_TOUCHERS } from '../../kernel/touchers.ts';
import type { Design } from '../design.ts';
import type { AddedCommands, BoundValues, Domain } from '../domain.ts';
import { BAD_BINDS, svaSignatures } from './actors.ts';
import type { SvaTable } from './functions.ts';
import { svaSystem } from './system.ts';

export const SVA_DEFAULT_BOUNDS = {
  procs: 2,
  groups: 2,
  bound: 1,
  max_pasid: 8,
  users: 1,
  ops: 1,
  exits: 1,
  dmas: 1,
  kworker: 1,
  fork: 0,
  errors: 0,
  faults: 0,
} as const satisfies BoundValues;

export type SvaBounds = { readonly [K in keyof typeof SVA_DEFAULT_BOUNDS]: number };

export const SVA_BOUND_HELP: Readonly<Record<keyof SvaBounds, string>> = {
  procs: 'foreign processes: pid 1 may be ptraced by the owner, pid 2 may not (0..2)',
  groups: 'VFIO groups of one device each; group0 is in the container at setup, the others can be attached (1..3)',
  bound: "1: process 1's address space is bound at setup and a DMA job programmed with its PASID (0..1)",
  max_pasid: 'size of the PASID space 1..max_pasid (1 makes binds fail with -ENOSPC and reach the error paths) (1..8)',
  users: 'threads of the container owner issuing ioctls (1..2)',
  ops: 'commands per owner thread (0..3)',
  exits: 'foreign processes that exit concurrently, one thread each (0..procs)',
  dmas: 'DMA requests of the device with the PASID of the first bind (0..2)',
  kworker: 'kworker threads of system_wq running queued mmput_async work; 0: the final flush runs it (0..2)',
  fork: '1: the owner may fork a child that inherits the container fd, binds itself, unbinds and exits (0..1)',
  errors: '1: the owner may also issue malformed BIND ioctls (each stops at one check) (0..1)',
  faults: "page requests (PRI) of the device for the first DMA job, handled by the I/O page-fault queue's kworker (0..2)",
};

const LIMITS: Readonly<Record<keyof SvaBounds, readonly [number, number]>> = {
  procs: [0, 2],
  groups: [1, 3],
  bound: [0, 1],
  max_pasid: [1, 8],
  users: [1, 2],
  ops: [0, 3],
  exits: [0, 2],
  dmas: [0, 2],
  kworker: [0, 2],
  fork: [0, 1],
  errors: [0, 1],
  faults: [0, 2],
};

/** Named fixed scenarios (`--bound profile=NAME`): the seed's hazards, for benchmarks and reports; `hazards` is all three. */
export const SVA_PROFILES = ['replay-vs-exit', 'detach-vs-exit', 'pasid-reuse', 'hazards'] as const;

const KEYS = Object.keys(SVA_DEFAULT_BOUNDS) as (keyof SvaBounds)[];

export function parseSvaBounds(pairs: readonly string[]): { bounds: SvaBounds; profile: string | null } {
  const out: Record<string, number> = { ...SVA_DEFAULT_BOUNDS };
  let profile: string | null = null;
  const valid = `valid keys: ${KEYS.join(', ')}, profile`;
  for (const pair of pairs) {
    const m = /^([a-z_]+)=(.+)$/.exec(pair);
    if (!m) throw new Error(`bad bound "${pair}": expected KEY=N (${valid})`);
    const [, key = '', value = ''] = m; // both groups always match
    if (key === 'profile') {
      if (!(SVA_PROFILES as readonly string[]).includes(value))
        throw new Error(`unknown sva profile "${value}" (profiles: ${SVA_PROFILES.join(', ')})`);
      profile = value;
      continue;
    }
    if (!(KEYS as string[]).includes(key)) throw new Error(`unknown sva bound "${key}" (${valid})`);
    const [lo, hi] = LIMITS[key as keyof SvaBounds];
    const n = Number(value);
    if (!Number.isInteger(n) || n < lo || n > hi)
      throw new Error(`sva bound ${key}=${value} is impossible: expected an integer from ${lo} to ${hi}`);
    out[key] = n;
  }
  if ((out.exits ?? 0) > (out.procs ?? 0))
    throw new Error(`sva bound exits=${out.exits} is impossible with procs=${out.procs}: each exit thread is one foreign process`);
  return { bounds: out as SvaBounds, profile };
}

const op = (name: string, args: OpCall['args'] = {}): OpCall => ({ op: name, args });

function full(b: BoundValues): SvaBounds {
  return { ...SVA_DEFAULT_BOUNDS, ...b } as SvaBounds;
}

/** The owner's commands: bind/unbind of itself and of each foreign pid, attach/detach of each group, fork, malformed binds. */
export function ownerCommands(b: SvaBounds): CommandSpec[] {
  const pids: (number | string)[] = ['self', ...Array.from({ length: b.procs }, (_, i) => i + 1)];
  const cmds: CommandSpec[] = [
    { op: 'bind', args: { pid: pids } },
    { op: 'unbind', args: { pid: pids.filter((p) => p !== 2) } },
  ];
  if (b.groups > 1) cmds.push({ op: 'attach', args: { group: Array.from({ length: b.groups - 1 }, (_, i) => i + 1) } });
  cmds.push({ op: 'detach', args: { group: [0] } });
  if (b.fork) cmds.push({ op: 'fork' });
  if (b.errors)
    cmds.push({
      op: 'bind_bad',
      args: { how: [...BAD_BINDS] },
    });
  return cmds;
}

export function svaSpace(bv: BoundValues, focus: readonly string[] = [], added: AddedCommands = {}): ScenarioSpace {
  const b = full(bv);
  // the owner's threads are the only ones choosing their commands: operations added to them join them
  const commands = [...ownerCommands(b), ...(added.user ?? [])].filter((c) => focus.length === 0 || focus.includes(c.op));
  const roles: RoleSpec[] = [{ role: 'user', commands, min: 1, max: b.users }];
  // thread proc<i> is process i+1 (system.ts currentOf)
  const exits = Math.min(b.exits, b.procs);
  if (exits > 0) roles.push({ role: 'proc', commands: [], min: exits, max: exits, prelude: [op('exit')] });
  if (b.fork)
    roles.push({
      role: 'child',
      commands: [],
      min: 1,
      max: 1,
      prelude: [op('bind', { pid: 'self' }), op('unbind', { pid: 'self' }), op('exit')],
    });
  if (b.dmas > 0)
    roles.push({
      role: 'dma',
      commands: [],
      min: 1,
      max: 1,
      prelude: Array.from({ length: b.dmas }, () => op('pasid_dma', { dev: 0, job: 0 })),
    });
  if (b.kworker > 0) roles.push({ role: 'kworker', commands: [], min: b.kworker, max: b.kworker, prelude: [op('worker_thread')] });
  if (b.faults > 0) {
    roles.push({
      role: 'prq',
      commands: [],
      min: 1,
      max: 1,
      prelude: Array.from({ length: b.faults }, () => op('page_request', { dev: 0, job: 0 })),
    });
    roles.push({ role: 'iopf', commands: [], min: 1, max: 1, prelude: [op('worker_thread', { wq: 'iopf' })] });
  }
  const exit = [op('exit_all'), op('flush_scheduled_work'), ...(b.faults > 0 ? [op('iopf_queue_free')] : [])];
  roles.push({ role: 'exit', commands: [], min: 1, max: 1, prelude: exit });
  // kworker and faults shape the world too: how flush_workqueue() runs queued work, whether devices have PRI
  return {
    roles,
    setup: { procs: b.procs, groups: b.groups, bound: b.bound, max_pasid: b.max_pasid, kworker: b.kworker, faults: b.faults },
  };
}

export function svaSearchBounds(bv: BoundValues): SpaceBounds {
  const b = full(bv);
  return { threads: Math.max(b.users, 1), opsPerThread: b.ops };
}

const thread = (name: string, ops: OpCall[]) => ({ name, ops });

/** One scenario per hazard the seed's comments and review point at. */
export function svaHazard(name: string): Scenario {
  const setup = { procs: 2, groups: 2, bound: 1, max_pasid: 8, kworker: 1, faults: 0 };
  const noWorker = { ...setup, kworker: 0 };
  const exit = thread('exit0', [op('exit_all'), op('flush_scheduled_work')]);
  switch (name) {
    // the seed's replay comment: attach a group while process 1, bound, exits
    case 'replay-vs-exit':
      return {
        setup,
        threads: [
          thread('user0', [op('attach', { group: 1 })]),
          thread('proc0', [op('exit')]),
          thread('kworker0', [op('worker_thread')]),
          exit,
        ],
      };
    // detaching the last group (iommu_sva_device_shutdown under iommu->lock) while process 1 exits
    case 'detach-vs-exit':
      return { setup: noWorker, threads: [thread('user0', [op('detach', { group: 0 })]), thread('proc0', [op('exit')]), exit] };
    // process 1 exits, the owner binds itself, the device still runs process 1's job
    case 'pasid-reuse':
      return {
        setup: noWorker,
        threads: [
          thread('user0', [op('bind', { pid: 'self' })]),
          thread('proc0', [op('exit')]),
          thread('dma0', [op('pasid_dma', { dev: 0, job: 0 })]),
          exit,
        ],
      };
    default:
      throw new Error(`unknown sva profile "${name}" (profiles: ${SVA_PROFILES.join(', ')})`);
  }
}

export function svaProfile(name: string): Scenario[] {
  if (name === 'hazards') return ['replay-vs-exit', 'detach-vs-exit', 'pasid-reuse'].map(svaHazard);
  return [svaHazard(name)];
}

export const svaDomain: Domain = {
  name: 'sva',
  // the SVA table's kfree frees only the object it is given, never a lock (primitives.ts)
  lockTouchers: LOCK_TOUCHERS,
  defaultBounds: SVA_DEFAULT_BOUNDS,
  boundHelp: SVA_BOUND_HELP,
  signatures: svaSignatures,
  parseBounds: parseSvaBounds,
  system: (design: Design<SvaTable>, watched: ReadonlySet<string>) => svaSystem(design, watched),
  space: svaSpace,
  searchBounds: svaSearchBounds,
  profile: svaProfile,
};
