/**
 * Which fd of the primary process an operation's arguments name (dup_fd, close_fd, revoke_dmabuf):
 * the entry of its fd table (objects.ts fdFileOf) or null for one that was never there, which the
 * fd calls answer with -EBADF as for a closed one.
 */
import type { Ctx } from '../../checker/context.ts';
import type { Ref } from '../../checker/kind.ts';
import type { ArgSpec } from '../../checker/signature.ts';
import type { Args } from '../../checker/value.ts';
import { BOUND_LIMITS } from './bounds.ts';
import { containerFile, containerId, deviceFile, fdKind, groupFile, groupId, vdevId } from './objects.ts';

/** The n-th dma-buf ever exported, or null. */
export function nthDmabuf(ctx: Ctx, n: unknown): Ref<'priv'> | null {
  const all = ctx.ids('priv');
  return typeof n === 'number' && n < all.length ? (all[n] as Ref<'priv'>) : null;
}

export const dev = (args: Args) => vdevId(typeof args.dev === 'number' ? args.dev : 0);

/** The fd `args.fd` names ('dmabuf', the default: the fd of `args.dmabuf`, itself 0 by default). */
export function fdOf(ctx: Ctx, args: Args): string | null {
  const fd = args.fd ?? 'dmabuf';
  if (fd === 'device') return deviceFile(dev(args));
  if (fd === 'group') return groupFile(groupId);
  if (fd === 'container') return containerFile(containerId);
  if (typeof fd === 'number') {
    const all = ctx.ids(fdKind);
    return fd < all.length ? (all[fd] as string) : null;
  }
  return nthDmabuf(ctx, args.dmabuf ?? 0);
}

/** dup()ed fds a scenario may have: one per command of its primary threads */
const lastDup = BOUND_LIMITS.primaries * BOUND_LIMITS.ops - 1;

export const fdArg: ArgSpec = {
  help: "an fd of the primary process: 'dmabuf' (the fd of the dmabuf argument), 'device' (of dev), 'group' or 'container' (bound vfio_group), or a dup()ed fd: the n-th dup, or the name its dup_fd gave it",
  accepts: [
    { type: 'name', values: ['dmabuf', 'device', 'group', 'container'] },
    { type: 'integer', min: 0, max: lastDup },
    { type: 'handle', handle: 'fd' },
  ],
  default: 'dmabuf',
};
