/**
 * The dma-buf core calls VFIO and its importers use (drivers/dma-buf/dma-buf.c,
 * post-7.1: dma_buf_invalidate_mappings, dma_buf_attach_revocable, MOVE_NOTIFY
 * always on; kernel-upstream.md §4). Locking convention: importers hold resv
 * for pin/unpin/map/unmap; attach, detach, export, fd, get and put run without it.
 */

import type { Ctx } from '../../../checker/context.ts';
import type { Ref } from '../../../checker/kind.ts';
import { load } from '../../../kernel/slab.ts';
import { EBADF, EINVAL } from '../../errno.ts';
import type { ImporterKind, MmapRange } from '../arguments.ts';
import type { K } from '../functions.ts';
import * as kinds from '../kinds.ts';
import { dmabufFile, dmabufMem, fdFileOf, procId, resv } from '../objects.ts';
import { BAR_LEN, dmabufSize, PAGE_SIZE } from '../resources.ts';
import { vm_area_alloc } from './mmap.ts';

/** f_op of dma-buf files (dma_buf_fops): release → dma_buf_release() of private_data. */
export const DMA_BUF_FOPS = 'dma_buf_fops';
/** f_op of VFIO device files (vfio_device_fops): release → vfio_device_fops_release(). */
export const VFIO_DEVICE_FOPS = 'vfio_device_fops';

/** dma_buf_export(): the struct dma_buf with its resv at &dmabuf[1], its file (one reference), dma_resv_init(). */
export function* dma_buf_export(k: K, priv: Ref<'priv'>) {
  yield* k.kzalloc(dmabufMem(priv), 'dma_buf'); // kzalloc(sizeof(struct dma_buf) + sizeof(struct dma_resv))
  yield* k.alloc_file_pseudo(dmabufFile(priv), DMA_BUF_FOPS, priv);
  yield* k.dma_resv_init(resv(priv));
  k.ctx.send(priv, { type: 'EXPORT' });
}

/** dma_buf_fd(): get_unused_fd_flags(), then fd_install() of dmabuf->file; the fd owns the reference from there. */
export function* dma_buf_fd(k: K, priv: Ref<'priv'>, fail: boolean) {
  if (fail) return -24; // -EMFILE from get_unused_fd_flags()
  const fd = fdNumber(priv); // get_unused_fd_flags(flags)
  yield* k.fd_install(procId('primary'), fd, priv);
  return fd;
}

/**
 * fd_install() (fs/file.c): publishes the file in the process's table, one
 * step. From then on any thread of the process may close(fd) and drop the
 * reference the caller handed over: the caller may not touch the dma-buf again.
 * `entry` is what the table lists the fd as (objects.ts fdFileOf): a dma-buf's
 * priv, or the fd object of a dup().
 */
export function* fd_install(k: K, proc: Ref<'process'>, fd: number, entry: string) {
  yield* k.schedule(`fd_install(${fd}, ${fdFileOf(k.ctx.world, entry)})`, [proc]);
  k.ctx.set(proc, 'fds', [...k.ctx.get(proc, 'fds'), entry]);
}

/** fd numbers handed to user space: 3 for priv0, 4 for priv1, ... */
export const fdNumber = (priv: Ref<'priv'>) => 3 + Number(priv.slice(4));

/** close(fd) of a dma-buf fd: removes it from the table and drops its reference. */
export function* close_dmabuf_fd(k: K, proc: Ref<'process'>, priv: Ref<'priv'>) {
  const fds = k.ctx.get(proc, 'fds');
  if (!fds.includes(priv)) return EBADF;
  k.ctx.set(
    proc,
    'fds',
    fds.filter((p) => p !== priv),
  );
  yield* k.fput(dmabufFile(priv));
  return 0;
}

/**
 * dma_buf_get(fd): fget() of an fd of the primary process (importers are passed it): +1 file
 * reference, or -EBADF; a file that is not a dma-buf (is_dma_buf_file(): f_op != &dma_buf_fops,
 * such as the device fd) gives its reference back and -EINVAL. On success the caller's dma-buf is
 * the file's private_data (dmabufOfFd).
 */
export function* dma_buf_get(k: K, fd: string) {
  const file = fdFileOf(k.ctx.world, fd);
  if (!(yield* k.fget(procId('primary'), fd, file))) return EBADF;
  if (!(yield* k.is_dma_buf_file(file))) {
    yield* k.fput(file);
    return EINVAL;
  }
  return 0;
}

/** is_dma_buf_file() (drivers/dma-buf/dma-buf.c): file->f_op == &dma_buf_fops. A plain compare: no step. */
export function* is_dma_buf_file(k: K, file: string) {
  return k.ctx.world.peek(file, 'f_op') === k.fops.get(DMA_BUF_FOPS).name;
}

/**
 * The struct dma_buf a successful dma_buf_get() returned: file->private_data, which the model
 * names by its priv. What private_data points to is told by the file's f_op: taken for a dma-buf
 * when the file is none (a dma_buf_get() without its f_op check given the device fd: the
 * vfio_device_file behind it read as a struct dma_buf) is a type confusion.
 */
export function dmabufOfFd(k: K, fd: string, access: string): Ref<'priv'> {
  const { ctx } = k;
  const file = fdFileOf(ctx.world, fd);
  const data = ctx.world.peek(file, 'private_data') as Ref<'priv'>; // checked just below: a dma-buf file's is its priv
  const fop = ctx.world.peek(file, 'f_op') as string;
  if (fop !== k.fops.get(DMA_BUF_FOPS).name)
    ctx.fail(
      'type-confusion',
      `type confusion: ${access} reads ${data}, the private_data of ${file} (a ${fop.split('@')[0]} file), as a struct dma_buf`,
    );
  return data;
}

/** dma_buf_put() = fput(dmabuf->file). */
export function* dma_buf_put(k: K, priv: Ref<'priv'>) {
  yield* k.fput(dmabufFile(priv));
}

/** dma_buf_release(): the dentry's d_release from the last __fput: ops->release, then the core frees. */
export function* dma_buf_release(k: K, priv: Ref<'priv'>) {
  k.ctx.send(priv, { type: 'LAST_PUT' });
  yield* k.vfio_pci_dma_buf_release(priv);
  // dma_resv_fini(); WARN_ON(!list_empty(&dmabuf->attachments)); kfree(dmabuf)
  const live = k.ctx.get(priv, 'attachments');
  if (live.length > 0) k.ctx.fail('use-after-free', `dma_buf_release: ${priv} freed with attachments ${live.join(', ')} still linked`);
  k.ctx.send(priv, { type: 'RELEASE' });
  yield* k.kfree(dmabufMem(priv)); // the resv at &dmabuf[1] goes with it
}

/** dma_buf_dynamic_attach(): ops->attach unlocked, then linked into dmabuf->attachments under resv. */
export function* dma_buf_dynamic_attach(k: K, priv: Ref<'priv'>, kind: ImporterKind, importer: string) {
  const { ctx } = k;
  const att = ctx.make(kinds.attachment, {
    dmabuf: priv,
    importer,
    kind,
    // importer_ops->allow_peer2peer; static importers (dma_buf_attach) have no importer_ops
    peer2peer: kind !== 'static',
    invalidate_mappings: kind === 'sync' || kind === 'fence' || kind === 'iommufd',
    fence_pending: false,
    // the sg table of the live mapping (ops->map_dma_buf's result), null for designs whose map makes none
    sgt: null,
  });
  const ret = yield* k.vfio_pci_dma_buf_attach(priv, att);
  if (ret !== 0) {
    ctx.send(att, { type: 'REJECTED' });
    yield* k.kfree(att); // err_attach: kfree(attach)
    return { ret, att: null };
  }
  yield* k.dma_resv_lock(resv(priv));
  ctx.set(priv, 'attachments', [...ctx.get(priv, 'attachments'), att]);
  ctx.send(att, { type: 'LINKED' });
  yield* k.dma_resv_unlock(resv(priv));
  return { ret: 0, att };
}

/** dma_buf_detach(): unlinked under resv; VFIO has no .detach op. */
export function* dma_buf_detach(k: K, att: Ref<'att'>) {
  const { ctx } = k;
  const priv = load(ctx, att, 'dmabuf');
  yield* k.dma_resv_lock(resv(priv));
  ctx.set(
    priv,
    'attachments',
    ctx.get(priv, 'attachments').filter((a) => a !== att),
  );
  ctx.send(att, { type: 'DETACH' });
  yield* k.dma_resv_unlock(resv(priv));
  // dmabuf->ops->detach: VFIO has none
  yield* k.kfree(att);
}

/** dma_buf_attach_revocable() = importer_ops && importer_ops->invalidate_mappings (7.1). */
export function* dma_buf_attach_revocable(k: K, att: Ref<'att'>) {
  return Boolean(load(k.ctx, att, 'invalidate_mappings'));
}

/** dma_buf_pin(): resv held; ops->pin if the exporter has one (7.1 VFIO: none → 0). */
export function* dma_buf_pin(k: K, att: Ref<'att'>) {
  const priv = load(k.ctx, att, 'dmabuf');
  yield* k.dma_resv_assert_held(resv(priv));
  const ret = yield* k.vfio_pci_dma_buf_pin(att);
  if (ret === 0) k.ctx.send(att, { type: 'PIN' });
  return ret;
}

/** dma_buf_unpin(): resv held. */
export function* dma_buf_unpin(k: K, att: Ref<'att'>) {
  const priv = load(k.ctx, att, 'dmabuf');
  yield* k.dma_resv_assert_held(resv(priv));
  k.ctx.send(att, { type: 'UNPIN' });
}

/** VFIO's .pin: absent in 7.1 (pinned revocable importers allowed). Variants replace it. */
export function* vfio_pci_dma_buf_pin(_k: K, _att: string) {
  return 0;
}

/** dma_buf_map_attachment(): resv held; ops->map_dma_buf. */
export function* dma_buf_map_attachment(k: K, att: Ref<'att'>) {
  const priv = load(k.ctx, att, 'dmabuf');
  yield* k.dma_resv_assert_held(resv(priv));
  const ret = yield* k.vfio_pci_dma_buf_map(priv, att);
  if (ret === 0) k.ctx.send(att, { type: 'MAP' });
  return ret;
}

/** dma_buf_unmap_attachment(): resv held; ops->unmap_dma_buf(attach, sgt, dir). */
export function* dma_buf_unmap_attachment(k: K, att: Ref<'att'>) {
  const priv = load(k.ctx, att, 'dmabuf');
  yield* k.dma_resv_assert_held(resv(priv));
  k.ctx.send(att, { type: 'UNMAP' });
  yield* k.vfio_pci_dma_buf_unmap(priv, load(k.ctx, att, 'sgt'));
}

/**
 * dma_buf_invalidate_mappings() (dma_buf_move_notify before 7.1): resv held;
 * calls every attachment's importer_ops->invalidate_mappings. Upon return
 * importers may still access until their fences signal and until they unmap.
 */
export function* dma_buf_invalidate_mappings(k: K, priv: Ref<'priv'>) {
  yield* k.dma_resv_assert_held(resv(priv));
  for (const att of k.ctx.get(priv, 'attachments')) {
    if (!load(k.ctx, att, 'invalidate_mappings')) continue; // attach->importer_ops: a freed attachment still linked is a UAF
    yield* k.importer_invalidate_mappings(att);
  }
}

/**
 * dma_buf_mmap_internal(): mmap() of a dma-buf fd. -EINVAL when the exporter has no .mmap (VFIO in
 * 7.1: its vfio_pci_dma_buf_mmap() returns it), and "check for overflowing the buffer's size":
 * vm_pgoff + vma_pages(vma) > dmabuf->size >> PAGE_SHIFT → -EINVAL, before ops->mmap (here the
 * size check comes first; for 7.1 both give -EINVAL). The VMA exists before f_op->mmap runs, as
 * mmap_region() makes it.
 */
export function* dma_buf_mmap_internal(k: K, priv: Ref<'priv'>, proc: Ref<'process'>, range?: MmapRange) {
  const { ctx } = k;
  const len = range ? range.pages * PAGE_SIZE : wholeBuffer(ctx, priv);
  const addr = yield* k.get_unmapped_area(proc, len);
  const vma = vm_area_alloc(
    ctx,
    {
      vdev: load(ctx, priv, 'vdev'),
      bar: load(ctx, priv, 'bar'),
      backing: priv,
      proc,
      ...(range ? { pgoff: range.pgoff, pages: range.pages } : {}),
    },
    addr,
    len,
  );
  const overflows = range !== undefined && range.pgoff + range.pages > dmabufSize(ctx, priv) / PAGE_SIZE;
  const ret = overflows ? EINVAL : yield* k.vfio_pci_dma_buf_mmap(priv, vma);
  if (ret !== 0) {
    ctx.send(vma, { type: 'MUNMAP' });
    return { ret, vma: null };
  }
  yield* k.get_file(dmabufFile(priv)); // vma->vm_file
  return { ret: 0, vma };
}

/**
 * The length of a mapping of the whole buffer: priv->size, recorded only by an export that gave
 * its ranges (resources.ts dmabufSize), else the whole BAR. Read as one field, written at creation
 * only, so that what the thread reads here is that number and no more of the buffer.
 */
function wholeBuffer(ctx: Ctx, priv: Ref<'priv'>): number {
  try {
    return load(ctx, priv, 'size') as number;
  } catch {
    return BAR_LEN;
  }
}

/** VFIO's .mmap: absent upstream. Designs with dma-buf mmap (seed 000, Evans) replace it. */
export function* vfio_pci_dma_buf_mmap(_k: K, _priv: string, _vma: string) {
  return -22;
}

/** The fault handler of a dma-buf VMA: unreachable upstream (no .mmap). */
export function* vfio_pci_dma_buf_mmap_fault(_k: K, _vma: string) {
  return 'VM_FAULT_SIGBUS';
}
