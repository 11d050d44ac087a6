/**
 * sva-bind-no-ptrace-check: the seed with vfio_iommu_get_mm_by_vpid() taking
 * the target's mm with get_task_mm() instead of mm_access(), i.e. without the
 * PTRACE_MODE_ATTACH_REALCREDS check the seed added ("Ensure that current has
 * RW access on the mm"). Any container owner can then bind the address space
 * of any process it can name by pid, and program DMA into it. No posted
 * version did this; it is the regression the check is there to prevent, and
 * the evidence that foreign-bind-permission can fail.
 */
import { defineVariant } from '../../design.ts';
import { ESRCH } from '../errno.ts';
import type { SvaK, SvaTable } from '../functions.ts';
import seed from './sva-2018-v2.ts';

/** vfio_iommu_get_mm_by_vpid() with get_task_mm(): an mm_users reference, and no permission check. */
export function* vfio_iommu_get_mm_by_vpid(k: SvaK, vpid: number) {
  const task = yield* k.find_get_task_by_vpid(vpid);
  if (!task) return ESRCH;
  const mm = yield* k.get_task_mm(task);
  // put_task_struct(task)
  if (mm === null) return ESRCH;
  return mm;
}

export default defineVariant<SvaTable>(seed, {
  name: 'sva-bind-no-ptrace-check',
  summary: 'VFIO_IOMMU_BIND of a foreign pid takes its mm with get_task_mm() instead of mm_access(): no ptrace permission check',
  source:
    'mutant of seed 003 (vfio_iommu_get_mm_by_vpid() without its mm_access(PTRACE_MODE_ATTACH_REALCREDS)); ../shared/reference/sva.md, Permission',
  differences: ['vfio_iommu_get_mm_by_vpid(): get_task_mm(task) instead of mm_access(task, PTRACE_MODE_ATTACH_REALCREDS)'],
  replace: { vfio_iommu_get_mm_by_vpid },
});
