/**
 * broken-dup-no-get-file: dup() that installs the new fd without taking a reference to the file
 * (files_lookup_fd_raw() instead of fget_raw()), so two fds share the one reference: the second
 * close puts a reference nobody took (refcount underflow), or the file is already freed by then
 * (use after free). Constructed for the model: ksys_dup() has taken its reference with fget_raw()
 * since dup() exists; what the fd table's per-fd reference counting is there to catch.
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import { EBADF } from '../../errno.ts';
import type { K } from '../functions.ts';
import { fdFileOf, fdKind } from '../objects.ts';
import { dupFdNumber } from '../upstream/file.ts';
import { upstream71 } from '../upstream/index.ts';

/** ksys_dup() with a lookup that takes no reference: the new fd owns nothing. */
export function* ksys_dup_no_get_file(k: K, proc: Ref<'process'>, fd: string) {
  const { ctx } = k;
  // files_lookup_fd_raw(): the fd's file, no reference taken (upstream: fget_raw())
  if (!ctx.get(proc, 'fds').includes(fd)) return EBADF;
  const dup = ctx.create(fdKind, { file: fdFileOf(ctx.world, fd) });
  const n = dupFdNumber(dup);
  yield* k.fd_install(proc, n, dup);
  return n;
}

export default defineVariant(upstream71, {
  name: 'broken-dup-no-get-file',
  summary: 'dup() installs the new fd without a reference of its own: closing both fds puts the file twice',
  source: 'constructed: ksys_dup() (fs/file.c) with files_lookup_fd_raw() in place of fget_raw()',
  differences: ["ksys_dup: the new fd shares the old fd's file reference (no fget_raw())"],
  replace: { ksys_dup: ksys_dup_no_get_file },
  bounds: { fds: 1, sync: 0 },
  focus: ['dup_fd', 'close_fd'],
});
