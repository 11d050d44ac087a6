/**
 * before-hot-reset-open-count: the hot-reset undo loop before the open_count
 * guard added in the v9 review (Nov 2025): __vfio_pci_memory_enabled() reads
 * vconfig, which is NULL for dev_set members nobody opened.
 */
import { defineVariant } from '../../design.ts';
import { upstream71 } from '../upstream/index.ts';
import { hot_reset_unguarded } from './seed-era.ts';

export default defineVariant(upstream71, {
  name: 'before-hot-reset-open-count',
  summary: 'Hot reset un-revokes every dev_set member, reading the NULL vconfig of one that is not open',
  source: 'Leon Romanovsky v8 (Nov 2025); fixed in v9 review by the open_count && guard',
  differences: ['vfio_pci_dev_set_hot_reset undo loop: if (__vfio_pci_memory_enabled(vdev)) without vdev->vdev.open_count'],
  replace: { hot_reset_may_unrevoke: hot_reset_unguarded },
  bounds: { devices: 2 },
  focus: ['hot_reset'],
});
