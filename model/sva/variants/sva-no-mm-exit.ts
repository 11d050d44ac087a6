/**
 * sva-no-mm-exit: seed 003 under the later upstream rule (v5.8, "iommu: Remove
 * iommu_sva_ops::mm_exit()"): VFIO registers no mm_exit callback; when a bound
 * mm exits, the SVA layer keeps the bond and its PASID until unbind and makes
 * the PASID table entry abort DMA (arm-smmu-v3's arm_smmu_mm_release: "DMA may
 * still be running. Keep the cd valid ... but disable translation"). The
 * vfio_mm stays on mm_list until UNBIND, group detach or container release.
 */
import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { SvaK, SvaTable } from '../functions.ts';
import seed from './sva-2018-v2.ts';

/** vfio_iommu_sva_init(): iommu_sva_device_init(dev, IOMMU_SVA_FEAT_IOPF, 0, NULL): no mm_exit handler. */
export function* vfio_iommu_sva_init(k: SvaK, dev: Ref<'device'>) {
  return yield* k.iommu_sva_device_init(dev, false);
}

/**
 * The MMU notifier's release under the later rule: no driver callback, no
 * detach. Every bond of the io_mm stays (so does its PASID); its PASID table
 * entry switches to abort, so the device's DMA for the dead mm faults and is
 * never translated, and the PASID cannot be handed to another process.
 */
export function* iommu_notifier_release(k: SvaK, ioMm: Ref<'io_mm'>, _mm: Ref<'mm'>) {
  const { ctx } = k;
  yield* k.spin_lock_iommu_sva(`iommu_notifier_release(${ioMm}): quiet every PASID entry`);
  const pasid = String(ctx.get(ioMm, 'pasid'));
  for (const bond of ctx.get(ioMm, 'devices')) {
    const dev = ctx.get(bond, 'dev');
    const table = ctx.get(dev, 'pasid_table');
    const e = table[pasid];
    if (e) ctx.set(dev, 'pasid_table', { ...table, [pasid]: { ...e, abort: true } });
    ctx.send(bond, { type: 'ABORT' });
  }
}

export default defineVariant<SvaTable>(seed, {
  name: 'sva-no-mm-exit',
  summary: 'No mm_exit callback: the bond and its PASID live until unbind, DMA to an exited mm is aborted by the IOMMU',
  source:
    'the upstream rule since v5.8 (commit "iommu: Remove iommu_sva_ops::mm_exit()"; arm-smmu-v3 arm_smmu_mm_release), applied to seed 003',
  differences: [
    'vfio_iommu_sva_init(): iommu_sva_device_init() with a NULL mm_exit, so vfio_iommu_mm_exit() is never called',
    'iommu_notifier_release(): at mm exit, every bond of the io_mm stays and its PASID table entry aborts DMA; nothing is detached, the PASID stays allocated',
  ],
  replace: { vfio_iommu_sva_init, iommu_notifier_release },
  notApplicable: {},
});
