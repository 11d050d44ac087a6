/**
 * sva-unbind-no-mmgrab: sva-no-mm-exit, where bonds now outlive their mm,
 * without the reference on the mm_struct that the bond's context holds from
 * bind to unbind. After the process exits, only the MMU notifier's pin keeps
 * the mm_struct; unbind (UNBIND, group detach, container release) drops that
 * pin in mmu_notifier_unregister, frees the mm, and then the IOMMU driver's
 * context free touches it: the SMMUv3 use-after-free of 2022 (B30), fixed by
 * mmgrab()/mmdrop() around the bond's lifetime.
 */
import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import { ENOSPC } from '../errno.ts';
import type { SvaK, SvaTable } from '../functions.ts';
import * as kinds from '../kinds.ts';
import { PASID_IDR } from '../objects.ts';
import noMmExit from './sva-no-mm-exit.ts';

/** io_mm_alloc() without mmgrab(mm). */
export function* io_mm_alloc(k: SvaK, dev: Ref<'device'>, mm: Ref<'mm'>) {
  const { ctx } = k;
  void dev;
  const ioMm = ctx.make(kinds.ioMm, { mm });
  yield* k.spin_lock_iommu_sva('idr_alloc(&iommu_pasid_idr)');
  const ids = ctx.get(PASID_IDR, 'ids');
  const max = ctx.get(PASID_IDR, 'max_pasid');
  let pasid = -1;
  for (let p = ctx.get(PASID_IDR, 'min_pasid'); p <= max; p++)
    if (ids[String(p)] === undefined) {
      pasid = p;
      break;
    }
  if (pasid < 0) {
    ctx.set(ioMm, 'released', true);
    return { ret: ENOSPC, ioMm: null };
  }
  ctx.set(PASID_IDR, 'ids', { ...ids, [String(pasid)]: ioMm });
  ctx.set(ioMm, 'pasid', pasid);
  yield* k.mmu_notifier_register(ioMm, mm);
  ctx.set(ioMm, 'kref', 1);
  return { ret: 0, ioMm };
}

/** io_mm_free() without the matching mmdrop(mm): the driver's free still reads the mm. */
export function* io_mm_free(k: SvaK, ioMm: Ref<'io_mm'>) {
  yield* k.arm_smmu_mm_free(ioMm);
  k.ctx.set(ioMm, 'released', true);
}

export default defineVariant<SvaTable>(noMmExit, {
  name: 'sva-unbind-no-mmgrab',
  summary:
    'Bonds outlive their mm (no mm_exit) but hold no mm_count reference between bind and unbind: use after free of the mm at unbind (B30)',
  source: 'B30 in ../shared/reference/sva.md (arm-smmu-v3-sva mm use-after-free, 2022, fixed with mmgrab/mmdrop), on sva-no-mm-exit',
  differences: [
    'io_mm_alloc(): no mmgrab(mm); the bond context relies on the MMU notifier pin alone',
    'io_mm_free(): no mmdrop(mm); arm_smmu_mm_free() still reads the mm after mmu_notifier_unregister dropped the last pin',
  ],
  replace: { io_mm_alloc, io_mm_free },
});
