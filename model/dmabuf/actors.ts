/**
 * What the threads of a scenario do: the user-space and importer actions that
 * enter the kernel (kernel-upstream.md §3, §5, §6). Each command resolves its
 * handles (the n-th dma-buf, this thread's attachment) against the live world,
 * so a generated command is rarely impossible; an impossible one returns the
 * errno the kernel would (-EBADF, -EINVAL) in one step.
 */
import type { Ctx } from '../../checker/context.ts';
import { createIn, type Ref, refTo } from '../../checker/kind.ts';
import type { ActorSpec, ArgSpec, ArgType, OpSignature, SetupLimit, Signatures } from '../../checker/signature.ts';
import type { Args } from '../../checker/value.ts';
import { dma_resv_lockdep } from '../../kernel/dma-resv.ts';
import type { Gen } from '../bind.ts';
import { EBADF, EINVAL } from '../errno.ts';
import type { DmaRange, ImporterKind, MmapRange, UserAddr, UserBuf } from './arguments.ts';
import { BOUND_LIMITS } from './bounds.ts';
import { dev, fdArg, fdOf, nthDmabuf } from './fd-args.ts';
import type { K } from './functions.ts';
import * as kinds from './kinds.ts';
import { deviceFile, devSetId, dmabufFile, fdFileOf, fdKind, groupFile, procId, vmaKind } from './objects.ts';
import { BAR_LEN, PAGE_SIZE } from './resources.ts';
import { setupParamsOf } from './setup.ts';
import { VFIO_DEVICE_FOPS } from './upstream/dma_buf.ts';
import { holdsAddr, MMAP_BASE } from './upstream/mmap.ts';
import { deviceGroup } from './upstream/vfio_group.ts';

/** An actor command: the body of a thread's operation, given its bound kernel and arguments. */
export type Command = (k: K, args: Args) => Gen<unknown>;

/** Per-thread actor state (which attachment, VMA or iommufd mapping the thread holds), kept in the world. */
function actor(ctx: Ctx): Ref<'actor'> {
  const id = refTo('actor', `actor.${ctx.thread}`);
  if (!ctx.world.has(id)) createIn(ctx.world, kinds.actor, {}, id);
  return id;
}

/**
 * The user address an argument names: an address itself (MMAP_BASE and up), or the n-th VMA ever
 * created (a small number, or the name its mmap gave it), standing for its vm_start; null when that
 * VMA does not exist (not created yet, its mmap failed or has not returned).
 */
function userAddress(ctx: Ctx, a: number): UserAddr | null {
  if (a >= MMAP_BASE) return { addr: a, vma: null };
  const all = ctx.ids(vmaKind);
  return a < all.length ? { addr: null, vma: all[a] as Ref<'vma'> } : null;
}

/** The user buffer an argument names: ordinary memory, no mapping, or an address (unmapped if it names no VMA). */
function userBuf(ctx: Ctx, buf: unknown): UserBuf {
  if (buf === 'anon' || buf === 'unmapped' || buf === undefined) return (buf ?? 'anon') as UserBuf;
  return (typeof buf === 'number' ? userAddress(ctx, buf) : null) ?? 'unmapped';
}

/**
 * The mappings a thread holds: the actor's `vma`, its most recent, and the older ones, oldest first,
 * in an object of their own made when the thread first holds two (so a thread with one mapping
 * keeps the world it always had).
 */
const olderId = (me: Ref<'actor'>) => refTo('actor_maps', `${me}.older`);

function olderMaps(ctx: Ctx, me: Ref<'actor'>): readonly Ref<'vma'>[] {
  return ctx.exists(olderId(me)) ? ctx.get(olderId(me), 'vmas') : [];
}

function setOlder(ctx: Ctx, me: Ref<'actor'>, vmas: readonly Ref<'vma'>[]): void {
  if (ctx.exists(olderId(me))) ctx.set(olderId(me), 'vmas', vmas);
  else createIn(ctx.world, kinds.actorMaps, { vmas }, olderId(me));
}

/**
 * Whether the thread already holds as many mappings as its mmap allows (argument `maps`, default 1:
 * a thread holds one, and a second mmap fails as it always did). The model's own limit, in the
 * place of a process's max_map_count (do_mmap's -ENOMEM), which no model scenario comes near.
 */
function holdsEnough(ctx: Ctx, me: Ref<'actor'>, args: Args): boolean {
  if (ctx.get(me, 'vma') === null) return false;
  return 1 + olderMaps(ctx, me).length >= (typeof args.maps === 'number' ? args.maps : 1);
}

/** The thread now holds `vma` (null: the mmap failed) as its most recent mapping. */
function hold(ctx: Ctx, me: Ref<'actor'>, vma: Ref<'vma'> | null): void {
  const cur = ctx.get(me, 'vma');
  if (cur !== null && vma !== null) setOlder(ctx, me, [...olderMaps(ctx, me), cur]);
  if (cur === null || vma !== null) ctx.set(me, 'vma', vma);
}

/** The thread no longer holds the mapping at `at` (its munmap is under way). */
function release(ctx: Ctx, me: Ref<'actor'>, at: UserAddr): void {
  const older = olderMaps(ctx, me);
  const cur = ctx.get(me, 'vma');
  const isAt = (v: Ref<'vma'>) => v === at.vma || (at.addr !== null && holdsAddr(ctx, v, at.addr));
  if (cur !== null && isAt(cur)) {
    ctx.set(me, 'vma', older[older.length - 1] ?? null);
    if (older.length > 0) setOlder(ctx, me, older.slice(0, -1));
  } else if (older.some(isAt))
    setOlder(
      ctx,
      me,
      older.filter((v) => !isAt(v)),
    );
}

/** The address cpu_access and munmap act on: `addr`, or ('last', the default) the thread's most recent mapping; null: none. */
function mappingAddress(ctx: Ctx, addr: unknown): UserAddr | null {
  if (typeof addr === 'number') return userAddress(ctx, addr);
  const vma = ctx.get(actor(ctx), 'vma');
  return vma ? { addr: null, vma } : null;
}

/** dma_ranges[] when the export gives `offset` or `length`: nr_ranges consecutive ranges of `length` bytes from `offset`. */
function exportRanges(args: Args): { ranges?: DmaRange[] } {
  if (args.offset === undefined && args.length === undefined) return {};
  const offset = typeof args.offset === 'number' ? args.offset : 0;
  const length = typeof args.length === 'number' ? args.length : BAR_LEN;
  const n = typeof args.ranges === 'number' ? args.ranges : 1;
  return { ranges: Array.from({ length: n }, (_, i) => ({ offset: offset + i * length, length })) };
}

/** The VMA an mmap asks for when it gives `pgoff` or `pages` (else: the whole BAR or buffer, as before). */
function mmapRange(args: Args): MmapRange | undefined {
  if (args.pgoff === undefined && args.pages === undefined) return undefined;
  return {
    pgoff: typeof args.pgoff === 'number' ? args.pgoff : 0,
    pages: typeof args.pages === 'number' ? args.pages : BAR_LEN / PAGE_SIZE,
  };
}

/** An ioctl on the device fd: fdget() pins the file for the call, so release cannot run meanwhile. */
function* deviceIoctl(k: K, vdev: Ref<'vdev'>, body: () => Gen<unknown>): Gen<unknown> {
  if (!(yield* k.fget(procId('primary'), deviceFile(vdev), deviceFile(vdev)))) return EBADF;
  const ret = yield* body();
  yield* k.fput(deviceFile(vdev));
  return ret;
}

function* importerAttach(k: K, args: Args, kind: ImporterKind): Gen<unknown> {
  const { ctx } = k;
  const me = actor(ctx);
  const priv = nthDmabuf(ctx, args.dmabuf);
  if (!priv || ctx.get(me, 'priv')) return EBADF;
  const got = yield* k.dma_buf_get(priv);
  if (got !== 0) return got;
  ctx.set(me, 'priv', priv);
  const { ret, att } = yield* k.dma_buf_dynamic_attach(priv, kind, ctx.thread);
  ctx.set(me, 'att', att);
  return ret;
}

function* importerDetach(k: K): Gen<unknown> {
  const { ctx } = k;
  const me = actor(ctx);
  const priv = ctx.get(me, 'priv');
  if (!priv) return EBADF;
  const att = ctx.get(me, 'att');
  if (att) yield* k.importer_detach(att);
  ctx.set(me, 'att', null);
  ctx.set(me, 'priv', null);
  yield* k.dma_buf_put(priv);
  return 0;
}

/** Runs `body` on this thread's attachment, or returns -EINVAL when it has none. */
function withAtt(body: (k: K, att: Ref<'att'>) => Gen<unknown>): Command {
  return function* (k) {
    const att = k.ctx.get(actor(k.ctx), 'att');
    if (!att) return EINVAL;
    return yield* body(k, att);
  };
}

function importerCommands(kind: ImporterKind): Record<string, Command> {
  return {
    [`${kind}_attach`]: (k, args) => importerAttach(k, args, kind),
    [`${kind}_pin`]: withAtt((k, att) => k.importer_pin(att)),
    [`${kind}_map`]: withAtt((k, att) => k.importer_map(att)),
    [`${kind}_dma_access`]: withAtt((k, att) => k.importer_dma_access(att)),
    [`${kind}_unmap`]: withAtt((k, att) => k.importer_unmap(att)),
    [`${kind}_detach`]: (k) => importerDetach(k),
  };
}

/** Every command, by operation name. Names are stable: counterexample files refer to them. */
export const commands: Record<string, Command> = {
  // the primary process: owns the device fd and the exported dma-buf fds
  open_device: function* (k, args) {
    const vdev = dev(args);
    const proc = procId('primary');
    if (k.ctx.get(proc, 'fds').includes(deviceFile(vdev))) return EINVAL;
    // VFIO_GROUP_GET_DEVICE_FD, an ioctl of the group fd, on the group path (bound vfio_group); else the device's cdev
    const group = deviceGroup(k);
    if (group === null) {
      const ret = yield* k.vfio_df_open(vdev);
      if (ret !== 0) return ret;
    } else {
      if (!(yield* k.fget(proc, groupFile(group), groupFile(group)))) return EBADF;
      const ret = yield* k.vfio_df_group_open(vdev);
      yield* k.fput(groupFile(group));
      if (ret !== 0) return ret;
    }
    yield* k.alloc_file_pseudo(deviceFile(vdev), VFIO_DEVICE_FOPS, vdev);
    k.ctx.set(proc, 'fds', [...k.ctx.get(proc, 'fds'), deviceFile(vdev)]);
    return 0;
  },
  close_device_fd: function* (k, args) {
    const vdev = dev(args);
    const proc = procId('primary');
    const fds = k.ctx.get(proc, 'fds');
    if (!fds.includes(deviceFile(vdev))) return EBADF;
    k.ctx.set(
      proc,
      'fds',
      fds.filter((f) => f !== deviceFile(vdev)),
    );
    yield* k.fput(deviceFile(vdev));
    return 0;
  },
  config_write_command: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_basic_config_write_command(dev(args), args.mem === true)),
  config_write_pm: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_lock_and_set_power_state(dev(args), args.d3 === true)),
  flr: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_exp_config_write_flr(dev(args))),
  device_reset: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_pci_ioctl_reset(dev(args))),
  hot_reset: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_pci_dev_set_hot_reset(devSetId(0))),
  low_power_entry: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_pci_runtime_pm_entry(dev(args))),
  low_power_exit: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_pci_runtime_pm_exit(dev(args))),
  runtime_resume: (k, args) => k.vfio_pci_core_runtime_resume(dev(args)),
  set_irqs: (k, args) => deviceIoctl(k, dev(args), () => k.vfio_pci_set_irqs_ioctl(dev(args))),
  export_dmabuf: (k, args) =>
    deviceIoctl(k, dev(args), () =>
      k.vfio_pci_core_feature_dma_buf(dev(args), {
        bar: typeof args.bar === 'number' ? args.bar : 0,
        nr_ranges: typeof args.ranges === 'number' ? args.ranges : 1,
        flags: 0,
        fd_fail: args.fd_fail === true,
        ...exportRanges(args),
      }),
    ),
  // read()/write() of the device fd: vfio_device_fops_read/write → vfio_pci_core_read/write
  bar_rw: (k, args) =>
    deviceIoctl(k, dev(args), function* () {
      const req = {
        index: typeof args.bar === 'number' ? args.bar : 0,
        pos: typeof args.offset === 'number' ? args.offset : 0,
        count: typeof args.count === 'number' ? args.count : 8,
        buf: userBuf(k.ctx, args.buf),
      };
      if (args.write === true) return yield* k.vfio_pci_core_write(dev(args), req);
      return yield* k.vfio_pci_core_read(dev(args), req);
    }),
  // VFIO_DEVICE_PCI_DMABUF_REVOKE given any fd: a dma-buf's, a dup of one, or one that is no dma-buf
  revoke_dmabuf: function* (k, args) {
    const fd = fdOf(k.ctx, args);
    if (!fd) return EBADF;
    return yield* deviceIoctl(k, dev(args), () => k.vfio_pci_core_ioctl_dmabuf_revoke(dev(args), fd));
  },
  // dup() and close() of any fd of the primary process
  dup_fd: function* (k, args) {
    const fd = fdOf(k.ctx, args);
    return fd ? yield* k.ksys_dup(procId('primary'), fd) : EBADF;
  },
  close_fd: function* (k, args) {
    const fd = fdOf(k.ctx, args);
    return fd ? yield* k.close_fd(procId('primary'), fd) : EBADF;
  },
  close_dmabuf_fd: function* (k, args) {
    const priv = nthDmabuf(k.ctx, args.dmabuf);
    if (!priv) return EBADF;
    return yield* k.close_dmabuf_fd(procId('primary'), priv);
  },
  // a thread of the primary process that maps a BAR and touches it; each mmap lands at its own address
  // (get_unmapped_area), and a thread may hold several
  bar_mmap: (k, args) =>
    deviceIoctl(k, dev(args), function* () {
      const me = actor(k.ctx);
      if (holdsEnough(k.ctx, me, args)) return EINVAL;
      const { ret, vma } = yield* k.vfio_pci_core_mmap(
        dev(args),
        typeof args.bar === 'number' ? args.bar : 0,
        procId('primary'),
        mmapRange(args),
      );
      hold(k.ctx, me, vma);
      return ret;
    }),
  dmabuf_mmap: function* (k, args) {
    const me = actor(k.ctx);
    const priv = nthDmabuf(k.ctx, args.dmabuf);
    if (!priv || holdsEnough(k.ctx, me, args)) return EBADF;
    if (!(yield* k.fget(procId('primary'), priv, dmabufFile(priv)))) return EBADF; // mmap() holds the fd for the call
    const { ret, vma } = yield* k.dma_buf_mmap_internal(priv, procId('primary'), mmapRange(args));
    hold(k.ctx, me, vma);
    yield* k.fput(dmabufFile(priv));
    return ret;
  },
  cpu_access: function* (k, args) {
    const addr = mappingAddress(k.ctx, args.addr);
    if (addr === null) return EINVAL;
    return yield* k.cpu_access(procId('primary'), addr);
  },
  munmap: function* (k, args) {
    const addr = mappingAddress(k.ctx, args.addr);
    if (addr === null) return EINVAL;
    release(k.ctx, actor(k.ctx), addr);
    return yield* k.vfio_pci_munmap(procId('primary'), addr);
  },
  // importers
  ...importerCommands('sync'),
  ...importerCommands('fence'),
  ...importerCommands('pinned'),
  ...importerCommands('static'),
  // iommufd: IOMMU_IOAS_MAP_FILE of a dma-buf fd, device DMA through the domain, IOAS unmap
  iommufd_map_file: function* (k, args) {
    const me = actor(k.ctx);
    const priv = nthDmabuf(k.ctx, args.dmabuf);
    if (!priv || k.ctx.get(me, 'pages')) return EBADF;
    const { ret, pages } = yield* k.iopt_map_file_pages(priv);
    k.ctx.set(me, 'pages', pages);
    return ret;
  },
  iommufd_dma_access: function* (k) {
    const pages = k.ctx.get(actor(k.ctx), 'pages');
    if (!pages) return EINVAL;
    return yield* k.iommufd_dma_access(pages);
  },
  iommufd_unmap: function* (k) {
    const me = actor(k.ctx);
    const pages = k.ctx.get(me, 'pages');
    if (!pages) return EINVAL;
    k.ctx.set(me, 'pages', null);
    return yield* k.iopt_release_pages(pages);
  },
  // boot: the dma_resv_lockdep() subsys_initcall primes lockdep (lock orders only, nothing is locked)
  dma_resv_lockdep: function* (k) {
    yield* k.schedule('dma_resv_lockdep() (subsys_initcall, CONFIG_LOCKDEP)', []);
    dma_resv_lockdep(k.ctx);
    return 0;
  },
  // driver unbind: vfio_unregister_group_dev() waits for every registration
  unregister: (k, args) => k.vfio_unregister_group_dev(dev(args)),
  // every process exits once all threads are done: mappings, attachments and fds go
  exit_all: function* (k, args) {
    const { ctx } = k;
    // a driver unbind is no thread of the exiting process: it waits for the exit's fput()s instead
    const unbinds = (args.unbinds as string[] | undefined) ?? [];
    yield { action: 'exit: wait for every other thread to finish', joinAll: true, joinExcept: unbinds };
    for (const a of ctx.ids('actor')) {
      // exit_mmap(): the thread's mappings, most recent first (one another thread munmapped is gone already);
      // a copy is reversed, never the world's array (with three mappings or more, reversing that one in
      // place changed the world behind its fingerprint and its undo log)
      for (const vma of [ctx.get(a, 'vma'), ...[...olderMaps(ctx, a)].reverse()]) {
        if (vma === null) continue;
        release(ctx, a, { addr: null, vma });
        yield* k.vfio_pci_munmap(procId('primary'), { addr: null, vma });
      }
      const pages = ctx.get(a, 'pages');
      if (pages) {
        ctx.set(a, 'pages', null);
        yield* k.iopt_release_pages(pages);
      }
      const priv = ctx.get(a, 'priv');
      if (priv) {
        const att = ctx.get(a, 'att');
        if (att) yield* k.importer_detach(att);
        ctx.set(a, 'att', null);
        ctx.set(a, 'priv', null);
        yield* k.dma_buf_put(priv);
      }
    }
    // exit_files(): close every fd of the primary process
    const proc = procId('primary');
    for (const f of ctx.get(proc, 'fds')) {
      ctx.set(
        proc,
        'fds',
        ctx.get(proc, 'fds').filter((x) => x !== f),
      );
      yield* k.fput(fdFileOf(ctx.world, f));
    }
    return 0;
  },
};

// What each operation takes, and which threads run it: counterexample files are checked against these before
// anything runs (checker/signature.ts), and `list ops` prints them.

const lastDevice: SetupLimit = { text: 'devices-1', of: (s) => setupParamsOf(s).devices - 1 };
/** dma-buf n is the n-th exported: those of the setup, then at most `exports` more (model/dmabuf/space.ts) */
const lastDmabuf: SetupLimit = {
  text: `exported+${BOUND_LIMITS.exports - 1}`,
  of: (s) => setupParamsOf(s).exported + BOUND_LIMITS.exports - 1,
};

const devArg: ArgSpec = {
  help: 'the device (vdev<n>) of the dev_set',
  accepts: [{ type: 'integer', min: 0, max: lastDevice }],
  default: 0,
};
const dmabufArg: ArgSpec = {
  help: 'the n-th dma-buf exported, or the name an export gave it',
  accepts: [
    { type: 'integer', min: 0, max: lastDmabuf },
    { type: 'handle', handle: 'dma-buf' },
  ],
};
/** the dma-buf whose fd an fd argument of 'dmabuf' (its default) names */
const dmabufOr: ArgSpec = { ...dmabufArg, help: `${dmabufArg.help}, whose fd is meant when fd is 'dmabuf'`, default: 0 };
/** PCI BARs 0..5 (VFIO_PCI_ROM_REGION_INDEX is 6); a device implements BARs 0..bars-1 (bound `bars`), the others fail as the kernel does */
const barArg: ArgSpec = { help: 'the BAR index', accepts: [{ type: 'integer', min: 0, max: 5 }], default: 0 };
const flag = (help: string): ArgSpec => ({ help, accepts: [{ type: 'boolean' }], default: false });
/** vm_pgoff and the length of an mmap, in pages (a BAR is BAR_LEN / PAGE_SIZE of them), and how many mappings the thread may hold */
const mmapArgs = (of: string): Record<string, ArgSpec> => ({
  maps: {
    help: 'the most mappings the thread may hold at once, this one included (bound maps); holding that many, the mmap fails as a second one always did',
    accepts: [{ type: 'integer', min: 1, max: BOUND_LIMITS.maps }],
    default: 1,
  },
  pgoff: { help: `vm_pgoff: the first page of the ${of} mapped`, accepts: [{ type: 'integer', min: 0, max: 4 }], default: 0 },
  pages: {
    help: `the length in pages (default: the whole ${of})`,
    accepts: [{ type: 'integer', min: 1, max: 4 }],
    default: BAR_LEN / PAGE_SIZE,
  },
});

/**
 * A user address, as an argument gives it: the address itself (MMAP_BASE and up, where the model's
 * mmaps land), or the n-th VMA created (a number below MMAP_BASE, or the name its mmap gave it) for
 * the address it starts at.
 */
const userAddressTypes: ArgType[] = [
  { type: 'integer', min: 0, max: BOUND_LIMITS.maps * (BOUND_LIMITS.mmappers + BOUND_LIMITS.dmabuf_mmappers) - 1 },
  { type: 'integer', min: MMAP_BASE, max: MMAP_BASE + 64 * PAGE_SIZE - 1 },
  { type: 'handle', handle: 'vma' },
];
const addrArg = (what: string): ArgSpec => ({
  help: `${what}: "last" (the thread's most recent mapping it still holds), an address, or the n-th VMA created (or the name its mmap gave it) for its start`,
  accepts: [{ type: 'name', values: ['last'] }, ...userAddressTypes],
  default: 'last',
});

const sig = (help: string, args: OpSignature['args'] = {}, takes: string[] = [], creates: string[] = []): OpSignature => ({
  help,
  args,
  takes,
  creates,
});
const ioctl = (help: string, args: OpSignature['args'] = {}): OpSignature => sig(help, { dev: devArg, ...args }, ['device fd']);

function importerSignatures(kind: ImporterKind): Record<string, OpSignature> {
  return {
    [`${kind}_attach`]: sig(
      `a ${kind} importer takes a dma-buf reference and attaches`,
      { dmabuf: dmabufArg },
      ['dma-buf'],
      ['attachment'],
    ),
    [`${kind}_pin`]: sig("dma_buf_pin() of the thread's attachment", {}, ['attachment']),
    [`${kind}_map`]: sig("dma_buf_map_attachment() of the thread's attachment", {}, ['attachment'], ['mapping']),
    [`${kind}_dma_access`]: sig("device DMA through the thread's mapping", {}, ['mapping']),
    [`${kind}_unmap`]: sig('dma_buf_unmap_attachment()', {}, ['mapping']),
    [`${kind}_detach`]: sig('unmap, unpin, detach and drop the dma-buf reference', {}, ['attachment']),
  };
}

const ops: Record<string, OpSignature> = {
  open_device: sig('open the device file (vfio_df_open)', { dev: devArg }, [], ['device fd']),
  close_device_fd: sig('close the device fd', { dev: devArg }, ['device fd']),
  config_write_command: ioctl('write PCI_COMMAND, setting or clearing MEM', { mem: flag('set PCI_COMMAND_MEMORY') }),
  config_write_pm: ioctl('write the PM control register', { d3: flag('enter D3hot (else D0)') }),
  flr: ioctl('function level reset through config space'),
  device_reset: ioctl('VFIO_DEVICE_RESET'),
  hot_reset: ioctl('VFIO_DEVICE_PCI_HOT_RESET of the dev_set'),
  low_power_entry: ioctl('VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY'),
  low_power_exit: ioctl('VFIO_DEVICE_FEATURE_LOW_POWER_EXIT'),
  runtime_resume: sig('the PM core resumes the device', { dev: devArg }),
  set_irqs: ioctl('VFIO_DEVICE_SET_IRQS (MSI enable)'),
  export_dmabuf: {
    ...ioctl('VFIO_DEVICE_FEATURE_DMA_BUF', {
      bar: barArg,
      ranges: { help: 'nr_ranges (0 fails the -EINVAL check)', accepts: [{ type: 'integer', min: 0, max: 2 }], default: 1 },
      offset: {
        help: 'byte offset of the first range in the BAR (given with or without length: the ranges are checked)',
        accepts: [{ type: 'integer', min: 0, max: 2 * BAR_LEN }],
        default: 0,
      },
      length: {
        help: `bytes of each range, the ranges one after the other (default: the whole ${BAR_LEN}-byte BAR)`,
        accepts: [{ type: 'integer', min: 0, max: 2 * BAR_LEN }],
        default: BAR_LEN,
      },
      fd_fail: flag('dma_buf_fd() fails after the export'),
    }),
    creates: ['dma-buf'],
  },
  bar_rw: sig(
    'read() or write() of a BAR region through the device fd (vfio_pci_bar_rw), copying to or from a user buffer',
    {
      dev: devArg,
      bar: {
        help: 'the region index: BAR 0..5, 6 the ROM (none here: -EINVAL)',
        accepts: [{ type: 'integer', min: 0, max: 6 }],
        default: 0,
      },
      offset: {
        help: `the offset in the region (the BAR is ${BAR_LEN} bytes)`,
        accepts: [{ type: 'integer', min: 0, max: 2 * BAR_LEN }],
        default: 0,
      },
      count: {
        help: 'bytes to read or write (8-byte aligned chunks of up to 8)',
        accepts: [{ type: 'integer', min: 0, max: 64 }],
        default: 8,
      },
      write: flag('write() (else read())'),
      buf: {
        help: "the user buffer: ordinary memory ('anon'), no mapping ('unmapped'), or a user address: one given as such, or the start of the n-th VMA created or of the one its mmap named",
        accepts: [{ type: 'name', values: ['anon', 'unmapped'] }, ...userAddressTypes],
        default: 'anon',
      },
    },
    ['device fd'],
  ),
  revoke_dmabuf: sig(
    'VFIO_DEVICE_PCI_DMABUF_REVOKE: revoke the dma-buf of an fd through the device (-EINVAL for an fd that is no dma-buf)',
    { dmabuf: dmabufOr, fd: fdArg, dev: devArg },
    ['dma-buf', 'fd', 'device fd'],
  ),
  dup_fd: sig(
    'dup() an fd of the primary process: a new fd of the same file (ksys_dup)',
    { dmabuf: dmabufOr, fd: fdArg, dev: devArg },
    ['dma-buf', 'fd'],
    ['fd'],
  ),
  close_fd: sig('close() any one fd of the primary process (close_fd → filp_close → fput)', { dmabuf: dmabufOr, fd: fdArg, dev: devArg }, [
    'dma-buf',
    'fd',
  ]),
  close_dmabuf_fd: sig('close a dma-buf fd of the primary process', { dmabuf: dmabufArg }, ['dma-buf']),
  bar_mmap: sig('mmap a BAR of the device', { dev: devArg, bar: barArg, ...mmapArgs('BAR') }, ['device fd'], ['vma']),
  dmabuf_mmap: sig('mmap a dma-buf fd', { dmabuf: dmabufArg, ...mmapArgs('dma-buf') }, ['dma-buf'], ['vma']),
  cpu_access: sig('a CPU load/store at a user address', { addr: addrArg('the address loaded or stored') }, ['vma']),
  munmap: sig('munmap the mapping at a user address (the whole VMA)', { addr: addrArg('an address of the mapping') }, ['vma']),
  ...importerSignatures('sync'),
  ...importerSignatures('fence'),
  ...importerSignatures('pinned'),
  ...importerSignatures('static'),
  iommufd_map_file: sig('IOMMU_IOAS_MAP_FILE of a dma-buf fd', { dmabuf: dmabufArg }, ['dma-buf'], ['iommufd pages']),
  iommufd_dma_access: sig('device DMA through the IOAS mapping', {}, ['iommufd pages']),
  iommufd_unmap: sig('IOAS unmap', {}, ['iommufd pages']),
  dma_resv_lockdep: sig('the dma_resv_lockdep() initcall primes lockdep'),
  unregister: sig('driver unbind: vfio_unregister_group_dev() waits for every registration', { dev: devArg }),
  exit_all: sig('once every other thread is done, the processes exit: mappings, attachments and fds go', {
    unbinds: { help: 'driver unbinds the exit does not wait for', accepts: [{ type: 'threads', role: 'unbind' }], default: [] },
  }),
};

const importerOps = (kind: ImporterKind) => Object.keys(importerSignatures(kind));
const actors: ActorSpec[] = [
  {
    role: 'primary',
    help: 'the primary process: device ioctls, exports and closes',
    maxThreads: BOUND_LIMITS.primaries,
    ops: [
      'open_device',
      'close_device_fd',
      'config_write_command',
      'config_write_pm',
      'flr',
      'device_reset',
      'hot_reset',
      'low_power_entry',
      'low_power_exit',
      'runtime_resume',
      'set_irqs',
      'export_dmabuf',
      'bar_rw',
      'revoke_dmabuf',
      'close_dmabuf_fd',
      'dup_fd',
      'close_fd',
    ],
  },
  ...(['sync', 'fence', 'pinned', 'static'] as const).map((kind) => ({
    role: kind,
    help: `a ${kind} importer`,
    maxThreads: BOUND_LIMITS[kind],
    ops: importerOps(kind),
  })),
  {
    role: 'iommufd',
    help: 'an iommufd IOAS mapping of a dma-buf',
    maxThreads: BOUND_LIMITS.iommufd,
    ops: ['iommufd_map_file', 'iommufd_dma_access', 'iommufd_unmap'],
  },
  {
    role: 'mmap',
    help: 'a thread that mmaps a BAR (maps times, each at its own address) and touches it',
    maxThreads: BOUND_LIMITS.mmappers,
    ops: ['bar_mmap', 'cpu_access', 'munmap'],
  },
  {
    role: 'dmmap',
    help: 'a thread that mmaps a dma-buf fd (maps times, each at its own address) and touches it',
    maxThreads: BOUND_LIMITS.dmabuf_mmappers,
    ops: ['dmabuf_mmap', 'cpu_access', 'munmap'],
  },
  { role: 'fdclose', help: 'a thread that closes a dma-buf fd', maxThreads: BOUND_LIMITS.fdclosers, ops: ['close_dmabuf_fd'] },
  { role: 'unbind', help: 'a driver unbind', maxThreads: BOUND_LIMITS.unbind, ops: ['unregister'] },
  { role: 'boot', help: 'boot-time initcalls', maxThreads: 1, ops: ['dma_resv_lockdep'] },
  { role: 'exit', help: 'the process exit after every other thread', maxThreads: 1, ops: ['exit_all'] },
];

/** The operations of `commands` and the threads that run them. */
export const signatures: Signatures = {
  ops,
  actors,
  handles: { 'dma-buf': { kind: 'priv' }, vma: { kind: vmaKind }, fd: { kind: fdKind } },
};
