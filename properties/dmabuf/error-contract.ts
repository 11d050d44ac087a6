import type { World } from '../../checker/world.ts';
import type { DmaBufRequest, RegionRwRequest } from '../../model/dmabuf/arguments.ts';
import { BAR_LEN, PAGE_SIZE, validate_dmabuf_input } from '../../model/dmabuf/resources.ts';
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
  /** the errno in what the function returns, when that is not a number (an mmap's `{ret, vma}`) */
  readonly errno?: (ret: unknown) => unknown;
}

const retOf = (r: unknown) => (r as { ret: unknown }).ret;
/** An mmap's vm_pgoff and pages run past the `pages` of its BAR: -EINVAL; absent, the whole BAR. */
const pastEnd = (range: unknown, pages: number) => {
  const r = range as { pgoff: number; pages: number } | null | undefined; // an absent argument is recorded as null
  return r != null && r.pgoff + r.pages > pages;
};

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
    rule: 'export with nr_ranges = 0 or flags ≠ 0 → -EINVAL; of a BAR that is not set up → -ENODEV; with an empty or unaligned range, or one past the end of the BAR → -EINVAL',
    expected: (w, [vdev, req]) => {
      const r = req as DmaBufRequest;
      if (!r.nr_ranges || r.flags) return EINVAL;
      if (!field<number[]>(w, vdev as string, 'bars').includes(r.bar)) return ENODEV;
      if (r.ranges && !validate_dmabuf_input(r.ranges)) return EINVAL;
      if (r.ranges?.some((x) => x.offset + x.length > BAR_LEN)) return EINVAL;
      return null;
    },
  },
  {
    fn: 'vfio_pci_core_mmap',
    rule: 'BAR mmap of a BAR the device does not implement, or with vm_pgoff + pages past the BAR → -EINVAL',
    errno: retOf,
    expected: (w, [vdev, bar, , range]) =>
      !field<number[]>(w, vdev as string, 'bars').includes(bar as number) || pastEnd(range, BAR_LEN / PAGE_SIZE) ? EINVAL : null,
  },
  {
    fn: 'vfio_pci_bar_rw',
    rule: 'read()/write() of a BAR the device does not implement, or at an offset at or past its end → -EINVAL',
    expected: (w, [vdev, req]) => {
      const r = req as RegionRwRequest;
      return !field<number[]>(w, vdev as string, 'bars').includes(r.index) || r.pos >= BAR_LEN ? EINVAL : null;
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
        const ret = rule.errno ? rule.errno(ev.ret) : ev.ret;
        const want = rule.expected(exec.world, ev.args as unknown[], ev.ret);
        if (want === null || want === ret) return null;
        return {
          kind: 'errno-mismatch',
          message: `${rule.fn}(${(ev.args as unknown[]).map((a) => (typeof a === 'object' ? JSON.stringify(a) : String(a))).join(', ')}) returned ${errname(ret)}, the kernel returns ${errname(want)} here (${rule.rule})`,
        };
      },
    },
  ],
};
