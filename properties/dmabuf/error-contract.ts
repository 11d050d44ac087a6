import type { World } from '../../checker/world.ts';
import { EINVAL, ENODEV, EOPNOTSUPP, errname } from '../../model/errno.ts';
import type { Property } from '../property.ts';
import { field } from './state.ts';

/**
 * The errno contract of upstream 7.1 (kernel-upstream.md §2), one rule per
 * kernel function: given its arguments and the state it ran in, what it must
 * return. A rule returns null when the state leaves the result open (e.g. a
 * racy unlocked read).
 */
export interface ErrnoRule {
  readonly fn: string;
  readonly rule: string;
  expected(w: World, args: unknown[], ret: unknown): number | null;
}

export const ERRNO_RULES: readonly ErrnoRule[] = [
  {
    fn: 'vfio_pci_dma_buf_map',
    rule: 'map while revoked → -ENODEV, else 0 (resv held: the state cannot change under it)',
    expected: (w, [priv]) => (field(w, priv as string, 'revoked') ? ENODEV : 0),
  },
  {
    fn: 'vfio_pci_dma_buf_iommufd_map',
    rule: 'iommufd_map while revoked → -ENODEV; more than one range → -EOPNOTSUPP; else 0',
    expected: (w, [priv]) => (field(w, priv as string, 'revoked') ? ENODEV : field(w, priv as string, 'nr_ranges') !== 1 ? EOPNOTSUPP : 0),
  },
  {
    fn: 'vfio_pci_dma_buf_attach',
    rule: 'attach without peer2peer → -EOPNOTSUPP; of a revoked buffer → -ENODEV (an unlocked, racy read); of an importer without invalidate_mappings (pinned) → -EOPNOTSUPP; else 0',
    expected: (w, [, att], ret) => {
      const a = att as string;
      if (!field(w, a, 'peer2peer')) return EOPNOTSUPP;
      if (ret === ENODEV) return null; // decided by the unlocked read of revoked, checked before revocability
      return field(w, a, 'invalidate_mappings') ? 0 : EOPNOTSUPP;
    },
  },
  {
    fn: 'vfio_pci_core_feature_dma_buf',
    rule: 'export with nr_ranges = 0 or flags ≠ 0 → -EINVAL; of a BAR that is not set up → -ENODEV',
    expected: (w, [vdev, req]) => {
      const r = req as { bar: number; nr_ranges: number; flags: number };
      if (!r.nr_ranges || r.flags) return EINVAL;
      if (!field<number[]>(w, vdev as string, 'bars').includes(r.bar)) return ENODEV;
      return null;
    },
  },
  {
    fn: 'vfio_pci_ioctl_reset',
    rule: 'VFIO_DEVICE_RESET of a device whose reset does not work → -EINVAL, else 0',
    expected: (w, [vdev]) => (field(w, vdev as string, 'reset_works') ? 0 : EINVAL),
  },
];

export const errorContract: Property = {
  name: 'error-contract',
  domain: 'dmabuf',
  statement: `Each operation returns the errno the kernel returns in that state. The catalog (upstream 7.1): ${ERRNO_RULES.map((r) => `${r.fn}: ${r.rule}`).join('; ')}; hot reset under contention on a memory_lock → -EBUSY (vfio_pci_dev_set_hot_reset, by construction of its trylock unwind).`,
  checked: ['every step'],
  kinds: ['errno-mismatch'],
  returns: ERRNO_RULES.map((r) => r.fn),
  limits:
    'Checked at the return of each listed function against the state at its return; results decided by racy unlocked reads (attach seeing revoked) are left open. Argument-copy errors (-EFAULT) and allocation failures (-ENOMEM) are not modelled.',
  monitors: () => [
    {
      name: 'error-contract',
      onEvent(ev, exec) {
        if (ev.type !== 'return') return null;
        const rule = ERRNO_RULES.find((r) => r.fn === ev.fn);
        if (!rule) return null;
        const want = rule.expected(exec.world, ev.args as unknown[], ev.ret);
        if (want === null || want === ev.ret) return null;
        return {
          kind: 'errno-mismatch',
          message: `${rule.fn}(${(ev.args as unknown[]).map((a) => (typeof a === 'object' ? JSON.stringify(a) : String(a))).join(', ')}) returned ${errname(ev.ret)}, the kernel returns ${errname(want)} here (${rule.rule})`,
        };
      },
    },
  ],
};
