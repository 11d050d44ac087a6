/**
 * The violation kinds the kernel layer reports, with what each means; the
 * property catalog (properties/) maps them to property names.
 */
export const KERNEL_VIOLATIONS = {
  deadlock: 'no thread can run and some are blocked (reported by the executor; waitsFor says on what)',
  'lockdep-cycle': 'lockdep: a strong cycle in the lock class dependency graph (possible circular locking dependency)',
  'wait-under-lock': 'lockdep: a cycle through a wait class: a task waits (completion, fence) holding a lock that the signaller needs',
  'lockdep-recursion': 'lockdep: a lock class taken again while held (possible recursive locking)',
  'held-lock-assertion': 'lockdep_assert_held*/dma_resv_assert_held failed',
  'unlock-not-held': 'a lock released by a task that does not hold it (bad unlock balance)',
  'refcount-underflow': 'refcount_t decremented at 0 (underflow; use-after-free)',
  'refcount-inc-from-zero': 'refcount_t incremented at 0 (addition on 0; use-after-free)',
  'refcount-leak': 'a reference never dropped at quiescence, or refcount_dec() hit 0 (leaking memory)',
  'use-after-free': 'a kfree()d object accessed',
  'double-free': 'kfree() of an already freed object',
  'type-confusion': "an object used as a struct of another type (a file's private_data taken for a struct dma_buf when the file is none)",
  'illegal-transition': 'a lifecycle event the machine does not accept (reported by ctx.send)',
} as const;

export type KernelViolationKind = keyof typeof KERNEL_VIOLATIONS;
