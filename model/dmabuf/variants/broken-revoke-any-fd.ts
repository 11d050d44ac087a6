/**
 * broken-revoke-any-fd: Evans RFC v2's VFIO_DEVICE_PCI_DMABUF_REVOKE with a dma_buf_get() that
 * trusts any fd: no is_dma_buf_file() check (file->f_op != &dma_buf_fops → -EINVAL), so given the
 * device fd it takes the vfio_device_file behind it for a struct dma_buf: a type confusion.
 * Constructed for the model: dma_buf_get() has checked the f_op since it was merged; the REVOKE
 * ioctl is the first VFIO path that passes it an fd user space chose freely.
 */
import { defineVariant } from '../../design.ts';
import { EBADF } from '../../errno.ts';
import type { K } from '../functions.ts';
import { fdFileOf, procId } from '../objects.ts';
import evans from './evans-2026-rfc-v2.ts';

/** dma_buf_get() without is_dma_buf_file(): any open fd's file is taken for a dma-buf. */
export function* dma_buf_get_any_file(k: K, fd: string) {
  return (yield* k.fget(procId('primary'), fd, fdFileOf(k.ctx.world, fd))) ? 0 : EBADF;
}

export default defineVariant(evans, {
  name: 'broken-revoke-any-fd',
  summary: 'Evans RFC v2 REVOKE through a dma_buf_get() without its f_op check: the device fd is revoked as a dma-buf',
  source: 'constructed: evans-2026-rfc-v2 with dma_buf_get() (drivers/dma-buf/dma-buf.c) lacking is_dma_buf_file()',
  differences: ['dma_buf_get: no `!is_dma_buf_file(file)` → -EINVAL check: any fd is taken for a dma-buf'],
  replace: { dma_buf_get: dma_buf_get_any_file },
  // the REVOKE paths alone: no export or dma-buf mmap, whose defects of the RFC (its double free, the mapping left after
  // a revoke) the Evans row reports already
  bounds: { fds: 1, exports: 0, dmabuf_mmappers: 0, ops: 1 },
  focus: ['revoke_dmabuf'],
});
