/**
 * drivers/vfio/pci/vfio_pci_core.c (gregkh/linux 1129c0011b90; kernel-upstream.md
 * §3 and §3.1): resets, runtime PM, close ordering, BAR mmap and its fault.
 */

import type { Ref } from '../../../checker/kind.ts';
import { EBUSY, EINVAL, VM_FAULT_NOPAGE, VM_FAULT_SIGBUS } from '../../errno.ts';
import type { MmapRange, UserAddr } from '../arguments.ts';
import type { K } from '../functions.ts';
import { deviceFile, devSetLock, dmabufFile, groupLock, igate, memory_lock, mmapLock } from '../objects.ts';
import { PAGE_SIZE, pci_resource_len, pci_resource_start, VFIO_PCI_ROM_REGION_INDEX } from '../resources.ts';
import { holdsAddr, userAddr, vm_area_alloc, vmaHolding } from './mmap.ts';
import { deviceGroup } from './vfio_group.ts';

/** vfio_pci_core_setup_barmap(): request and iomap the BAR once; fails for a BAR that cannot be mapped. */
export function* vfio_pci_core_setup_barmap(k: K, vdev: Ref<'vdev'>, bar: number) {
  const { ctx } = k;
  if (!ctx.get(vdev, 'bars').includes(bar)) return -16; // pci_request_selected_regions(): -EBUSY
  const setUp = ctx.get(vdev, 'barmap');
  if (!setUp.includes(bar)) ctx.set(vdev, 'barmap', [...setUp, bar]);
  return 0;
}

/** vfio_pci_ioctl_reset(): VFIO_DEVICE_RESET. */
export function* vfio_pci_ioctl_reset(k: K, vdev: Ref<'vdev'>) {
  if (!k.ctx.get(vdev, 'reset_works')) return EINVAL;
  yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
  // "This function can be invoked while the power state is non-D0" — D0 first, then revoke
  yield* k.vfio_pci_set_power_state(vdev, 'D0');
  yield* k.vfio_pci_dma_buf_move(vdev, true);
  yield* k.pci_try_reset_function(vdev);
  if (yield* k.__vfio_pci_memory_enabled(vdev)) yield* k.vfio_pci_dma_buf_move(vdev, false);
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/**
 * vfio_pci_dev_set_hot_reset(): VFIO_DEVICE_PCI_HOT_RESET over a dev_set. Locking
 * several devices "is prone to deadlock, runaway and unwind if we hit contention":
 * trylock each memory_lock, -EBUSY with a reverse unwind.
 */
export function* vfio_pci_dev_set_hot_reset(k: K, devset: Ref<'vfio_device_set'>) {
  const { ctx } = k;
  yield* k.mutex_lock(devSetLock(devset));
  const devices = ctx.get(devset, 'devices');
  const locked: Ref<'vdev'>[] = [];
  let ret = 0;
  for (const vdev of devices) {
    if (!(yield* k.down_write_trylock(memory_lock(vdev)))) {
      ret = EBUSY;
      break;
    }
    locked.push(vdev);
    yield* k.vfio_pci_dma_buf_move(vdev, true);
    yield* k.vfio_pci_zap_bars(vdev);
  }
  if (ret === 0) {
    for (const vdev of devices) if (ctx.get(vdev, 'vconfig')) yield* k.vfio_pci_set_power_state(vdev, 'D0');
    yield* k.pci_reset_bus(devices);
  }
  for (const vdev of [...locked].reverse()) {
    if (yield* k.hot_reset_may_unrevoke(vdev)) yield* k.vfio_pci_dma_buf_move(vdev, false);
    yield* k.up_write(memory_lock(vdev));
  }
  yield* k.mutex_unlock(devSetLock(devset));
  return ret;
}

/** The undo loop's guard: `vdev->vdev.open_count && __vfio_pci_memory_enabled(vdev)` (the open_count guard, v9 review). */
export function* hot_reset_may_unrevoke(k: K, vdev: Ref<'vdev'>) {
  return k.ctx.get(vdev, 'open_count') > 0 && (yield* k.__vfio_pci_memory_enabled(vdev));
}

/** pci_reset_bus(): every function of the bus is in reset until it returns. */
export function* pci_reset_bus(k: K, devices: readonly Ref<'vdev'>[]) {
  for (const vdev of devices) k.ctx.set(vdev, 'in_reset', true);
  yield* k.reset_in_progress(devices[0] as Ref<'vdev'>);
  for (const vdev of devices) k.ctx.set(vdev, 'in_reset', false);
}

/** vfio_pci_runtime_pm_entry(): LOW_POWER_ENTRY; an already engaged device stays revoked (-EINVAL). */
export function* vfio_pci_runtime_pm_entry(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
  yield* k.vfio_pci_dma_buf_move(vdev, true);
  if (ctx.get(vdev, 'pm_runtime_engaged')) {
    yield* k.up_write(memory_lock(vdev));
    return EINVAL;
  }
  ctx.set(vdev, 'pm_runtime_engaged', true);
  ctx.send(vdev, { type: 'PM_ENGAGE', on: true });
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** vfio_pci_runtime_pm_exit(): LOW_POWER_EXIT, also from vfio_pci_core_disable(). */
export function* vfio_pci_runtime_pm_exit(k: K, vdev: Ref<'vdev'>) {
  yield* k.down_write(memory_lock(vdev));
  yield* k.__vfio_pci_runtime_pm_exit(vdev);
  if (yield* k.__vfio_pci_memory_enabled(vdev)) yield* k.vfio_pci_dma_buf_move(vdev, false);
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

export function* __vfio_pci_runtime_pm_exit(k: K, vdev: Ref<'vdev'>) {
  if (k.ctx.get(vdev, 'pm_runtime_engaged')) {
    k.ctx.set(vdev, 'pm_runtime_engaged', false);
    k.ctx.send(vdev, { type: 'PM_ENGAGE', on: false });
  }
}

/** vfio_pci_core_runtime_resume() with a wake eventfd: exits low power but does not un-revoke (sticky, §11.7). */
export function* vfio_pci_core_runtime_resume(k: K, vdev: Ref<'vdev'>) {
  yield* k.down_write(memory_lock(vdev));
  yield* k.__vfio_pci_runtime_pm_exit(vdev);
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

/** vfio_pci_core_close_device() (7.1, d97708701434): clean up dma-bufs BEFORE disabling the function. */
export function* vfio_pci_core_close_device(k: K, vdev: Ref<'vdev'>) {
  yield* k.vfio_pci_dma_buf_cleanup(vdev);
  yield* k.vfio_pci_core_disable(vdev);
}

/** vfio_pci_core_disable(): runtime PM exit, then BAR release, vconfig freed, reset. */
export function* vfio_pci_core_disable(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  yield* k.vfio_pci_runtime_pm_exit(vdev);
  // pci_clear_master(); IRQ teardown; release BAR regions (iounmap); vfio_config_free(): with no lock,
  // "Device closed, don't need mutex here" (a BAR VMA holds the device file, so no fault can run now)
  yield* k.schedule(`vfio_pci_core_disable(${vdev}): release BAR regions, vfio_config_free()`, [vdev]);
  ctx.set(vdev, 'barmap', []);
  ctx.set(vdev, 'vconfig', false);
  yield* k.pci_try_reset_function(vdev);
}

/** vfio_df_open() → vfio_pci_core_open_device() on the first open (dev_set->lock held). */
export function* vfio_df_open(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  const devset = ctx.get(vdev, 'dev_set');
  yield* k.mutex_lock(devSetLock(devset));
  if (!(yield* k.vfio_device_try_get_registration(vdev))) {
    yield* k.mutex_unlock(devSetLock(devset));
    return -19;
  }
  const n = ctx.get(vdev, 'open_count');
  const group = deviceGroup(k);
  // vfio_df_device_first_open(): the group path's vfio_device_group_use_iommu() before open_device
  if (n === 0 && group !== null) {
    const ret = yield* k.vfio_group_use_container(group);
    if (ret !== 0) {
      yield* k.vfio_device_put_registration(vdev);
      yield* k.mutex_unlock(devSetLock(devset));
      return ret;
    }
  }
  ctx.set(vdev, 'open_count', n + 1);
  if (n === 0) {
    // vfio_pci_core_enable(): vconfig allocated, D0, MEM as the hardware has it
    ctx.set(vdev, 'vconfig', true);
    ctx.set(vdev, 'power', 'D0');
    ctx.set(vdev, 'cmd_mem', true);
    ctx.send(vdev, { type: 'OPEN' });
  }
  yield* k.mutex_unlock(devSetLock(devset));
  return 0;
}

/**
 * vfio_device_fops_release() → vfio_df_close(): close_device on the last close, then put the file's
 * registration. A device opened through its group (bound vfio_group) closes in vfio_df_group_close():
 * group->group_lock around dev_set->lock, and the last close's vfio_df_device_last_close() drops the
 * group's container use (vfio_device_group_unuse_iommu()) after close_device.
 */
export function* vfio_device_fops_release(k: K, vdev: Ref<'vdev'>) {
  const { ctx } = k;
  const devset = ctx.get(vdev, 'dev_set');
  const group = deviceGroup(k);
  if (group !== null) yield* k.mutex_lock(groupLock(group));
  yield* k.mutex_lock(devSetLock(devset));
  const n = ctx.get(vdev, 'open_count');
  ctx.set(vdev, 'open_count', n - 1);
  if (n === 1) {
    yield* k.vfio_pci_core_close_device(vdev);
    if (group !== null) yield* k.vfio_group_unuse_container(group);
    ctx.send(vdev, { type: 'CLOSE' });
  }
  yield* k.mutex_unlock(devSetLock(devset));
  if (group !== null) yield* k.mutex_unlock(groupLock(group));
  yield* k.vfio_device_put_registration(vdev);
}

/**
 * vfio_pci_core_mmap(): a BAR VMA of the device fd; the VMA holds the device file. The checks in C
 * order: a region past the BARs → -EINVAL (VM_SHARED is not modelled: every mmap is shared); a BAR
 * without bar_mmap_supported (one the device does not implement) → -EINVAL; vm_pgoff and the
 * length past PAGE_ALIGN(pci_resource_len()) → -EINVAL; vfio_pci_core_setup_barmap() → -EINVAL
 * (the model's setup failure; unreachable once bar_mmap_supported holds).
 */
export function* vfio_pci_core_mmap(k: K, vdev: Ref<'vdev'>, bar: number, proc: Ref<'process'>, range?: MmapRange) {
  const { ctx } = k;
  if (bar >= VFIO_PCI_ROM_REGION_INDEX || !pci_resource_start(ctx, vdev, bar)) return { ret: EINVAL, vma: null };
  const phys_len = pci_resource_len(ctx, vdev, bar); // page-aligned already
  const { pgoff, pages } = range ?? { pgoff: 0, pages: phys_len / PAGE_SIZE };
  if ((pgoff + pages) * PAGE_SIZE > phys_len) return { ret: EINVAL, vma: null };
  if ((yield* k.vfio_pci_core_setup_barmap(vdev, bar)) !== 0) return { ret: EINVAL, vma: null };
  yield* k.get_file(deviceFile(vdev));
  // do_mmap()'s get_unmapped_area() and mmap_region()'s VMA, here where the model's mmap succeeds
  const addr = yield* k.get_unmapped_area(proc, pages * PAGE_SIZE);
  const vma = vm_area_alloc(ctx, { vdev, bar, backing: 'device', proc, ...(range ? { pgoff, pages } : {}) }, addr, pages * PAGE_SIZE);
  return { ret: 0, vma };
}

/** vfio_pci_mmap_huge_fault(): under the fault path's mmap_lock (read), memory_lock (read); SIGBUS while revoked. */
export function* vfio_pci_mmap_huge_fault(k: K, vma: Ref<'vma'>) {
  const { ctx } = k;
  const vdev = ctx.get(vma, 'vdev') as Ref<'vdev'>; // vfio_pci_mmap_ops: a VMA of the device fd, whose vdev is set
  yield* k.down_read(memory_lock(vdev));
  let ret: string;
  if (ctx.get(vdev, 'pm_runtime_engaged') || !(yield* k.__vfio_pci_memory_enabled(vdev))) ret = VM_FAULT_SIGBUS;
  else {
    ctx.send(vma, { type: 'FAULT_INSERT' }); // vmf_insert_pfn()
    ret = VM_FAULT_NOPAGE;
  }
  yield* k.up_read(memory_lock(vdev));
  return ret;
}

/**
 * A CPU load or store at a user address of `mm`: the page-table walk and the access are one step; no
 * PTE there faults (do_user_addr_fault), then the access retries. An address no VMA holds any more
 * (or ever did) ends the access with -EFAULT, the model's stand-in for the SIGSEGV of the fault's
 * failed find_vma(). The step names the VMA the caller takes to be at the address as what it
 * touches, and the walk looks at that VMA first.
 */
export function* cpu_access(k: K, mm: Ref<'process'>, at: UserAddr) {
  const { ctx } = k;
  for (;;) {
    yield* k.schedule(`${ctx.thread}: CPU load/store ${at.vma ? `through ${at.vma}` : `at ${at.addr}`}`, at.vma ? [at.vma] : []);
    const addr = userAddr(ctx, at);
    const vma = at.vma !== null && holdsAddr(ctx, at.vma, addr) ? at.vma : vmaHolding(ctx, mm, addr);
    if (vma === null || ctx.state(vma) === 'unmapped') return -14;
    if (ctx.state(vma) === 'populated') {
      yield* k.mmio_access(
        'cpu',
        ctx.get(vma, 'backing') === 'device' ? null : ctx.get(vma, 'backing'),
        ctx.get(vma, 'vdev'),
        ctx.get(vma, 'bar'),
      );
      return 0;
    }
    const f = yield* k.do_user_addr_fault(mm, addr);
    if (f === VM_FAULT_SIGBUS) return VM_FAULT_SIGBUS;
  }
}

/**
 * munmap(addr) (mm/mmap.c vm_munmap() → __vm_munmap() → do_vmi_munmap()), the model's name kept:
 * under mmap_lock(W) the VMA find_vma() gives for the address goes whole (no split: a VMA is
 * unmapped from any address inside it), and with it its vm_file reference (remove_vma() → fput()).
 * No VMA there: 0, as do_vmi_munmap() returns; an address not page aligned: -EINVAL.
 */
export function* vfio_pci_munmap(k: K, mm: Ref<'process'>, at: UserAddr) {
  const { ctx } = k;
  if (at.addr !== null && at.addr % PAGE_SIZE !== 0) return EINVAL; // offset_in_page(start)
  yield* k.mmap_write_lock(mmapLock(mm));
  const addr = userAddr(ctx, at);
  // the VMA the caller named, when it holds the address and is still there, is the one find_vma() returns
  const named = at.vma !== null && ctx.state(at.vma) !== 'unmapped' && holdsAddr(ctx, at.vma, addr);
  const vma = named ? at.vma : yield* k.find_vma(mm, addr);
  if (vma === null || ctx.get(vma, 'vm_start') > addr) {
    yield* k.mmap_write_unlock(mmapLock(mm));
    return 0;
  }
  ctx.send(vma, { type: 'MUNMAP' });
  yield* k.mmap_write_unlock(mmapLock(mm));
  const backing = ctx.get(vma, 'backing');
  yield* k.fput(backing === 'device' ? deviceFile(ctx.get(vma, 'vdev') as Ref<'vdev'>) : dmabufFile(backing)); // vma->vm_file
  return 0;
}

/**
 * VFIO_DEVICE_SET_IRQS enabling MSI: vfio_pci_set_irqs_ioctl() under igate →
 * vfio_msi_enable() → vfio_pci_memory_lock_and_enable(): memory_lock(W) while
 * MSE is forced on to program the vectors, then restored. The virtual
 * COMMAND register is untouched and no dma-buf moves (kernel-upstream.md §3, E10).
 */
export function* vfio_pci_set_irqs_ioctl(k: K, vdev: Ref<'vdev'>) {
  yield* k.mutex_lock(igate(vdev));
  yield* k.down_write(memory_lock(vdev)); // vfio_pci_memory_lock_and_enable()
  yield* k.up_write(memory_lock(vdev)); // vfio_pci_memory_unlock_and_restore()
  yield* k.mutex_unlock(igate(vdev));
  return 0;
}
