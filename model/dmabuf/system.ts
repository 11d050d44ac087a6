/**
 * A design as the engine sees it: the initial world (devices, their locks and
 * registration, dma-bufs exported up front) and the commands threads run,
 * each bound to the design's function table.
 */
import type { Ctx, OpFn } from '../../checker/context.ts';
import { createIn, peekField, type Ref, setField } from '../../checker/kind.ts';
import type { System } from '../../checker/scenario.ts';
import type { Args } from '../../checker/value.ts';
import type { World } from '../../checker/world.ts';
import { init_completion } from '../../kernel/completion.ts';
import { kernel_config } from '../../kernel/config.ts';
import { dma_resv_init } from '../../kernel/dma-resv.ts';
import { alloc_file } from '../../kernel/file.ts';
import { kref as krefKind } from '../../kernel/kinds.ts';
import { mutex_init } from '../../kernel/mutex.ts';
import { init_rwsem } from '../../kernel/rwsem.ts';
import { kzalloc, kzallocKind } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';
import { binder } from '../bind.ts';
import { addedOps, type Design } from '../design.ts';
import { Fops } from '../fops.ts';
import { systemCache } from '../system-cache.ts';
import { commands } from './actors.ts';
import type { FunctionTable, K } from './functions.ts';
import { setupGroup } from './group-setup.ts';
import * as kinds from './kinds.ts';
import {
  comp,
  deviceFile,
  devSetId,
  devSetLock,
  dmabufFile,
  dmabufMem,
  domainsRwsem,
  groupId,
  i_mmap_rwsem,
  igate,
  kref,
  memory_lock,
  mmapLock,
  PRIV_COMP_CLASS,
  privMem,
  procId,
  registration,
  registrationDone,
  resv,
  VDEV_COMP_CLASS,
  vdevId,
} from './objects.ts';
import { setupParamsOf } from './setup.ts';
import { DMA_BUF_FOPS, VFIO_DEVICE_FOPS } from './upstream/dma_buf.ts';
import { VFIO_FOPS, VFIO_GROUP_FOPS } from './upstream/vfio_group.ts';

/**
 * The world before any thread runs: one dev_set of registered devices, device 0
 * opened by the primary process (vfio_df_open done, fd installed), and
 * `exported` dma-bufs of BAR 0 exported, linked and not revoked, their fds
 * held by the primary process.
 */
export function setupWorld(w: World, a: Args, design: Design, bind: (ctx: Ctx) => K, fops: Fops): void {
  const p = setupParamsOf(a);
  kernel_config(w, { syncFput: design.flags.syncFput });
  const devset = devSetId(0);
  const devices = Array.from({ length: p.devices }, (_, i) => vdevId(i));
  // group: the VFIO group the devices were opened through (bound vfio_group), else null (upstream/vfio_group.ts)
  createIn(w, kinds.devSet, { devices, group: p.vfio_group ? groupId : null }, devset);
  mutex_init(w, '&dev_set->lock', { id: devSetLock(devset), name: `&${devset}->lock` });
  init_rwsem(w, '&iopt->domains_rwsem', { id: domainsRwsem });
  init_rwsem(w, '&mm->mmap_lock', { id: mmapLock(procId('primary')), name: '&primary->mm->mmap_lock' });
  const fds: string[] = p.vfio_group ? setupGroup(w, fops, 1) : [];
  devices.forEach((vdev, i) => {
    const open = i === 0;
    createIn(
      w,
      kinds.vdev,
      {
        dev_set: devset,
        open_count: open ? 1 : 0,
        vconfig: open,
        cmd_mem: open,
        power: 'D0',
        no_command_memory: p.no_command_memory,
        pm_runtime_engaged: false,
        reset_works: true,
        in_reset: false,
        bars: [...Array(p.bars).keys()],
        barmap: [],
        dmabufs: [],
      },
      vdev,
    );
    if (open) w.send(vdev, { type: 'OPEN' });
    init_rwsem(w, '&vdev->memory_lock', { id: memory_lock(vdev), name: `&${vdev}->memory_lock` });
    mutex_init(w, '&vdev->igate', { id: igate(vdev), name: `&${vdev}->igate` });
    init_rwsem(w, '&mapping->i_mmap_rwsem', { id: i_mmap_rwsem(vdev), name: `&${vdev}->inode->i_mapping->i_mmap_rwsem` });
    // __vfio_register_dev(): refcount 1, plus one per open device file
    kzallocKind(w, kinds.registration, { refcount: open ? 2 : 1 }, registration(vdev));
    init_completion(w, `&${vdev}->comp`, { id: registrationDone(vdev), class: VDEV_COMP_CLASS });
    if (open) {
      alloc_file(w, fops.get(VFIO_DEVICE_FOPS), { id: deviceFile(vdev), private_data: vdev });
      fds.push(deviceFile(vdev));
    }
  });
  const vdev0 = devices[0] as Ref<'vdev'>;
  for (let i = 0; i < p.exported; i++) {
    // what vfio_pci_core_feature_dma_buf() leaves behind on success
    const priv = createIn(w, kinds.priv, { vdev: vdev0 });
    w.send(priv, { type: 'EXPORT' });
    w.send(priv, { type: 'LINK' });
    alloc_file(w, fops.get(DMA_BUF_FOPS), { id: dmabufFile(priv), private_data: priv });
    dma_resv_init(w, { id: resv(priv) });
    kzallocKind(w, krefKind, { refcount: 1 }, kref(priv));
    kzalloc(w, 'vfio_pci_dma_buf', {}, privMem(priv));
    kzalloc(w, 'dma_buf', {}, dmabufMem(priv));
    init_completion(w, `&${priv}->comp`, { id: comp(priv), class: PRIV_COMP_CLASS });
    w.set(vdev0, 'dmabufs', [...(w.peek(vdev0, 'dmabufs') as readonly Ref<'priv'>[]), priv]);
    w.set(vdev0, 'barmap', [0]);
    setField(w, registration(vdev0), 'refcount', peekField(w, registration(vdev0), 'refcount') + 1);
    fds.push(priv);
  }
  createIn(w, kinds.process, { fds }, procId('primary'));
  void bind;
}

/** The engine's view of a design (one per design and watched returns, with its own f_op tables). */
export const dmabufSystem = systemCache(makeSystem);

function makeSystem(design: Design, watchedReturns: ReadonlySet<string>): System {
  const fops = new Fops(design.name);
  const make = binder<FunctionTable, { flags: Design['flags']; design: string; fops: Fops }>(design.functions, watchedReturns);
  const bind = (ctx: Ctx) => make(ctx, { flags: design.flags, design: design.name, fops }) as unknown as K;
  // f_op->release, named as the dentry/file callbacks are, so traces read __fput > dma_buf_file_release > ...
  fops.define(DMA_BUF_FOPS, function dma_buf_file_release(ctx, file) {
    return bind(ctx).dma_buf_release(ctx.world.peek(file, 'private_data') as Ref<'priv'>);
  });
  fops.define(VFIO_DEVICE_FOPS, function vfio_device_fops(ctx, file) {
    return bind(ctx).vfio_device_fops_release(ctx.world.peek(file, 'private_data') as Ref<'vdev'>);
  });
  fops.define(VFIO_GROUP_FOPS, function vfio_group_fops(ctx, file) {
    return bind(ctx).vfio_group_fops_release(ctx.world.peek(file, 'private_data') as Ref<'dmabuf.vfio_group'>);
  });
  fops.define(VFIO_FOPS, function vfio_fops(ctx, file) {
    return bind(ctx).vfio_fops_release(ctx.world.peek(file, 'private_data') as Ref<'dmabuf.vfio_container'>);
  });
  const ops: Record<string, OpFn> = {};
  for (const [name, cmd] of Object.entries(commands)) ops[name] = (ctx, args) => cmd(bind(ctx), args) as ReturnType<OpFn>;
  for (const [name, run] of Object.entries(addedOps(design, bind))) ops[name] = run as OpFn;
  return {
    name: design.name,
    setup: (w, a) => setupWorld(w, a, design, bind, fops),
    ops,
    stepContext: (w, thread) => heldLocks(w, thread),
  };
}
