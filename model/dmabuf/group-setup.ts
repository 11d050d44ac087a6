/**
 * The group path's objects before any thread runs (bound vfio_group; upstream/vfio_group.ts): what
 * open("/dev/vfio/vfio"), open("/dev/vfio/<group>"), VFIO_GROUP_SET_CONTAINER, VFIO_SET_IOMMU and
 * VFIO_GROUP_GET_DEVICE_FD of the open devices leave behind.
 */
import type { World } from '../../checker/world.ts';
import { alloc_file } from '../../kernel/file.ts';
import { kref as krefKind } from '../../kernel/kinds.ts';
import { mutex_init } from '../../kernel/mutex.ts';
import { init_rwsem } from '../../kernel/rwsem.ts';
import { kzalloc, kzallocKind } from '../../kernel/slab.ts';
import type { Fops } from '../fops.ts';
import { containerFile, containerGroupLock, containerId, groupFile, groupId, groupLock, kref } from './objects.ts';
import { VFIO_FOPS, VFIO_GROUP_FOPS } from './upstream/vfio_group.ts';

/**
 * The container and the group with their files, the fds first in the process's table (they were
 * opened first). `openDevices` devices took their group file reference and container use.
 */
export function setupGroup(w: World, fops: Fops, openDevices: number): string[] {
  // vfio_fops_open(): kref_init; the group's vfio_container_attach_group() took a second reference
  kzalloc(w, 'vfio_container', { iommu_driver: true, groups: [groupId] }, containerId);
  kzallocKind(w, krefKind, { refcount: 2 }, kref(containerId));
  init_rwsem(w, '&container->group_lock', { id: containerGroupLock(containerId), name: `&${containerId}->group_lock` });
  alloc_file(w, fops.get(VFIO_FOPS), { id: containerFile(containerId), private_data: containerId });
  // vfio_group_fops_open(): group->opened_file; container_users 1 from the attach, +1 per open device
  w.create(
    'vfio_group',
    { container: containerId, container_users: 1 + (openDevices > 0 ? 1 : 0), opened_file: groupFile(groupId) },
    null,
    groupId,
  );
  mutex_init(w, '&group->group_lock', { id: groupLock(groupId), name: `&${groupId}->group_lock` });
  alloc_file(w, fops.get(VFIO_GROUP_FOPS), {
    id: groupFile(groupId),
    private_data: groupId,
    count: 1 + (openDevices > 0 ? 1 : 0),
  });
  return [containerFile(containerId), groupFile(groupId)];
}
