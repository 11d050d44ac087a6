/**
 * The SVA core the seed calls into: drivers/iommu/iommu-sva.c of the same v2
 * series (Jean-Philippe Brucker, 11 May 2018, patch 05/40 "iommu/sva: Track mm
 * changes with an MMU notifier", with 03/40 bind/unbind; the iopf flushes
 * of unbind and iommu_sva_find() are the fault path's, io_pgfault.ts). The seed shows none of it; docs/sva.md
 * says what is taken from there and why. The facts VFIO depends on:
 *
 * - one io_mm (and one PASID, the lowest free one: idr_alloc) per mm, holding
 *   an mm_count reference (io_mm_alloc: mmgrab) and an MMU notifier;
 * - one iommu_bond per (device, io_mm), whose PASID table entry is installed
 *   while the bond exists;
 * - at mm exit, iommu_notifier_release() calls the driver's mm_exit(dev, pasid,
 *   drvdata) for each bond with no lock held ("We can't hold the device's
 *   param_lock"), then detaches the bond;
 * - unbind (and __iommu_sva_unbind_dev_all, hence iommu_sva_device_shutdown)
 *   waits for a pending mm_exit of the bond to finish ("v1->v2: Unbind() waits
 *   for mm_exit to finish").
 *
 * `iommu_sva_lock` is a spinlock held over short list and IDR sections that
 * never sleep; each section is one atomic step here (a `spin_lock` point), and
 * the wait of io_mm_detach_locked() is the one place a section sleeps, as
 * wait_event_lock_irq() drops the lock.
 */

import type { Ref } from '../../checker/kind.ts';
import { load, store } from '../../kernel/slab.ts';
import { isFreed } from '../../kernel/types.ts';
import type { Gen } from '../bind.ts';
import { kzallocLc } from './alloc.ts';
import { EEXIST, EINVAL, ENODEV, ENOSPC, ESRCH } from './errno.ts';
import type { SvaK } from './functions.ts';
import type { PasidEntry } from './kinds.ts';
import * as kinds from './kinds.ts';
import { svaLifecycles } from './machines.ts';
import { MM_USERS } from './mm.ts';
import { bondKind, JOBS, PASID_IDR } from './objects.ts';

/** The pseudo-object every iommu_sva_lock section touches (so the search sees them conflict). */
export const IOMMU_SVA_LOCK = 'iommu_sva_lock';

export type { PasidEntry } from './kinds.ts';

/** spin_lock(&iommu_sva_lock): the start of an atomic section. */
export function* spin_lock_iommu_sva(_k: SvaK, why: string) {
  yield { action: `spin_lock(&iommu_sva_lock): ${why}`, locs: [IOMMU_SVA_LOCK] };
}

function idr(k: SvaK) {
  return k.ctx.get(PASID_IDR, 'ids');
}

/** kref_get_unless_zero(&io_mm->kref), under iommu_sva_lock (io_mm krefs only change under it). */
function io_mm_get_locked(k: SvaK, ioMm: Ref<'io_mm'>): boolean {
  const n = k.ctx.get(ioMm, 'kref');
  if (n === 0) return false;
  k.ctx.set(ioMm, 'kref', n + 1);
  return true;
}

/** kref_put(&io_mm->kref, io_mm_release) under iommu_sva_lock: true if the caller must release it. */
function io_mm_put_locked(k: SvaK, ioMm: Ref<'io_mm'>): boolean {
  const n = k.ctx.get(ioMm, 'kref');
  if (n === 0)
    k.ctx.fail('refcount-underflow', `refcount_t: underflow; use-after-free. kref_put(${ioMm}.kref) in ${k.ctx.stack.join(' > ')}`);
  k.ctx.set(ioMm, 'kref', n - 1);
  if (n !== 1) return false;
  // io_mm_release(), first half: WARN_ON(!list_empty(&io_mm->devices)); idr_remove()
  const ids = { ...idr(k) };
  delete ids[String(k.ctx.get(ioMm, 'pasid'))];
  k.ctx.set(PASID_IDR, 'ids', ids);
  return true;
}

/**
 * io_mm_release(), the part that may not run under the spinlock in the model
 * (it touches the mm): mmu_notifier_unregister_no_release(), then io_mm_free()
 * after the SRCU grace period (run at once; the io_mm's memory itself is left
 * to RCU and never reused, so no one reads a freed io_mm here).
 */
export function* io_mm_release(k: SvaK, ioMm: Ref<'io_mm'>) {
  const mm = k.ctx.get(ioMm, 'mm');
  yield* k.mmu_notifier_unregister_no_release(ioMm, mm);
  yield* k.io_mm_free(ioMm);
}

/** io_mm_free(): io_mm->release (the IOMMU driver's mm_free), then the mmgrab of io_mm_alloc() goes. */
export function* io_mm_free(k: SvaK, ioMm: Ref<'io_mm'>) {
  const mm = k.ctx.get(ioMm, 'mm');
  yield* k.arm_smmu_mm_free(ioMm);
  yield* k.mmdrop(mm);
  k.ctx.set(ioMm, 'released', true);
}

/**
 * domain->ops->mm_free (arm-smmu-v3 of the series): frees the context
 * descriptor and unpins the mm's CPU ASID (arm64_mm_context_put(mm)), so it
 * reads the mm. "The mm must not be freed until after the driver frees the
 * io_mm" (io_mm_alloc's comment): this is the access B30 made after free.
 */
export function* arm_smmu_mm_free(k: SvaK, ioMm: Ref<'io_mm'>) {
  const mm = k.ctx.get(ioMm, 'mm');
  yield { action: `arm_smmu_mm_free(${ioMm}): arm64_mm_context_put(${mm})`, locs: [mm] };
  store(k.ctx, mm, 'asid_pinned', false);
}

/**
 * io_mm_alloc(): a new io_mm for `mm`: mmgrab(mm) ("The mm must not be freed
 * until after the driver frees the io_mm"), the lowest free PASID from the IDR
 * (-ENOSPC past max_pasid), the MMU notifier, then kref_init.
 */
export function* io_mm_alloc(k: SvaK, dev: Ref<'device'>, mm: Ref<'mm'>) {
  const { ctx } = k;
  const ioMm = ctx.make(kinds.ioMm, { mm });
  yield* k.mmgrab(mm);
  yield* k.spin_lock_iommu_sva('idr_alloc(&iommu_pasid_idr)');
  const ids = idr(k);
  const max = ctx.get(PASID_IDR, 'max_pasid');
  let pasid = -1;
  for (let p = ctx.get(PASID_IDR, 'min_pasid'); p <= max; p++)
    if (ids[String(p)] === undefined) {
      pasid = p;
      break;
    }
  if (pasid < 0) {
    // err_free_mm: domain->ops->mm_free(io_mm); mmdrop(mm)
    void dev;
    ctx.set(ioMm, 'released', true);
    yield* k.mmdrop(mm);
    return { ret: ENOSPC, ioMm: null };
  }
  ctx.set(PASID_IDR, 'ids', { ...ids, [String(pasid)]: ioMm });
  ctx.set(ioMm, 'pasid', pasid);
  yield* k.mmu_notifier_register(ioMm, mm);
  // smp_wmb(); kref_init(&io_mm->kref): from now on others may io_mm_get_locked() it
  ctx.set(ioMm, 'kref', 1);
  return { ret: 0, ioMm };
}

/** io_mm_attach(): a bond, and domain->ops->mm_attach writes the device's PASID table entry. */
export function* io_mm_attach(k: SvaK, dev: Ref<'device'>, ioMm: Ref<'io_mm'>, drvdata: Ref<'vfio_iommu'>) {
  const { ctx } = k;
  const bond = kzallocLc(ctx, bondKind, { io_mm: ioMm, dev, drvdata, refs: 1, mm_exit_active: false }, svaLifecycles.pasid_binding);
  yield* k.spin_lock_iommu_sva(`io_mm_attach(${dev}, ${ioMm})`);
  const pasid = ctx.get(ioMm, 'pasid');
  const table = ctx.get(dev, 'pasid_table');
  ctx.set(dev, 'pasid_table', { ...table, [String(pasid)]: { mm: ctx.get(ioMm, 'mm'), abort: false } });
  ctx.set(ioMm, 'devices', [bond, ...ctx.get(ioMm, 'devices')]);
  ctx.set(dev, 'mm_list', [bond, ...ctx.get(dev, 'mm_list')]);
  return 0;
}

/**
 * io_mm_detach_locked(), called in an iommu_sva_lock section. With `wait`
 * (unbind): take a reference on the bond and sleep until no mm_exit runs for
 * it; free it unless another unbinder already waits. Without (the notifier):
 * drop the notifier's reference; the last one frees. Freeing clears the
 * PASID table entry (domain->ops->mm_detach) and drops the bond's io_mm
 * reference. Returns whether it freed the bond.
 */
export function* io_mm_detach_locked(k: SvaK, bond: Ref<'iommu_bond'>, wait: boolean) {
  const { ctx } = k;
  if (wait) {
    const doDetach = load(ctx, bond, 'refs') <= 1;
    store(ctx, bond, 'refs', load(ctx, bond, 'refs') + 1);
    // wait_event_lock_irq(bond->mm_exit_wq, !bond->mm_exit_active, iommu_sva_lock): sleeps with the lock dropped
    if (load(ctx, bond, 'mm_exit_active'))
      yield* k.wait_event(`!${bond}->mm_exit_active`, [bond], (w) => isFreed(w, bond) || w.peek(bond, 'mm_exit_active') === false);
    if (!doDetach) return false;
  } else {
    const refs = load(ctx, bond, 'refs') - 1;
    store(ctx, bond, 'refs', refs);
    // unbind() is waiting to free the bond
    if (refs > 0) return false;
  }
  const ioMm = load(ctx, bond, 'io_mm');
  const dev = load(ctx, bond, 'dev');
  // domain->ops->mm_detach(): the PASID table entry goes
  const pasid = String(ctx.get(ioMm, 'pasid'));
  const table = { ...ctx.get(dev, 'pasid_table') };
  delete table[pasid];
  ctx.set(dev, 'pasid_table', table);
  ctx.set(
    ioMm,
    'devices',
    ctx.get(ioMm, 'devices').filter((b) => b !== bond),
  );
  ctx.set(
    dev,
    'mm_list',
    ctx.get(dev, 'mm_list').filter((b) => b !== bond),
  );
  ctx.send(bond, { type: 'DETACH' });
  const release = io_mm_put_locked(k, ioMm);
  yield* k.kfree(bond);
  if (release) yield* k.io_mm_release(ioMm);
  return true;
}

/**
 * iommu_signal_mm_exit(): the driver's mm_exit(dev, pasid, drvdata), with no
 * lock held. "Fortunately unbind() waits for us to finish, and
 * sva_device_shutdown requires that any bond is removed, so we can safely
 * access mm_exit and drvdata without taking any lock."
 */
export function* iommu_signal_mm_exit(k: SvaK, bond: Ref<'iommu_bond'>) {
  const dev = load(k.ctx, bond, 'dev');
  const param = k.ctx.get(dev, 'sva_param');
  if (!param?.mm_exit) return 0;
  const ioMm = load(k.ctx, bond, 'io_mm');
  return yield* k.vfio_iommu_mm_exit(dev, k.ctx.get(ioMm, 'pasid'), load(k.ctx, bond, 'drvdata'));
}

/**
 * iommu_notifier_release() (mmu_notifier_ops.release, from exit_mmap): for
 * every bond of the io_mm, mark it mm_exit_active, drop the lock, call
 * mm_exit, retake the lock, clear the mark, wake unbinders, detach. The list
 * is re-read after each callback (list_next_entry under the retaken lock).
 */
export function* iommu_notifier_release(k: SvaK, ioMm: Ref<'io_mm'>, _mm: Ref<'mm'>) {
  const { ctx } = k;
  yield* k.spin_lock_iommu_sva(`iommu_notifier_release(${ioMm})`);
  // "Someone's already taking care of it."
  if (!io_mm_get_locked(k, ioMm)) return;
  const seen: string[] = [];
  for (;;) {
    const bond = ctx.get(ioMm, 'devices').find((b) => !seen.includes(b));
    if (bond === undefined) break;
    seen.push(bond);
    // "Tell unbind() not to free the bond until we're done."
    store(ctx, bond, 'mm_exit_active', true);
    ctx.send(bond, { type: 'EXIT_BEGIN' });
    // spin_unlock(): the handler may sleep
    const ret = yield* k.iommu_signal_mm_exit(bond);
    if (ret) ctx.note(`dev_WARN: possible leak of PASID ${ctx.get(ioMm, 'pasid')}`);
    yield* k.spin_lock_iommu_sva(`iommu_notifier_release(${ioMm}): mm_exit returned`);
    // "If someone is waiting, let them delete the bond now"; wake_up_all(&bond->mm_exit_wq)
    store(ctx, bond, 'mm_exit_active', false);
    ctx.send(bond, { type: 'EXIT_END' });
    // "Otherwise, do it ourselves"
    yield* k.io_mm_detach_locked(bond, false);
  }
  // io_mm_put(): "Release the last reference to free the io_mm."
  yield* k.spin_lock_iommu_sva(`io_mm_put(${ioMm})`);
  if (io_mm_put_locked(k, ioMm)) yield* k.io_mm_release(ioMm);
}

/**
 * iommu_sva_find(pasid): under iommu_sva_lock, the io_mm of the PASID
 * (idr_find), pinned with io_mm_get_locked(), and an mm_users reference on its
 * mm if it still has users (mmget_not_zero); the io_mm reference goes again.
 */
export function* iommu_sva_find(k: SvaK, pasid: number) {
  const { ctx } = k;
  yield* k.spin_lock_iommu_sva(`iommu_sva_find(${pasid})`);
  const ioMm = idr(k)[String(pasid)];
  if (ioMm === undefined || !io_mm_get_locked(k, ioMm)) return null;
  const mm = ctx.get(ioMm, 'mm');
  // mmget_not_zero() inside the spinlock section: one atomic step with it
  const users = load(ctx, mm, MM_USERS);
  if (users > 0) {
    store(ctx, mm, MM_USERS, users + 1);
    ctx.emit({ type: 'refcount', obj: mm, field: MM_USERS, op: 'inc', from: users, to: users + 1, fn: 'mmget_not_zero' });
  }
  if (io_mm_put_locked(k, ioMm)) yield* k.io_mm_release(ioMm);
  return users > 0 ? mm : null;
}

/** iommu_get_domain_for_dev(): the group's domain, or its default DMA domain once detached (never NULL here). */
function domainOf(k: SvaK, dev: Ref<'device'>): string {
  const group = k.ctx.get(dev, 'group');
  return k.ctx.get(group, 'iommu_domain') ?? `${group}.default_domain`;
}

/**
 * iommu_sva_device_init(dev, IOMMU_SVA_FEAT_IOPF, 0, mm_exit): installs the
 * device's sva_param (under dev->iommu_param->lock: one step here); -EEXIST if
 * SVA is already initialised on the device.
 */
export function* iommu_sva_device_init(k: SvaK, dev: Ref<'device'>, mmExit: boolean) {
  void domainOf(k, dev);
  yield { action: `iommu_sva_device_init(${dev}): mutex_lock(&dev->iommu_param->lock)`, locs: [dev] };
  if (k.ctx.get(dev, 'sva_param') !== null) return EEXIST;
  k.ctx.set(dev, 'sva_param', { mm_exit: mmExit });
  return 0;
}

/** iommu_sva_device_shutdown(): unbind every bond (waiting for pending mm_exits), then drop sva_param. */
export function* iommu_sva_device_shutdown(k: SvaK, dev: Ref<'device'>) {
  void domainOf(k, dev);
  yield* k.__iommu_sva_unbind_dev_all(dev);
  yield { action: `iommu_sva_device_shutdown(${dev}): mutex_lock(&dev->iommu_param->lock)`, locs: [dev] };
  const param = k.ctx.get(dev, 'sva_param');
  k.ctx.set(dev, 'sva_param', null);
  return param === null ? ENODEV : 0;
}

/**
 * __iommu_sva_bind_device(dev, mm, &pasid, IOMMU_SVA_FEAT_IOPF, drvdata):
 * reuse the mm's io_mm if it has one (and return its PASID if this device is
 * already bound), else allocate one; then attach.
 */
export function* __iommu_sva_bind_device(k: SvaK, dev: Ref<'device'>, mm: Ref<'mm'>, drvdata: Ref<'vfio_iommu'>) {
  const { ctx } = k;
  void domainOf(k, dev);
  // "The device driver does not call sva_device_init/shutdown and bind/unbind concurrently"
  if (ctx.get(dev, 'sva_param') === null) return { ret: EINVAL, pasid: -1 };
  yield* k.spin_lock_iommu_sva(`__iommu_sva_bind_device(${dev}, ${mm}): idr_for_each_entry`);
  let ioMm: Ref<'io_mm'> | null = null;
  let bond: Ref<'iommu_bond'> | null = null;
  for (const m of Object.values(idr(k))) {
    if (ctx.get(m, 'mm') === mm && io_mm_get_locked(k, m)) {
      ioMm = m;
      // "... Unless it's already bound to this device"
      bond = ctx.get(m, 'devices').find((b) => load(ctx, b, 'dev') === dev) ?? null;
      if (bond) io_mm_put_locked(k, m);
      break;
    }
  }
  if (bond && ioMm) return { ret: 0, pasid: ctx.get(ioMm, 'pasid') };
  if (!ioMm) {
    const a = yield* k.io_mm_alloc(dev, mm);
    if (a.ret) return { ret: a.ret, pasid: -1 };
    ioMm = a.ioMm as Ref<'io_mm'>;
  }
  const ret = yield* k.io_mm_attach(dev, ioMm, drvdata);
  if (ret) {
    yield* k.spin_lock_iommu_sva(`io_mm_put(${ioMm})`);
    if (io_mm_put_locked(k, ioMm)) yield* k.io_mm_release(ioMm);
    return { ret, pasid: -1 };
  }
  return { ret: 0, pasid: ctx.get(ioMm, 'pasid') };
}

/** __iommu_sva_unbind_device(dev, pasid): the device's bond with that PASID (-ESRCH if none), detached after any pending mm_exit. */
export function* __iommu_sva_unbind_device(k: SvaK, dev: Ref<'device'>, pasid: number) {
  const { ctx } = k;
  if (ctx.get(dev, 'sva_param') === null) return EINVAL;
  // "Caller stopped the device from issuing PASIDs, now make sure they are out of the fault queue."
  yield* k.iopf_queue_flush_dev(dev);
  yield* k.spin_lock_iommu_sva(`__iommu_sva_unbind_device(${dev}, ${pasid})`);
  for (const bond of ctx.get(dev, 'mm_list')) {
    if (ctx.get(load(ctx, bond, 'io_mm'), 'pasid') === pasid) {
      yield* k.io_mm_detach_locked(bond, true);
      return 0;
    }
  }
  return ESRCH;
}

/**
 * __iommu_sva_unbind_dev_all(): detach every bond of the device, each after
 * its pending mm_exit. The list is re-read after each detach (the kernel's
 * list_for_each_entry_safe keeps a `next` across the sleep; not modelled).
 */
export function* __iommu_sva_unbind_dev_all(k: SvaK, dev: Ref<'device'>) {
  const { ctx } = k;
  if (ctx.get(dev, 'sva_param') === null) return;
  yield* k.iopf_queue_flush_dev(dev);
  yield* k.spin_lock_iommu_sva(`__iommu_sva_unbind_dev_all(${dev})`);
  const seen: string[] = [];
  for (;;) {
    const bond = ctx.get(dev, 'mm_list').find((b) => !seen.includes(b));
    if (bond === undefined) return;
    seen.push(bond);
    yield* k.io_mm_detach_locked(bond, true);
  }
}

/**
 * The device runs DMA job `job` (the job-th PASID user space programmed) and
 * the IOMMU translates it through the device's PASID table: no entry faults,
 * an aborting entry aborts, a valid one walks the bound mm's page tables. One
 * atomic step, so a job user space has stopped (and waited for) before its
 * UNBIND or UNSET_CONTAINER is never in flight across them. What it did is
 * reported to the monitors (pasid-dma-bound).
 */
export function* iommu_pasid_dma(k: SvaK, dev: Ref<'device'>, job: number): Gen<string> {
  const r = (yield {
    action: `${dev} runs DMA job ${job}`,
    locs: [dev, JOBS],
    fire: (w) => {
      const j = (w.peek(JOBS, 'jobs') as readonly { pasid: number; mm: string; stopped: readonly string[] }[])[job];
      if (!j || j.stopped.includes('*') || j.stopped.includes(dev)) return null;
      const e = (w.peek(dev, 'pasid_table') as Record<string, PasidEntry>)[String(j.pasid)];
      return [j.pasid, j.mm, e ? e.mm : null, e ? e.abort : false];
    },
  }) as [number, string, string | null, boolean] | null;
  if (r === null) return 'stopped';
  const [pasid, intended, mm, abort] = r;
  const { ctx } = k;
  const w = ctx.world;
  const outcome = mm === null ? 'fault' : abort ? 'abort' : 'translated';
  ctx.note(`PASID ${pasid} (programmed for ${intended}): ${outcome}${mm ? ` through ${mm}` : ''}`);
  const mmState = mm === null ? null : isFreed(w, mm) ? 'freed' : w.state(mm);
  // the core bond backing the entry, if any
  const bonds = (w.peek(dev, 'mm_list') as string[]).filter((b) => w.peek(w.peek(b, 'io_mm') as string, 'pasid') === pasid);
  const bond = bonds[0] ?? null;
  ctx.emit({ type: 'pasid-dma', dev, pasid, intended, outcome, mm, mmState, bond, bondState: bond === null ? null : w.state(bond) });
  return outcome;
}
