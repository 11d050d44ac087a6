/**
 * sva-mmput-sync: seed 003 with a plain mmput() where vfio_iommu_replay_bind()
 * drops the reference it took with mmget_not_zero(). The seed's own comment
 * says why it must not: "Use async to avoid triggering an mm_exit callback
 * right away, which would block on the mutex that we're holding." If the
 * process exits meanwhile, this put is the last user: __mmput runs the exit
 * notifier under iommu->lock, and vfio_iommu_mm_exit() takes iommu->lock again.
 */
import type { Ref } from '../../../checker/kind.ts';
import { load } from '../../../kernel/slab.ts';
import { defineVariant } from '../../design.ts';
import type { SvaK, SvaTable } from '../functions.ts';
import seed from './sva-2018-v2.ts';

/** vfio_iommu_replay_bind() of the seed, with mmput() in place of mmput_async(). */
export function* vfio_iommu_replay_bind(k: SvaK, iommu: Ref<'vfio_iommu'>, group: Ref<'vfio_group'>) {
  const { ctx } = k;
  const list = load(ctx, iommu, 'mm_list');
  for (let i = 0; i < list.length; i++) {
    const vfioMm = list[i] as Ref<'vfio_mm'>;
    if (!(yield* k.mmget_not_zero(load(ctx, vfioMm, 'mm')))) continue;
    const ret = yield* k.vfio_iommu_bind_group(iommu, group, vfioMm);
    // the mutant: a synchronous put under iommu->lock
    yield* k.mmput(load(ctx, vfioMm, 'mm'));
    if (ret) {
      for (let j = i - 1; j >= 0; j--) {
        yield* k.vfio_iommu_unbind_group(group, list[j] as Ref<'vfio_mm'>);
        ctx.send(list[j] as Ref<'vfio_mm'>, { type: 'UNBIND_GROUP' });
      }
      return ret;
    }
  }
  return 0;
}

export default defineVariant<SvaTable>(seed, {
  name: 'sva-mmput-sync',
  summary: 'vfio_iommu_replay_bind() drops its mm reference with mmput() instead of mmput_async(), under iommu->lock',
  source: 'mutant of seed 003 (the alternative its replay_bind comment rules out); the hazard is B27 in ../shared/reference/sva.md',
  differences: [
    'vfio_iommu_replay_bind(): mmput(vfio_mm->mm) instead of mmput_async(vfio_mm->mm) after vfio_iommu_bind_group(), still under iommu->lock',
  ],
  replace: { vfio_iommu_replay_bind },
});
