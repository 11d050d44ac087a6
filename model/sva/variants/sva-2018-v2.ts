/**
 * sva-2018-v2: seed 003 as posted. "[PATCH v2 13/40] vfio: Add support for
 * Shared Virtual Addressing" (Jean-Philippe Brucker, 11 May 2018; reply by
 * Jonathan Cameron) on v4.17 VFIO, over the SVA core of the same v2 series
 * (patch 05/40: mm_exit may sleep, unbind waits for a pending mm_exit).
 * Never merged. docs/sva.md walks through it function by function.
 */
import { rootDesign } from '../../design.ts';
import type { SvaTable } from '../functions.ts';
import { sva2018Functions } from '../table.ts';

export default rootDesign<SvaTable>({
  name: 'sva-2018-v2',
  summary:
    'VFIO_IOMMU_BIND_PROCESS as posted: bonds (vfio_mm) on iommu->mm_list, mm_exit frees them under iommu->lock, replay_bind drops its mm reference with mmput_async',
  source:
    'seed 003 (lore: [PATCH v2 13/40] vfio: Add support for Shared Virtual Addressing, 2018-05-11) on v4.17; SVA core from [PATCH v2 05/40] iommu/sva: Track mm changes with an MMU notifier',
  differences: [],
  functions: sva2018Functions,
  domain: 'sva',
});
