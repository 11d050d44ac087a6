import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import type { Property } from '../property.ts';

export const lockOrder: Property = {
  name: 'lock-order',
  domain: 'dmabuf',
  statement:
    "No lockdep cycle under lockdep's rules (lock classes, W/r/R acquisitions, trylocks add no edge, strong paths only), no same-class recursion, no reachable deadlock (no thread can run while some are blocked), every held-lock assertion (lockdep_assert_held*, dma_resv_assert_held) true, no unlock of a lock not held, and no wait on a completion or fence while holding a lock that its signaller needs.",
  checked: ['every step'],
  kinds: ['deadlock', 'lockdep-cycle', 'lockdep-recursion', 'held-lock-assertion', 'wait-under-lock', 'unlock-not-held'],
  limits:
    'The lockdep graph is per execution here (a cycle is reported when one execution shows all its edges); cycles whose edges only appear in different scenarios are shown by the lockorder command over the accumulated graph. Interrupt contexts and irq-safety are not modelled.',
  monitors: () => [new LockdepMonitor()],
};

export const svaLockOrder: Property = { ...lockOrder, domain: 'sva', monitors: () => [new LockdepMonitor()] };
