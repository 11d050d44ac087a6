/**
 * evans-2026-rfc-v2: Matt Evans, "[RFC v2 0/10] vfio/pci: mmap of DMABUFs, BAR
 * mmap via DMABUF, permanent revoke", 12 Mar 2026 (seed 002; docs/seeds.md §002;
 * kernel-upstream.md §9): an OK / TEMP_REVOKED / PERM_REVOKED status, the PTE zap
 * inside the revoke after the completion wait, dma-buf mmap, BAR mmaps backed by
 * dma-bufs, and VFIO_DEVICE_PCI_DMABUF_REVOKE.
 */

import type { Ref } from '../../../checker/kind.ts';
import type { Gen } from '../../bind.ts';
import { type Design, defineVariant } from '../../design.ts';
import { EBADFD, EINVAL, ENODEV } from '../../errno.ts';
import type { DmaBufRequest } from '../arguments.ts';
import type { K, ModelFunctions, Primitives, TableOf } from '../functions.ts';
import type { PrivStatus } from '../kinds.ts';
import * as kinds from '../kinds.ts';
import { comp, deviceFile, dmabufFile, kref, memory_lock, privMem, resv, vmaKind } from '../objects.ts';
import { BAR_LEN } from '../resources.ts';
import { dmabufOfFd } from '../upstream/dma_buf.ts';
import { upstream71 } from '../upstream/index.ts';
import { vm_area_alloc } from '../upstream/mmap.ts';
import { install_fd_double_free } from './merged-6.19.ts';

type Status = PrivStatus;

/**
 * The functions the series adds to the table, by their kernel names: table
 * entries (not module-private helpers), so a design based on this one replaces
 * any of them by name, and every caller here calls them through `k`.
 */
export interface EvansFunctions {
  /** priv->status = s, under the locks the caller holds */
  set_status(priv: Ref<'priv'>, s: Status): Gen<void>;
  /** unmap_mapping_range() of the dma-buf's file: zap every CPU PTE of the buffer */
  zap_dmabuf_ptes(priv: Ref<'priv'>): Gen<void>;
  /** the revoke shared by move, cleanup and the REVOKE ioctl (patch 08) */
  __vfio_pci_dma_buf_revoke(priv: Ref<'priv'>, revoked: boolean, permanently: boolean): Gen<void>;
  /** the export helper (patch 04): a linked buffer with its initial status, or null when the device is going away */
  vfio_pci_dmabuf_export(vdev: Ref<'vdev'>, bar: number, statusOk: boolean): Gen<Ref<'priv'> | null>;
}

/** What evans-2026-rfc-v2's functions receive: the model's bound table and the series' own functions. */
export interface EvansK extends K, EvansFunctions {}

/** evans-2026-rfc-v2's whole table: the base for a design that replaces one of the series' functions. */
export type EvansTable = TableOf<EvansK, Primitives & ModelFunctions & EvansFunctions>;

/** priv->status = s (the shared functions' priv->revoked is its view, status != OK: model/dmabuf/kinds.ts). */
export function* set_status(k: EvansK, priv: Ref<'priv'>, s: Status) {
  k.ctx.set(priv, 'status', s);
}

/** unmap_mapping_range(priv->dmabuf->file->f_mapping, 0, priv->size, 1): zap every PTE of the buffer's VMAs. */
export function* zap_dmabuf_ptes(k: EvansK, priv: Ref<'priv'>) {
  const { ctx } = k;
  yield* k.schedule(`unmap_mapping_range(${priv}->dmabuf->file->f_mapping)`, [priv]);
  for (const vma of ctx.ids(vmaKind))
    if (ctx.get(vma, 'backing') === priv && ctx.state(vma) === 'populated') ctx.send(vma, { type: 'ZAP' });
}

/** __vfio_pci_dma_buf_revoke(priv, revoked, permanently) (patch 08; no lockdep assert in RFC v2). */
export function* __vfio_pci_dma_buf_revoke(k: EvansK, priv: Ref<'priv'>, revoked: boolean, permanently: boolean) {
  const { ctx } = k;
  const status = ctx.get(priv, 'status');
  if (status === 'PERM' || (status === 'OK' && !revoked) || (status === 'TEMP' && revoked && !permanently)) return;
  yield* k.dma_resv_lock(resv(priv));
  if (revoked) yield* k.set_status(priv, permanently ? 'PERM' : 'TEMP');
  yield* k.dma_buf_invalidate_mappings(priv);
  yield* k.dma_resv_wait_timeout(resv(priv));
  yield* k.dma_resv_unlock(resv(priv));
  if (revoked) {
    yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv));
    yield* k.wait_for_completion(comp(priv));
    yield* k.zap_dmabuf_ptes(priv);
  } else {
    yield* k.kref_init(kref(priv)); // re-armed only on un-revoke (pre-c64a647c84f3)
    yield* k.reinit_completion(comp(priv));
    yield* k.dma_resv_lock(resv(priv));
    yield* k.set_status(priv, 'OK');
    yield* k.dma_resv_unlock(resv(priv));
  }
}

/** vfio_pci_dma_buf_move(): "Holding memory_lock ensures a racing VMA fault observes priv->status properly." */
export function* move_status(k: EvansK, vdev: Ref<'vdev'>, revoked: boolean) {
  const { ctx } = k;
  yield* k.lockdep_assert_held_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    yield* k.__vfio_pci_dma_buf_revoke(priv, revoked, false);
    yield* k.fput(dmabufFile(priv));
  }
}

/**
 * vfio_pci_dma_buf_cleanup(): the 7.1-rc inline drain, PERM_REVOKED, unconditional kref_put + wait, zap.
 * The unconditional put is the series' own code: RFC v2 was based on next-20260310, and its author's
 * "[PATCH 1/9] vfio/pci: Fix vfio_pci_dma_buf_cleanup() double-put" (16 Apr 2026, Fixes: 1a8a5227f2299,
 * lore 20260416131815.2729131-2-mattev@meta.com) says cleanup "would do a second/underflowing kref_put()
 * then wait_for_completion() on a completion that never fires" after an earlier revoke, and that the
 * permanent-revoke patch depends on that fix; Alex Williamson's reply (1 May 2026): "trivially reachable".
 */
export function* cleanup_status(k: EvansK, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.down_write(memory_lock(vdev));
  for (const priv of ctx.get(vdev, 'dmabufs')) {
    if (!(yield* k.get_file_active(dmabufFile(priv)))) continue;
    yield* k.dma_resv_lock(resv(priv));
    yield* k.list_del_init_dmabuf(vdev, priv);
    ctx.set(priv, 'vdev', null);
    yield* k.set_status(priv, 'PERM');
    ctx.send(priv, { type: 'ORPHAN' });
    yield* k.dma_buf_invalidate_mappings(priv);
    yield* k.dma_resv_wait_timeout(resv(priv));
    yield* k.dma_resv_unlock(resv(priv));
    yield* k.kref_put(kref(priv), () => k.vfio_pci_dma_buf_done(priv));
    yield* k.wait_for_completion(comp(priv));
    yield* k.zap_dmabuf_ptes(priv);
    yield* k.vfio_device_put_registration(vdev);
    yield* k.fput(dmabufFile(priv));
  }
  yield* k.up_write(memory_lock(vdev));
}

/**
 * vfio_pci_ioctl_dmabuf_revoke() → vfio_pci_dma_buf_revoke(): permanent, under memory_lock held for READ.
 * dma_buf_get(fd) first: -EBADF for an fd not open, -EINVAL for one that is no dma-buf (the device fd);
 * a dup()ed fd of a dma-buf is its file, so it revokes the same buffer. (The check of dmabuf->ops against
 * &vfio_pci_dmabuf_ops, -ENODEV, always passes here: every dma-buf of the model is VFIO's.)
 */
export function* ioctl_dmabuf_revoke(k: EvansK, vdev: Ref<'vdev'>, fd: string) {
  const got = yield* k.dma_buf_get(fd);
  if (got !== 0) return got;
  const priv = dmabufOfFd(k, fd, 'vfio_pci_ioctl_dmabuf_revoke: dmabuf->priv');
  let ret = 0;
  const dbVdev = yield* k.READ_ONCE(priv, 'vdev');
  if (!dbVdev || dbVdev !== vdev) ret = ENODEV;
  else {
    yield* k.down_read(memory_lock(vdev)); // scoped_guard(rwsem_read, &vdev->memory_lock)
    if (k.ctx.get(priv, 'status') === 'PERM') ret = EBADFD;
    else yield* k.__vfio_pci_dma_buf_revoke(priv, true, true);
    yield* k.up_read(memory_lock(vdev));
  }
  yield* k.dma_buf_put(priv);
  return ret;
}

/** .mmap = vfio_pci_dma_buf_mmap(): unlocked status check. */
export function* dma_buf_mmap_status(k: K, priv: Ref<'priv'>, _vma: string) {
  return (yield* k.READ_ONCE(priv, 'status')) !== 'OK' ? ENODEV : 0;
}

/** vfio_pci_mmap_huge_fault() of RFC v2: READ_ONCE(priv->vdev), find_pfn, then status under memory_lock(R). */
export function* dma_buf_fault_status(k: K, vma: Ref<'vma'>) {
  const { ctx } = k;
  const priv = ctx.get(vma, 'backing') as Ref<'priv'>; // dma_buf_vm_ops: a VMA of the dma-buf's file
  const vdev = (yield* k.READ_ONCE(priv, 'vdev')) as Ref<'vdev'> | null;
  if (!vdev) return 'VM_FAULT_SIGBUS';
  yield* k.down_read(memory_lock(vdev));
  let ret = 'VM_FAULT_SIGBUS';
  if (ctx.get(priv, 'status') === 'OK' && !ctx.get(vdev, 'pm_runtime_engaged') && (yield* k.__vfio_pci_memory_enabled(vdev))) {
    ctx.send(vma, { type: 'FAULT_INSERT' }); // vfio_pci_vmf_insert_pfn()
    ret = 'VM_FAULT_NOPAGE';
  }
  yield* k.up_read(memory_lock(vdev));
  return ret;
}

/** vfio_pci_dmabuf_export() (patch 04), with the caller's status decided before taking memory_lock. */
export function* vfio_pci_dmabuf_export(k: EvansK, vdev: Ref<'vdev'>, bar: number, statusOk: boolean) {
  const { ctx } = k;
  const priv = ctx.make(kinds.priv, { vdev, bar, status: statusOk ? 'OK' : 'TEMP' });
  yield* k.kzalloc(privMem(priv), 'vfio_pci_dma_buf');
  if (!(yield* k.vfio_device_try_get_registration(vdev))) {
    yield* k.kfree(privMem(priv));
    ctx.send(priv, { type: 'ABORT' });
    return null;
  }
  yield* k.dma_buf_export(priv);
  yield* k.kref_init(kref(priv));
  yield* k.init_completion(comp(priv));
  yield* k.down_write(memory_lock(vdev));
  yield* k.dma_resv_lock(resv(priv));
  yield* k.list_add_tail_dmabuf(vdev, priv);
  ctx.send(priv, { type: 'LINK' });
  yield* k.dma_resv_unlock(resv(priv));
  yield* k.up_write(memory_lock(vdev));
  return priv;
}

/** vfio_pci_core_feature_dma_buf(): status_ok = __vfio_pci_memory_enabled(vdev) evaluated outside memory_lock. */
export function* feature_dma_buf_status(k: EvansK, vdev: Ref<'vdev'>, req: DmaBufRequest) {
  if (!req.nr_ranges || req.flags) return EINVAL;
  if ((yield* k.vfio_pci_core_setup_barmap(vdev, req.bar)) !== 0) return ENODEV;
  const ok = yield* k.__vfio_pci_memory_enabled(vdev); // no lock held: stale by the time the buffer is linked
  const priv = yield* k.vfio_pci_dmabuf_export(vdev, req.bar, ok);
  if (!priv) return ENODEV;
  return yield* k.export_install_fd(priv, req.fd_fail);
}

/** vfio_pci_core_mmap() → vfio_pci_core_mmap_prep_dmabuf(): a BAR VMA backed by a new dma-buf, status OK unconditionally. */
export function* core_mmap_prep_dmabuf(k: EvansK, vdev: Ref<'vdev'>, bar: number, proc: Ref<'process'>) {
  const { ctx } = k;
  if ((yield* k.vfio_pci_core_setup_barmap(vdev, bar)) !== 0) return { ret: EINVAL, vma: null };
  yield* k.get_file(deviceFile(vdev)); // vma->vm_file, handed to priv->vfile below
  const priv = yield* k.vfio_pci_dmabuf_export(vdev, bar, true);
  if (!priv) return { ret: ENODEV, vma: null };
  ctx.set(priv, 'vfile', deviceFile(vdev));
  const len = BAR_LEN; // pci_resource_len(): vfio_pci_core_setup_barmap() succeeded, the BAR is there
  const addr = yield* k.get_unmapped_area(proc, len);
  const vma = vm_area_alloc(ctx, { vdev, bar, backing: priv, proc }, addr, len); // vma->vm_file = priv->dmabuf->file
  return { ret: 0, vma };
}

/** .release: as 7.1, plus fput(priv->vfile) for BAR-mmap buffers. */
export function* release_vfile(k: K, priv: Ref<'priv'>) {
  const { ctx } = k;
  const vfile = ctx.world.has(priv) ? (ctx.world.describe(priv).fields.vfile as Ref<'file'> | undefined) : undefined;
  const ret = yield* upstream71.functions.vfio_pci_dma_buf_release(k, priv);
  if (vfile) yield* k.fput(vfile);
  return ret;
}

/** Revoke sites take plain down_write: the PTE zap lives inside move/cleanup now. */
export function* down_write_no_zap(k: K, vdev: Ref<'vdev'>) {
  yield* k.down_write(memory_lock(vdev));
}

/** upstream's table, as functions that may call the series' own (its functions take K, so they take EvansK too) */
const base: Design<TableOf<EvansK, Primitives & ModelFunctions>> = upstream71;

export default defineVariant(base, {
  name: 'evans-2026-rfc-v2',
  summary: 'Seed 002: OK/TEMP/PERM status, dma-buf mmap, BAR mmap via dma-bufs, permanent REVOKE ioctl, PTE zap inside move',
  source: 'seed 002 (Matt Evans, RFC v2, 2026-03-12, not merged; patch 02 merged as d97708701434)',
  differences: [
    'priv->revoked → status OK / TEMP_REVOKED / PERM_REVOKED; __vfio_pci_dma_buf_revoke() shared by move, cleanup and the ioctl',
    "revoke zaps the buffer's CPU PTEs (unmap_mapping_range of the dma-buf file) after wait_for_completion; kref re-armed only on un-revoke",
    'VFIO_DEVICE_PCI_DMABUF_REVOKE: permanent revoke under memory_lock held for READ',
    '.mmap and a fault that reads priv->vdev unlocked, then checks status under memory_lock(R)',
    'BAR mmap backed by a dma-buf exported with status OK unconditionally; revoke sites no longer zap the device mapping',
    'export computes the initial status with __vfio_pci_memory_enabled() outside memory_lock; dma_buf_fd() failure double free',
    'cleanup: inline drain with an unconditional kref_put + wait_for_completion, status PERM',
  ],
  replace: {
    vfio_pci_dma_buf_move: move_status,
    vfio_pci_dma_buf_cleanup: cleanup_status,
    vfio_pci_core_ioctl_dmabuf_revoke: ioctl_dmabuf_revoke,
    vfio_pci_dma_buf_mmap: dma_buf_mmap_status,
    vfio_pci_dma_buf_mmap_fault: dma_buf_fault_status,
    vfio_pci_core_feature_dma_buf: feature_dma_buf_status,
    vfio_pci_core_mmap: core_mmap_prep_dmabuf,
    vfio_pci_dma_buf_release: release_vfile,
    vfio_pci_zap_and_down_write_memory_lock: down_write_no_zap,
    export_install_fd: install_fd_double_free,
  },
  add: { functions: { set_status, zap_dmabuf_ptes, __vfio_pci_dma_buf_revoke, vfio_pci_dmabuf_export } },
  // exports: 1 and export_dmabuf in the focus, so the row reaches the export helper's stale status (002.4 #6) and its fd
  // failure path (#7), not only the buffer exported at setup
  bounds: { sync: 0, dmabuf_mmappers: 1, ops: 2, exports: 1 },
  focus: ['config_write_command', 'revoke_dmabuf', 'close_device_fd', 'export_dmabuf'],
});
