/**
 * drivers/vfio/vfio_iommu_type1.c with seed 003 applied ("[PATCH v2 13/40]
 * vfio: Add support for Shared Virtual Addressing", Jean-Philippe Brucker,
 * 11 May 2018), function by function, in the C order of locks, checks and
 * references. Each function names its seed hunk. DMA map/unmap, the external
 * domain, MSI and reserved regions are left out: they do not touch the bonds.
 */

import type { Ctx } from '../../checker/context.ts';
import { createIn, type Ref, refTo } from '../../checker/kind.ts';
import { kzalloc, load, store, useAfterFree } from '../../kernel/slab.ts';
import { isFreed } from '../../kernel/types.ts';
import { kzallocLc } from './alloc.ts';
import type { BindArg } from './arguments.ts';
import { EFAULT, EINVAL, ENOTTY, ESRCH } from './errno.ts';
import type { SvaK } from './functions.ts';
import * as kinds from './kinds.ts';
import { svaLifecycles } from './machines.ts';
import { PTRACE_MODE_ATTACH_REALCREDS } from './mm.ts';
import { domainKind, iommuLock, vfioMmKind } from './objects.ts';

/** include/uapi/linux/vfio.h of the seed */
export const VFIO_IOMMU_BIND = 'VFIO_IOMMU_BIND';
export const VFIO_IOMMU_UNBIND = 'VFIO_IOMMU_UNBIND';
export const VFIO_IOMMU_BIND_PROCESS = 1 << 0;
export const VFIO_IOMMU_BIND_PID = 1 << 0;
export const VFIO_PASID_INVALID = -1;
/** sizeof(struct vfio_iommu_type1_bind) = argsz + flags; sizeof(struct vfio_iommu_type1_bind_process) = flags + pasid + pid */
export const SIZEOF_BIND = 8;
export const SIZEOF_BIND_PROCESS = 12;

/** The user buffer of a thread: where copy_to_user() puts the PASID. */
export const ubuf = (thread: string) => refTo('ubuf', `ubuf.${thread}`);

function copy_to_user_pasid(k: SvaK, arg: BindArg, pasid: number): number {
  if (arg.fault === 'pasid_out') return EFAULT;
  const b = ubuf(k.ctx.thread);
  if (!k.ctx.world.has(b)) createIn(k.ctx.world, kinds.ubuf, {}, b);
  k.ctx.set(b, 'pasid', pasid);
  return 0;
}

/** mutex_lock(&iommu->lock) dereferences iommu: a freed vfio_iommu is a use-after-free. */
/** list_del(&vfio_mm->next): off iommu->mm_list (iommu->lock held). */
function list_del_vfio_mm(ctx: Ctx, iommu: Ref<'vfio_iommu'>, vfioMm: Ref<'vfio_mm'>): void {
  store(
    ctx,
    iommu,
    'mm_list',
    load(ctx, iommu, 'mm_list').filter((m) => m !== vfioMm),
  );
  ctx.send(vfioMm, { type: 'LIST_DEL' });
}

/** kfree(vfio_mm) */
function* kfree_vfio_mm(k: SvaK, vfioMm: Ref<'vfio_mm'>) {
  yield* k.kfree(vfioMm);
  k.ctx.send(vfioMm, { type: 'FREE' });
}

function* lock_iommu(k: SvaK, iommu: Ref<'vfio_iommu'>) {
  if (isFreed(k.ctx.world, iommu)) useAfterFree(k.ctx, iommu, 'mutex_lock(&iommu->lock)');
  yield* k.mutex_lock(iommuLock(iommu));
}

/** iommu_group_for_each_dev(): calls fn on every device, stopping at the first non-zero return. */
function* for_each_dev(
  k: SvaK,
  group: Ref<'vfio_group'>,
  fn: (dev: Ref<'device'>) => Generator<import('../../checker/point.ts').Point, number, import('../../checker/value.ts').Value | undefined>,
) {
  for (const dev of k.ctx.get(group, 'devices')) {
    const ret = yield* fn(dev);
    if (ret) return ret;
  }
  return 0;
}

/** Seed: vfio_iommu_mm_exit(): the SVA core's mm_exit callback; `data` is the vfio_iommu given at bind. */
export function* vfio_iommu_mm_exit(k: SvaK, _dev: Ref<'device'>, pasid: number, iommu: Ref<'vfio_iommu'>) {
  const { ctx } = k;
  yield* lock_iommu(k, iommu);
  for (const vfioMm of load(ctx, iommu, 'mm_list')) {
    if (load(ctx, vfioMm, 'pasid') === pasid) {
      list_del_vfio_mm(ctx, iommu, vfioMm);
      yield* kfree_vfio_mm(k, vfioMm);
      break;
    }
  }
  yield* k.mutex_unlock(iommuLock(iommu));
  return 0;
}

/** Seed: vfio_iommu_sva_init() = iommu_sva_device_init(dev, IOMMU_SVA_FEAT_IOPF, 0, vfio_iommu_mm_exit). */
export function* vfio_iommu_sva_init(k: SvaK, dev: Ref<'device'>) {
  return yield* k.iommu_sva_device_init(dev, true);
}

/** Seed: vfio_iommu_sva_shutdown() = iommu_sva_device_shutdown(dev); return 0. */
export function* vfio_iommu_sva_shutdown(k: SvaK, dev: Ref<'device'>) {
  yield* k.iommu_sva_device_shutdown(dev);
  return 0;
}

/** Seed: vfio_iommu_sva_bind_dev(): "Multi-device groups aren't support for SVA"; the PASID lands in vfio_mm->pasid. */
export function* vfio_iommu_sva_bind_dev(
  k: SvaK,
  dev: Ref<'device'>,
  data: { vfio_mm: Ref<'vfio_mm'>; iommu: Ref<'vfio_iommu'>; count: number },
) {
  if (data.count++) return EINVAL;
  const { ret, pasid } = yield* k.__iommu_sva_bind_device(dev, load(k.ctx, data.vfio_mm, 'mm'), data.iommu);
  if (ret === 0) store(k.ctx, data.vfio_mm, 'pasid', pasid);
  return ret;
}

/** Seed: vfio_iommu_sva_unbind_dev() = __iommu_sva_unbind_device(dev, vfio_mm->pasid). */
export function* vfio_iommu_sva_unbind_dev(k: SvaK, dev: Ref<'device'>, vfioMm: Ref<'vfio_mm'>) {
  return yield* k.__iommu_sva_unbind_device(dev, load(k.ctx, vfioMm, 'pasid'));
}

/** Seed: vfio_iommu_bind_group(): SVA init on first use, bind every device, undo on error. */
export function* vfio_iommu_bind_group(k: SvaK, iommu: Ref<'vfio_iommu'>, group: Ref<'vfio_group'>, vfioMm: Ref<'vfio_mm'>) {
  const { ctx } = k;
  let enabledSva = false;
  const data = { vfio_mm: vfioMm, iommu, count: 0 };
  if (!ctx.get(group, 'sva_enabled')) {
    const ret = yield* for_each_dev(k, group, (dev) => k.vfio_iommu_sva_init(dev));
    if (ret) return ret;
    ctx.set(group, 'sva_enabled', true);
    ctx.send(group, { type: 'SVA_INIT' });
    enabledSva = true;
  }
  const ret = yield* for_each_dev(k, group, (dev) => k.vfio_iommu_sva_bind_dev(dev, data));
  // Jonathan Cameron: "Are we safe to run this even if data.count == 1?"
  if (ret && data.count > 1) yield* for_each_dev(k, group, (dev) => k.vfio_iommu_sva_unbind_dev(dev, vfioMm));
  if (ret && enabledSva) {
    yield* for_each_dev(k, group, (dev) => k.vfio_iommu_sva_shutdown(dev));
    ctx.set(group, 'sva_enabled', false);
    ctx.send(group, { type: 'SVA_SHUTDOWN' });
  }
  if (!ret) ctx.send(vfioMm, { type: 'BIND_GROUP' });
  return ret;
}

/** Seed: vfio_iommu_unbind_group(). */
export function* vfio_iommu_unbind_group(k: SvaK, group: Ref<'vfio_group'>, vfioMm: Ref<'vfio_mm'>) {
  yield* for_each_dev(k, group, (dev) => k.vfio_iommu_sva_unbind_dev(dev, vfioMm));
}

/** Seed: vfio_iommu_unbind(): every group of every domain, bound or not. */
export function* vfio_iommu_unbind(k: SvaK, iommu: Ref<'vfio_iommu'>, vfioMm: Ref<'vfio_mm'>) {
  const { ctx } = k;
  for (const domain of load(ctx, iommu, 'domains'))
    for (const group of load(ctx, domain, 'groups')) yield* k.vfio_iommu_unbind_group(group, vfioMm);
  ctx.send(vfioMm, { type: 'UNBIND' });
}

/**
 * Seed: vfio_iommu_replay_bind(), under iommu->lock: bind every bond's mm to
 * the new group. "Ensure that mm doesn't exit while we're binding it to the
 * new group" (mmget_not_zero, skipping a dying mm whose mm_exit may be waiting
 * for our mutex), then "Use async to avoid triggering an mm_exit callback right
 * away, which would block on the mutex that we're holding."
 */
export function* vfio_iommu_replay_bind(k: SvaK, iommu: Ref<'vfio_iommu'>, group: Ref<'vfio_group'>) {
  const { ctx } = k;
  const list = load(ctx, iommu, 'mm_list');
  for (let i = 0; i < list.length; i++) {
    const vfioMm = list[i] as Ref<'vfio_mm'>;
    if (!(yield* k.mmget_not_zero(load(ctx, vfioMm, 'mm')))) continue;
    const ret = yield* k.vfio_iommu_bind_group(iommu, group, vfioMm);
    yield* k.mmput_async(load(ctx, vfioMm, 'mm'));
    if (ret) {
      // out_unbind: list_for_each_entry_continue_reverse()
      for (let j = i - 1; j >= 0; j--) {
        yield* k.vfio_iommu_unbind_group(group, list[j] as Ref<'vfio_mm'>);
        ctx.send(list[j] as Ref<'vfio_mm'>, { type: 'UNBIND_GROUP' });
      }
      return ret;
    }
  }
  return 0;
}

/** Seed: vfio_iommu_free_all_mm(): "No need for unbind() here. Since all groups are detached from this iommu, bonds have been removed." */
export function* vfio_iommu_free_all_mm(k: SvaK, iommu: Ref<'vfio_iommu'>) {
  const { ctx } = k;
  for (const vfioMm of load(ctx, iommu, 'mm_list')) {
    yield* kfree_vfio_mm(k, vfioMm);
  }
  store(ctx, iommu, 'mm_list', []);
}

/** iommu_attach_group(): the group's devices now translate through `domain`. */
export function* iommu_attach_group(k: SvaK, domain: Ref<'vfio_domain'>, group: Ref<'vfio_group'>) {
  k.ctx.set(group, 'iommu_domain', domain);
  k.ctx.send(group, { type: 'ATTACH' });
  return 0;
}

/** iommu_detach_group(): back to the group's default domain. */
export function* iommu_detach_group(k: SvaK, _domain: Ref<'vfio_domain'>, group: Ref<'vfio_group'>) {
  k.ctx.set(group, 'iommu_domain', null);
  k.ctx.send(group, { type: 'DETACH' });
}

/**
 * Seed: vfio_iommu_try_attach_group(): move the group from its new domain to
 * a compatible existing one and replay the binds there; on failure put it
 * back. All domains of the model are compatible (same iommu_ops and prot).
 */
export function* vfio_iommu_try_attach_group(
  k: SvaK,
  iommu: Ref<'vfio_iommu'>,
  group: Ref<'vfio_group'>,
  curDomain: Ref<'vfio_domain'>,
  newDomain: Ref<'vfio_domain'>,
) {
  yield* k.iommu_detach_group(curDomain, group);
  if (!(yield* k.iommu_attach_group(newDomain, group))) {
    if (!(yield* k.vfio_iommu_replay_bind(iommu, group))) return 0;
    // out_detach
    yield* k.iommu_detach_group(newDomain, group);
  }
  // out_reattach
  if (yield* k.iommu_attach_group(curDomain, group)) return EINVAL;
  return 1;
}

/**
 * vfio_iommu_type1_attach_group() with the seed's hunks: under iommu->lock,
 * a fresh vfio_group (sva_enabled = false) in a fresh domain, then the first
 * compatible domain (try_attach_group), else the fresh domain is kept and
 * the binds replayed on it.
 */
export function* vfio_iommu_type1_attach_group(k: SvaK, iommu: Ref<'vfio_iommu'>, group: Ref<'vfio_group'>) {
  const { ctx } = k;
  yield* lock_iommu(k, iommu);
  for (const d of load(ctx, iommu, 'domains'))
    if (load(ctx, d, 'groups').includes(group)) {
      yield* k.mutex_unlock(iommuLock(iommu));
      return EINVAL;
    }
  // group = kzalloc(sizeof(*group)): a fresh wrapper, sva_enabled = false
  ctx.set(group, 'sva_enabled', false);
  const domain = kzalloc(ctx, domainKind, { groups: [] }) as Ref<'vfio_domain'>;
  let ret = yield* k.iommu_attach_group(domain, group);
  if (!ret) {
    store(ctx, domain, 'groups', [group]);
    for (const d of load(ctx, iommu, 'domains')) {
      ret = yield* k.vfio_iommu_try_attach_group(iommu, group, domain, d);
      if (ret < 0) break;
      if (!ret) {
        store(ctx, d, 'groups', [group, ...load(ctx, d, 'groups')]);
        // iommu_domain_free(domain->domain); kfree(domain)
        yield* k.kfree(domain);
        yield* k.mutex_unlock(iommuLock(iommu));
        return 0;
      }
    }
    if (ret >= 0) {
      // vfio_iommu_replay(iommu, domain): no DMA mappings in the model
      ret = yield* k.vfio_iommu_replay_bind(iommu, group);
      if (!ret) {
        store(ctx, iommu, 'domains', [domain, ...load(ctx, iommu, 'domains')]);
        yield* k.mutex_unlock(iommuLock(iommu));
        return 0;
      }
      // out_detach
      yield* k.iommu_detach_group(domain, group);
    }
  }
  // out_domain: iommu_domain_free(); out_free: kfree(domain); kfree(group)
  yield* k.kfree(domain);
  yield* k.mutex_unlock(iommuLock(iommu));
  return ret;
}

/**
 * vfio_iommu_type1_detach_group() with the seed's hunks: detach, shut SVA down
 * on the group's devices (iommu_sva_device_shutdown waits for pending mm_exit
 * callbacks), and when the last group of the last domain goes, free every bond.
 */
export function* vfio_iommu_type1_detach_group(k: SvaK, iommu: Ref<'vfio_iommu'>, group: Ref<'vfio_group'>) {
  const { ctx } = k;
  yield* lock_iommu(k, iommu);
  for (const domain of load(ctx, iommu, 'domains')) {
    if (!load(ctx, domain, 'groups').includes(group)) continue;
    yield* k.iommu_detach_group(domain, group);
    if (ctx.get(group, 'sva_enabled')) {
      yield* for_each_dev(k, group, (dev) => k.vfio_iommu_sva_shutdown(dev));
      ctx.set(group, 'sva_enabled', false);
      ctx.send(group, { type: 'SVA_SHUTDOWN' });
    }
    store(
      ctx,
      domain,
      'groups',
      load(ctx, domain, 'groups').filter((g) => g !== group),
    );
    if (load(ctx, domain, 'groups').length === 0) {
      // list_is_singular(&iommu->domain_list): the last domain
      if (load(ctx, iommu, 'domains').length === 1) yield* k.vfio_iommu_free_all_mm(iommu);
      store(
        ctx,
        iommu,
        'domains',
        load(ctx, iommu, 'domains').filter((d) => d !== domain),
      );
      yield* k.kfree(domain);
    }
    break;
  }
  yield* k.mutex_unlock(iommuLock(iommu));
}

/**
 * vfio_iommu_type1_release() with the seed's hunk: vfio_iommu_free_all_mm()
 * without iommu->lock, then the usual teardown and kfree(iommu). VFIO calls it
 * when the last group leaves the container (__vfio_group_unset_container).
 */
export function* vfio_iommu_type1_release(k: SvaK, iommu: Ref<'vfio_iommu'>) {
  const { ctx } = k;
  yield* k.vfio_iommu_free_all_mm(iommu);
  // vfio_iommu_unmap_unpin_all(); detach and free what is left (nothing, once every group was detached)
  for (const domain of load(ctx, iommu, 'domains')) {
    for (const group of load(ctx, domain, 'groups')) yield* k.iommu_detach_group(domain, group);
    yield* k.kfree(domain);
  }
  yield* k.kfree(iommu);
}

/** Seed: vfio_iommu_get_mm_by_vpid(): find the task, then mm_access(PTRACE_MODE_ATTACH_REALCREDS). */
export function* vfio_iommu_get_mm_by_vpid(k: SvaK, vpid: number) {
  const task = yield* k.find_get_task_by_vpid(vpid);
  if (!task) return ESRCH;
  // "Ensure that current has RW access on the mm"
  const mm = yield* k.mm_access(task, PTRACE_MODE_ATTACH_REALCREDS);
  // put_task_struct(task)
  if (mm === null) return ESRCH;
  return mm;
}

/** The mm of the bind/unbind payload: a pid's (VFIO_IOMMU_BIND_PID) or current's, with an mm_users reference; or an errno. */
function* mm_of(k: SvaK, arg: BindArg) {
  if (arg.pflags & VFIO_IOMMU_BIND_PID) return yield* k.vfio_iommu_get_mm_by_vpid(arg.pid);
  const mm = k.current === null ? null : yield* k.get_task_mm(k.current);
  return mm ?? EINVAL;
}

/** Seed: vfio_iommu_type1_bind_process(). */
export function* vfio_iommu_type1_bind_process(k: SvaK, iommu: Ref<'vfio_iommu'>, arg: BindArg) {
  const { ctx } = k;
  if (arg.argsz < SIZEOF_BIND + SIZEOF_BIND_PROCESS) return EINVAL;
  if (arg.fault === 'params') return EFAULT;
  if (arg.pflags & ~VFIO_IOMMU_BIND_PID) return EINVAL;
  const mm = yield* mm_of(k, arg);
  if (typeof mm === 'number') return mm;

  let ret = 0;
  yield* lock_iommu(k, iommu);
  // biome-ignore lint/suspicious/noConfusingLabels: the C error ladder, goto out_unlock
  out: {
    // !IS_IOMMU_CAP_DOMAIN_IN_CONTAINER(iommu)
    if (load(ctx, iommu, 'domains').length === 0) {
      ret = EINVAL;
      break out;
    }
    for (const vfioMm of load(ctx, iommu, 'mm_list')) {
      if (load(ctx, vfioMm, 'mm') === mm) {
        // already bound: hand out its PASID (copy_to_user under the mutex)
        ret = copy_to_user_pasid(k, arg, load(ctx, vfioMm, 'pasid'));
        break out;
      }
    }
    const vfioMm = kzallocLc(ctx, vfioMmKind, { mm, pasid: VFIO_PASID_INVALID }, svaLifecycles.vfio_mm);
    // biome-ignore lint/suspicious/noConfusingLabels: the C error ladder, goto out_unbind
    unbind: {
      for (const domain of load(ctx, iommu, 'domains'))
        for (const group of load(ctx, domain, 'groups')) {
          ret = yield* k.vfio_iommu_bind_group(iommu, group, vfioMm);
          if (ret) break unbind;
        }
      store(ctx, iommu, 'mm_list', [vfioMm, ...load(ctx, iommu, 'mm_list')]);
      ctx.send(vfioMm, { type: 'LIST_ADD' });
      ret = copy_to_user_pasid(k, arg, load(ctx, vfioMm, 'pasid'));
      if (!ret) {
        yield* k.mutex_unlock(iommuLock(iommu));
        yield* k.mmput(mm);
        return 0;
      }
      // out_delete
      list_del_vfio_mm(ctx, iommu, vfioMm);
    }
    // out_unbind: "Undo all binds that already succeeded"
    yield* k.vfio_iommu_unbind(iommu, vfioMm);
    yield* kfree_vfio_mm(k, vfioMm);
  }
  // out_unlock
  yield* k.mutex_unlock(iommuLock(iommu));
  yield* k.mmput(mm);
  return ret;
}

/**
 * Seed: vfio_iommu_type1_unbind_process(). "We can't simply call unbind with
 * the PASID, because the process might have died and the PASID might have
 * been reallocated to another process. Instead we need to fetch that process
 * mm by PID again to make sure we remove the right vfio_mm."
 */
export function* vfio_iommu_type1_unbind_process(k: SvaK, iommu: Ref<'vfio_iommu'>, arg: BindArg) {
  const { ctx } = k;
  if (arg.argsz < SIZEOF_BIND + SIZEOF_BIND_PROCESS) return EINVAL;
  if (arg.fault === 'params') return EFAULT;
  if (arg.pflags & ~VFIO_IOMMU_BIND_PID) return EINVAL;
  const mm = yield* mm_of(k, arg);
  if (typeof mm === 'number') return mm;
  let ret = ESRCH;
  yield* lock_iommu(k, iommu);
  for (const vfioMm of load(ctx, iommu, 'mm_list')) {
    if (load(ctx, vfioMm, 'mm') === mm) {
      yield* k.vfio_iommu_unbind(iommu, vfioMm);
      list_del_vfio_mm(ctx, iommu, vfioMm);
      yield* kfree_vfio_mm(k, vfioMm);
      ret = 0;
      break;
    }
  }
  yield* k.mutex_unlock(iommuLock(iommu));
  yield* k.mmput(mm);
  return ret;
}

/** vfio_iommu_type1_ioctl(): the seed's VFIO_IOMMU_BIND / VFIO_IOMMU_UNBIND blocks (Jonathan: "Can we combine these two blocks"). */
export function* vfio_iommu_type1_ioctl(k: SvaK, iommu: Ref<'vfio_iommu'>, cmd: string, arg: BindArg) {
  if (cmd !== VFIO_IOMMU_BIND && cmd !== VFIO_IOMMU_UNBIND) return ENOTTY;
  // minsz = offsetofend(struct vfio_iommu_type1_bind, flags)
  if (arg.fault === 'header') return EFAULT;
  if (arg.argsz < SIZEOF_BIND) return EINVAL;
  switch (arg.flags) {
    case VFIO_IOMMU_BIND_PROCESS:
      return cmd === VFIO_IOMMU_BIND
        ? yield* k.vfio_iommu_type1_bind_process(iommu, arg)
        : yield* k.vfio_iommu_type1_unbind_process(iommu, arg);
    default:
      return EINVAL;
  }
}
