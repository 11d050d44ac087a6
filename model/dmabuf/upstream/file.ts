/**
 * The fd table calls of fs/file.c and fs/open.c the dma-buf model's processes make: dup(),
 * close() of any fd. A process's table (`proc.<name>.fds`) lists its fds by what they name
 * (objects.ts fdFileOf): an fd owns one reference to its struct file, so two fds of one file
 * (a dup) hold two, and the file is released at the last fput() of them all.
 */

import type { Ref } from '../../../checker/kind.ts';
import { EBADF } from '../../errno.ts';
import type { K } from '../functions.ts';
import { fdFileOf, fdKind } from '../objects.ts';

/** fd numbers of dup()ed fds: 16 for fd0, 17 for fd1, ... (get_unused_fd_flags() gives the lowest free one; inferred: any free number does here) */
export const dupFdNumber = (fd: string) => 16 + Number(fd.slice(fdKind.length));

/**
 * ksys_dup() (fs/file.c; dup(2)): fget_raw(fildes) takes a reference to the file, then
 * get_unused_fd_flags(0) and fd_install(), which hands that reference to the new fd; an fd
 * that is not open is -EBADF. The new fd is published in one step, as fd_install() does.
 */
export function* ksys_dup(k: K, proc: Ref<'process'>, fd: string) {
  const { ctx } = k;
  const file = fdFileOf(ctx.world, fd);
  if (!(yield* k.fget(proc, fd, file))) return EBADF; // fget_raw(): the fd is not open, or its file is on its way to __fput
  const dup = ctx.create(fdKind, { file }); // get_unused_fd_flags(0)
  const n = dupFdNumber(dup);
  yield* k.fd_install(proc, n, dup);
  return n;
}

/**
 * close_fd() (fs/file.c; close(2)): file_close_fd_locked() takes the fd out of the table under
 * files->file_lock, then filp_close() drops the fd's reference; -EBADF when the fd is not open.
 * Closing one fd of a dup()ed file leaves the other fds and the file as they are.
 */
export function* close_fd(k: K, proc: Ref<'process'>, fd: string) {
  const { ctx } = k;
  const fds = ctx.get(proc, 'fds');
  if (!fds.includes(fd)) return EBADF;
  ctx.set(
    proc,
    'fds',
    fds.filter((f) => f !== fd),
  );
  return yield* k.filp_close(fdFileOf(ctx.world, fd));
}

/**
 * filp_close() (fs/open.c): filp_flush() (f_op->flush: none of dma_buf_fops, vfio_device_fops,
 * vfio_group_fops or vfio_fops has one; dnotify and POSIX locks are not modelled), then fput():
 * the last reference queues __fput(), whose f_op->release runs as task work.
 */
export function* filp_close(k: K, file: Ref<'file'>) {
  yield* k.fput(file);
  return 0;
}
