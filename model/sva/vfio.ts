/**
 * The VFIO core around type1 (drivers/vfio/vfio.c, v4.17, the base of seed
 * 003): the container ioctl path, VFIO_GROUP_SET/UNSET_CONTAINER, and the
 * file releases. `container->group_lock` (an rwsem) is what keeps container
 * ioctls away from attach, detach and the driver's release; nothing keeps
 * the SVA core's mm_exit callbacks away from them.
 */
import { type Ref, refTo } from '../../checker/kind.ts';
import { load, store } from '../../kernel/slab.ts';
import type { Gen } from '../bind.ts';
import type { BindArg } from './arguments.ts';
import { EINVAL } from './errno.ts';
import type { SvaK } from './functions.ts';

export const groupLock = (container: string) => refTo('rwsem', `${container}.group_lock`);

/** vfio_fops_unl_ioctl(): the driver's ioctl under group_lock (read); -EINVAL once the container has no driver. */
export function* vfio_fops_unl_ioctl(k: SvaK, container: Ref<'vfio_container'>, cmd: string, arg: BindArg) {
  const { ctx } = k;
  yield* k.down_read(groupLock(container));
  const iommu = ctx.get(container, 'iommu_data');
  const ret = iommu ? yield* k.vfio_iommu_type1_ioctl(iommu, cmd, arg) : EINVAL;
  yield* k.up_read(groupLock(container));
  return ret;
}

/** vfio_container_get(): kref_get(&container->kref). */
export function* vfio_container_get(k: SvaK, container: Ref<'vfio_container'>) {
  yield* k.refcount_inc(container, 'refcount');
}

/** vfio_container_put(): the last reference frees the container (vfio_container_release). */
export function* vfio_container_put(k: SvaK, container: Ref<'vfio_container'>) {
  if (yield* k.refcount_dec_and_test(container, 'refcount')) yield* k.kfree(container);
}

/** vfio_group_set_container() (VFIO_GROUP_SET_CONTAINER): the driver's attach_group under group_lock (write). */
export function* vfio_group_set_container(k: SvaK, group: Ref<'vfio_group'>, container: Ref<'vfio_container'>) {
  const { ctx } = k;
  // atomic_read(&group->container_users)
  if (ctx.get(group, 'container_users')) return EINVAL;
  yield* k.down_write(groupLock(container));
  const iommu = load(ctx, container, 'iommu_data');
  if (iommu) {
    const ret = yield* k.vfio_iommu_type1_attach_group(iommu, group);
    if (ret) {
      yield* k.up_write(groupLock(container));
      return ret;
    }
  }
  ctx.set(group, 'container', container);
  store(ctx, container, 'groups', [group, ...load(ctx, container, 'groups')]);
  // "Get a reference on the container and mark a user within the group"
  yield* k.vfio_container_get(container);
  ctx.set(group, 'container_users', ctx.get(group, 'container_users') + 1);
  yield* k.up_write(groupLock(container));
  return 0;
}

/**
 * __vfio_group_unset_container(): the driver's detach_group, and "Detaching
 * the last group deprivileges a container, remove iommu": the driver's release
 * (vfio_iommu_type1_release, kfree(iommu)) runs right here, under group_lock.
 */
export function* __vfio_group_unset_container(k: SvaK, group: Ref<'vfio_group'>) {
  const { ctx } = k;
  // set: the caller is the group's last container user
  const container = ctx.get(group, 'container') as Ref<'vfio_container'>;
  yield* k.down_write(groupLock(container));
  const iommu = load(ctx, container, 'iommu_data');
  if (iommu) yield* k.vfio_iommu_type1_detach_group(iommu, group);
  ctx.set(group, 'container', null);
  store(
    ctx,
    container,
    'groups',
    load(ctx, container, 'groups').filter((g) => g !== group),
  );
  if (iommu && load(ctx, container, 'groups').length === 0) {
    yield* k.vfio_iommu_type1_release(iommu);
    store(ctx, container, 'iommu_data', null);
  }
  yield* k.up_write(groupLock(container));
  yield* k.vfio_container_put(container);
}

/**
 * vfio_group_unset_container() (VFIO_GROUP_UNSET_CONTAINER):
 * atomic_cmpxchg(&group->container_users, 1, 0) makes exactly one caller the
 * unsetter; -EINVAL if the group is in no container (device fds, the other
 * users, are not modelled, so -EBUSY cannot happen).
 */
export function* vfio_group_unset_container(k: SvaK, group: Ref<'vfio_group'>): Gen<number> {
  const users = (yield {
    action: `atomic_cmpxchg(&${group}->container_users, 1, 0)`,
    locs: [group],
    fire: (w) => {
      const n = w.get(group, 'container_users') as number;
      if (n === 1) w.set(group, 'container_users', 0);
      return n;
    },
  }) as number;
  if (!users) return EINVAL;
  yield* k.__vfio_group_unset_container(group);
  return 0;
}

/** vfio_group_fops_release() (last close of a group fd): vfio_group_try_dissolve_container(). */
export function* vfio_group_fops_release(k: SvaK, group: Ref<'vfio_group'>): Gen<number> {
  const left = (yield {
    action: `atomic_dec_if_positive(&${group}->container_users)`,
    locs: [group],
    fire: (w) => {
      const n = w.get(group, 'container_users') as number;
      if (n > 0) w.set(group, 'container_users', n - 1);
      return n - 1;
    },
  }) as number;
  if (left === 0) yield* k.__vfio_group_unset_container(group);
  return 0;
}

/** vfio_fops_release() (last close of the container fd): drop the fd's container reference. */
export function* vfio_fops_release(k: SvaK, container: Ref<'vfio_container'>) {
  yield* k.vfio_container_put(container);
  return 0;
}
