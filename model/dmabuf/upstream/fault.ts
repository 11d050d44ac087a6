/**
 * The arch page-fault path a CPU access to a VMA takes (arch/x86/mm/fault.c,
 * mm/memory.c): do_user_addr_fault() → lock_mm_and_find_vma(), which takes
 * the mm's mmap_lock for reading → handle_mm_fault() → the VMA's fault
 * handler (vm_ops->huge_fault) → mmap_read_unlock(). The handlers themselves
 * (vfio_pci_mmap_huge_fault, a dma-buf VMA's fault) run under mmap_lock and
 * do not take it, so lockdep's "at:" line for mmap_lock names
 * lock_mm_and_find_vma, as in the kernel. The per-VMA-lock fast path
 * (lock_vma_under_rcu) is not modelled: VM_PFNMAP VMAs of VFIO fall back to it
 * only for anonymous-like cases, and retrying under mmap_lock is always legal.
 */

import type { Ref } from '../../../checker/kind.ts';
import { VM_FAULT_SIGSEGV } from '../../errno.ts';
import type { K } from '../functions.ts';
import { mmapLock } from '../objects.ts';

/** do_user_addr_fault(): the fault of a CPU access at `addr` of `mm`; returns the handler's VM_FAULT_* code. */
export function* do_user_addr_fault(k: K, mm: Ref<'process'>, addr: number) {
  const vma = yield* k.lock_mm_and_find_vma(mm, addr);
  // no VMA holds addr: lock_mm_and_find_vma() has dropped mmap_lock (bad_area_nosemaphore)
  if (vma === null) return VM_FAULT_SIGSEGV;
  const ret = yield* k.handle_mm_fault(vma);
  yield* k.mmap_read_unlock(mmapLock(mm));
  return ret;
}

/**
 * lock_mm_and_find_vma(mm, addr, regs): mmap_read_lock(mm), then find_vma(mm, addr) and
 * `vma->vm_start <= addr` (the stack expansion below a VMA is not modelled: no VMA here grows
 * down). Another thread (a read() copying into this mapping) may have munmapped the VMA since the
 * access missed: then the lock is dropped and the lookup fails.
 */
export function* lock_mm_and_find_vma(k: K, mm: Ref<'process'>, addr: number) {
  const lock = mmapLock(mm);
  yield* k.mmap_read_lock(lock);
  const vma = yield* k.find_vma(mm, addr);
  if (vma !== null && k.ctx.get(vma, 'vm_start') <= addr) return vma;
  yield* k.mmap_read_unlock(lock);
  return null;
}

/** handle_mm_fault() → __handle_mm_fault() → create_huge_pmd()/do_fault(): the VMA's own fault handler. */
export function* handle_mm_fault(k: K, vma: Ref<'vma'>) {
  return k.ctx.get(vma, 'backing') === 'device' ? yield* k.vfio_pci_mmap_huge_fault(vma) : yield* k.vfio_pci_dma_buf_mmap_fault(vma);
}
