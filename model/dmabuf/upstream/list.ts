/**
 * include/linux/list.h as the dma-buf list of a device is walked: each step of
 * list_for_each_entry(priv, &vdev->dmabufs, dmabufs_elm) loads the entry's
 * dmabufs_elm.next, so an entry still linked after kfree(priv) is a use after
 * free at the walk, as KASAN reports it, not a silent skip. The callers iterate the list as it is
 * when the walk starts (they hold memory_lock(W)).
 */
import type { Ctx } from '../../../checker/context.ts';
import type { Ref } from '../../../checker/kind.ts';
import { useAfterFree } from '../../../kernel/slab.ts';
import { isFreed } from '../../../kernel/types.ts';

/**
 * The step of list_for_each_entry(priv, &vdev->dmabufs, dmabufs_elm) that reaches `priv`: it loads
 * priv->dmabufs_elm.next. A plain function called at the top of the loop body, not an iterator: model
 * code is compiled into resumable frames, and a generator there is a kernel function, not a for-of source.
 */
export function list_entry_reached(ctx: Ctx, vdev: Ref<'vdev'>, priv: Ref<'priv'>): void {
  if (isFreed(ctx.world, priv)) useAfterFree(ctx, priv, `read of ${priv}->dmabufs_elm walking ${vdev}->dmabufs`);
}
