/**
 * copy_to_user() / copy_from_user() (include/linux/uaccess.h, arch/x86/mm/fault.c) as
 * the model sees them: a CPU load/store by the kernel at a user address of the calling
 * process (`buf`: its address). might_fault() first tells lockdep that mm->mmap_lock may be taken for read
 * (CONFIG_PROVE_LOCKING), whether or not a fault happens; then the access itself. In
 * ordinary memory ('anon') nothing the model tracks happens. In a mapping of the
 * process it is a load/store through that VMA, which faults it in with what that fault
 * takes (a BAR VMA: vfio_pci_mmap_huge_fault() under mmap_lock(R) → memory_lock(R)) and
 * reaches the BAR when its PTE is there. A fault that ends in SIGBUS, or an address
 * with no VMA, makes the copy fail: the exception fixup returns the bytes not copied.
 */
import { might_lock_read } from '../../../kernel/lockdep/index.ts';
import type { UserBuf } from '../arguments.ts';
import type { K } from '../functions.ts';
import { mmapLock, procId } from '../objects.ts';

/** The user access of one copy: 0 when every byte was copied, else the bytes left (here: all of them). */
function* user_access(k: K, buf: UserBuf, bytes: number) {
  // might_fault(): current->mm is the primary process's (the only one that opens the device)
  might_lock_read(k.ctx, mmapLock(procId('primary')));
  if (buf === 'anon') return 0;
  if (buf === 'unmapped') return bytes;
  const r = yield* k.cpu_access(procId('primary'), buf);
  return r === 0 ? 0 : bytes;
}

/** copy_to_user(to, from, n): the kernel stores into user memory. */
export function* copy_to_user(k: K, buf: UserBuf, bytes: number) {
  return yield* user_access(k, buf, bytes);
}

/** copy_from_user(to, from, n): the kernel loads from user memory. */
export function* copy_from_user(k: K, buf: UserBuf, bytes: number) {
  return yield* user_access(k, buf, bytes);
}
