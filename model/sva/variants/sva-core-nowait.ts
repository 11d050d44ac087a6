/**
 * sva-core-nowait: seed 003 over the other SVA core the seed's silence allows.
 * The seed shows no SVA core code; sva-2018-v2 takes patch 05/40 of its series,
 * where unbind and iommu_sva_device_shutdown() wait for a pending mm_exit
 * ("v1->v2: Unbind() waits for mm_exit to finish"). Here they do not: a bond
 * whose mm_exit is running is left for the notifier to detach when mm_exit
 * returns. This is the switch docs/sva.md calls `unbind waits for mm_exit`.
 */
import type { Ref } from '../../../checker/kind.ts';
import { load, store } from '../../../kernel/slab.ts';
import { defineVariant } from '../../design.ts';
import type { SvaK, SvaTable } from '../functions.ts';
import seed from './sva-2018-v2.ts';

/**
 * io_mm_detach_locked() without the wait: an unbinder that finds mm_exit
 * running on the bond returns at once and leaves the bond (and the driver's
 * drvdata in the running callback) to the notifier.
 */
export function* io_mm_detach_locked(k: SvaK, bond: Ref<'iommu_bond'>, wait: boolean) {
  const { ctx } = k;
  if (wait && load(ctx, bond, 'mm_exit_active')) return false;
  if (!wait) {
    const refs = load(ctx, bond, 'refs') - 1;
    store(ctx, bond, 'refs', refs);
    if (refs > 0) return false;
  }
  // the rest is the seed core's detach, with the bond's reference taken over by this caller
  if (wait) store(ctx, bond, 'refs', 1);
  return yield* seed.functions.io_mm_detach_locked(k, bond, false);
}

export default defineVariant<SvaTable>(seed, {
  name: 'sva-core-nowait',
  summary:
    "The seed over an SVA core whose unbind and device shutdown do not wait for a running mm_exit (the seed does not show the core's choice)",
  source:
    'seed 003; SVA core of [PATCH v2 05/40] with its v1 behaviour for unbind (no wait for mm_exit), as a switch on what the seed leaves open',
  differences: [
    'io_mm_detach_locked(bond, wait): an unbinder that finds bond->mm_exit_active returns at once; the notifier detaches the bond after mm_exit returns',
  ],
  replace: { io_mm_detach_locked },
});
