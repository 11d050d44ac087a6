/**
 * The VFIO group path's fds (drivers/vfio/group.c, drivers/vfio/container.c; gregkh/linux
 * 05e1afc54608, kernel-upstream.md §6), as much as their close order needs (bound `vfio_group`).
 * The process opened /dev/vfio/vfio (a container, vfio_fops), /dev/vfio/<group> (vfio_group_fops),
 * VFIO_GROUP_SET_CONTAINER, VFIO_SET_IOMMU, then VFIO_GROUP_GET_DEVICE_FD: the setup leaves that
 * done. What holds what: the group's attach holds a container kref (vfio_container_get() in
 * vfio_container_attach_group()), and a device's first open holds a reference to the group's file
 * (get_file(group->opened_file) in vfio_group_use_container()): "Device FDs hold a group file
 * reference, therefore the group release is only called when there are no open devices". So the
 * fds may be closed in any order: the group detaches from its container only at the last put of
 * its file, after the last device close. Not modelled: the IOMMU driver's attach/detach beyond a
 * flag, KVM, the iommufd compat path, noiommu, and the group's own lifetime (vfio_group_put).
 * Inferred: one group holds every device of the dev_set.
 */

import type { Ref } from '../../../checker/kind.ts';
import { EINVAL } from '../../errno.ts';
import type { K } from '../functions.ts';
import { containerGroupLock, devSetId, groupLock, kref } from '../objects.ts';

/** f_op of the group fd (vfio_group_fops): release → vfio_group_fops_release(). */
export const VFIO_GROUP_FOPS = 'vfio_group_fops';
/** f_op of the container fd (vfio_fops): release → vfio_fops_release(). */
export const VFIO_FOPS = 'vfio_fops';

/**
 * device->group of a device opened through the group path (bound vfio_group), else null: the setup
 * made no group. Kept in the dev_set (all its devices share the group), which never changes: a peek.
 */
export function deviceGroup(k: K): Ref<'dmabuf.vfio_group'> | null {
  return k.ctx.world.peek(devSetId(0), 'group') as Ref<'dmabuf.vfio_group'> | null;
}

/**
 * vfio_df_group_open() (group.c, from vfio_device_open_file()): group->group_lock, then
 * !vfio_group_has_iommu() → -EINVAL (a group whose container is gone), then vfio_df_open() under
 * dev_set->lock, whose first open calls vfio_device_group_use_iommu().
 */
export function* vfio_df_group_open(k: K, vdev: Ref<'vdev'>) {
  const group = deviceGroup(k) as Ref<'dmabuf.vfio_group'>;
  yield* k.mutex_lock(groupLock(group));
  if (!k.ctx.get(group, 'container')) {
    yield* k.mutex_unlock(groupLock(group));
    return EINVAL;
  }
  const ret = yield* k.vfio_df_open(vdev);
  yield* k.mutex_unlock(groupLock(group));
  return ret;
}

/**
 * vfio_group_use_container() (container.c, from vfio_device_group_use_iommu() at a device's first
 * open, group_lock held): no IOMMU driver set → -EINVAL; else get_file(group->opened_file) and
 * container_users++.
 */
export function* vfio_group_use_container(k: K, group: Ref<'dmabuf.vfio_group'>) {
  const { ctx } = k;
  const container = ctx.get(group, 'container') as Ref<'dmabuf.vfio_container'>; // vfio_df_group_open() checked vfio_group_has_iommu()
  if (!ctx.get(container, 'iommu_driver')) return EINVAL;
  yield* k.get_file(ctx.get(group, 'opened_file') as Ref<'file'>); // the group file is open: a device of it is being opened
  ctx.set(group, 'container_users', ctx.get(group, 'container_users') + 1);
  return 0;
}

/**
 * vfio_group_unuse_container() (container.c, from vfio_device_group_unuse_iommu() at a device's
 * last close, group_lock and dev_set->lock held): container_users-- and fput(group->opened_file).
 * The fput may be the group file's last: its release runs as task work, after these locks are gone.
 */
export function* vfio_group_unuse_container(k: K, group: Ref<'dmabuf.vfio_group'>) {
  const { ctx } = k;
  // WARN_ON(group->container_users <= 1): the model does not report WARNs
  ctx.set(group, 'container_users', ctx.get(group, 'container_users') - 1);
  yield* k.fput(ctx.get(group, 'opened_file') as Ref<'file'>); // a device of the group is open, so is the group file
}

/**
 * vfio_group_fops_release() (group.c): the group file's last fput. Under group->group_lock:
 * detach from the container if attached; group->opened_file = NULL.
 */
export function* vfio_group_fops_release(k: K, group: Ref<'dmabuf.vfio_group'>) {
  const { ctx } = k;
  yield* k.mutex_lock(groupLock(group));
  // WARN_ON(group->notifier.head): no notifiers here
  if (ctx.get(group, 'container')) yield* k.vfio_group_detach_container(group);
  ctx.set(group, 'opened_file', null);
  yield* k.mutex_unlock(groupLock(group));
}

/**
 * vfio_group_detach_container() (container.c; group_lock held): under container->group_lock for
 * write, the IOMMU driver's detach_group and iommu_group_release_dma_owner() (the devices lose
 * their DMA isolation: no device may be open now), unlink the group, and the IOMMU driver's
 * release when it was the last group; then vfio_container_put().
 */
export function* vfio_group_detach_container(k: K, group: Ref<'dmabuf.vfio_group'>) {
  const { ctx } = k;
  const container = ctx.get(group, 'container') as Ref<'dmabuf.vfio_container'>; // the callers check group->container
  // WARN_ON(group->container_users != 1): the model does not report WARNs
  yield* k.down_write(containerGroupLock(container));
  ctx.set(group, 'container', null);
  ctx.set(group, 'container_users', 0);
  const groups = ctx.get(container, 'groups').filter((g) => g !== group);
  ctx.set(container, 'groups', groups);
  if (groups.length === 0) ctx.set(container, 'iommu_driver', false); // driver->ops->release(); container->iommu_driver = NULL
  yield* k.up_write(containerGroupLock(container));
  yield* k.vfio_container_put(container);
}

/** vfio_fops_release() (container.c): the container file's last fput: vfio_container_put(). */
export function* vfio_fops_release(k: K, container: Ref<'dmabuf.vfio_container'>) {
  yield* k.vfio_container_put(container);
}

/** vfio_container_put(): kref_put(&container->kref, vfio_container_release), which kfree()s the container. */
export function* vfio_container_put(k: K, container: Ref<'dmabuf.vfio_container'>) {
  yield* k.kref_put(kref(container), () => k.kfree(container));
}
