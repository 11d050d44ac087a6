/**
 * include/linux/list.h as the dma-buf list of a device is walked: each step of
 * list_for_each_entry(priv, &vdev->dmabufs, dmabufs_elm) loads the entry's
 * dmabufs_elm.next, so an entry still linked after kfree(priv) is a use after
 * free at the walk, as KASAN reports it, not a silent skip.
 */
import type { Ctx } from '../../../checker/context.ts';
import { useAfterFree } from '../../../kernel/slab.ts';
import { isFreed } from '../../../kernel/types.ts';

/** The entries of vdev->dmabufs, each checked as it is reached (a snapshot: the callers hold memory_lock(W)). */
export function* list_for_each_entry_dmabuf(ctx: Ctx, vdev: string): Generator<string, void, undefined> {
  for (const priv of ctx.get<string[]>(vdev, 'dmabufs')) {
    if (isFreed(ctx.world, priv)) useAfterFree(ctx, priv, `read of ${priv}->dmabufs_elm walking ${vdev}->dmabufs`);
    yield priv;
  }
}
