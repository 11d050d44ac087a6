/**
 * Bounds a user can set (`--bound KEY=N`), the default bound, and the named
 * profiles. Everything a scenario can contain is derived from these.
 */
export type Bounds = {
  /** devices in the (single) dev_set */
  readonly devices: number;
  /** dma-bufs exported before any thread runs (linked, not revoked, fd held by the primary) */
  readonly exported: number;
  /** exports the primary may still make */
  readonly exports: number;
  /** importer threads of each kind */
  readonly sync: number;
  readonly fence: number;
  readonly pinned: number;
  readonly static: number;
  readonly iommufd: number;
  /** threads that mmap a BAR and touch it */
  readonly mmappers: number;
  /** threads that mmap a dma-buf fd and touch it (designs with dma-buf mmap) */
  readonly dmabuf_mmappers: number;
  /** primary-process threads issuing device ioctls */
  readonly primaries: number;
  /** extra threads that only close dma-buf fds */
  readonly fdclosers: number;
  /** a driver-unbind thread (vfio_unregister_group_dev) */
  readonly unbind: number;
  /** random commands per thread beyond its fixed ones */
  readonly ops: number;
  /** rounds of attach → map → access → unmap → detach per importer */
  readonly rounds: number;
  /** SR-IOV VF-like device: no COMMAND.MEM bit */
  readonly no_command_memory: number;
  /** 1: the primary process may also read()/write() BAR 0 through the device fd (vfio_pci_bar_rw) */
  readonly bar_rw: number;
  /** BARs each device implements (0..bars-1); exports and BAR mmaps may use any of them */
  readonly bars: number;
  /** 1: each mmapper first asks for the page just past its BAR or buffer (vm_pgoff range check, -EINVAL) */
  readonly mmap_ranges: number;
  /** 1: the primary may dup() its device and dma-buf fds, close() a dup()ed fd, and give REVOKE the device fd or a dup()ed one */
  readonly fds: number;
  /** 1: the devices were opened through a VFIO group and container whose fds the process holds; the primary may close either */
  readonly vfio_group: number;
  /** mappings each mmap and dmmap thread makes of its BAR or buffer and holds at once, each at its own address (aliases) */
  readonly maps: number;
};

export const DEFAULT_BOUNDS: Bounds = {
  devices: 1,
  exported: 1,
  exports: 0,
  sync: 1,
  fence: 0,
  pinned: 0,
  static: 0,
  iommufd: 0,
  mmappers: 0,
  dmabuf_mmappers: 0,
  primaries: 1,
  fdclosers: 0,
  unbind: 0,
  ops: 1,
  rounds: 1,
  no_command_memory: 0,
  bar_rw: 0,
  bars: 1,
  mmap_ranges: 0,
  fds: 0,
  vfio_group: 0,
  maps: 1,
};

export const BOUND_KEYS = Object.keys(DEFAULT_BOUNDS) as (keyof Bounds)[];

/** Largest value each bound accepts: past these the search is pointless on two cores. */
export const BOUND_LIMITS: Readonly<Record<keyof Bounds, number>> = {
  devices: 2,
  exported: 3,
  exports: 3,
  sync: 3,
  fence: 3,
  pinned: 2,
  static: 2,
  iommufd: 2,
  mmappers: 2,
  dmabuf_mmappers: 2,
  primaries: 2,
  fdclosers: 3,
  unbind: 1,
  ops: 6,
  rounds: 3,
  no_command_memory: 1,
  bar_rw: 1,
  bars: 3,
  mmap_ranges: 1,
  fds: 1,
  vfio_group: 1,
  maps: 3,
};

/** A profile is a fixed scenario rather than a generated space (see bench/ and BENCHMARKS.md). */
export const PROFILES = ['ref-t4'] as const;
export type Profile = (typeof PROFILES)[number];

export class BoundsError extends Error {}

/** Parses `KEY=N` pairs; `profile=NAME` selects a profile. */
export function parseBounds(pairs: readonly string[], base: Bounds = DEFAULT_BOUNDS): { bounds: Bounds; profile: Profile | null } {
  const out: Record<string, number> = { ...base };
  let profile: Profile | null = null;
  for (const pair of pairs) {
    const m = /^([a-z_]+)=(.+)$/.exec(pair);
    if (!m) throw new BoundsError(`bad bound "${pair}": expected KEY=N (keys: ${BOUND_KEYS.join(', ')}, profile)`);
    const [, key = '', value = ''] = m; // both groups always match
    if (key === 'profile') {
      if (!(PROFILES as readonly string[]).includes(value))
        throw new BoundsError(`unknown profile "${value}" (profiles: ${PROFILES.join(', ')})`);
      profile = value as Profile;
      continue;
    }
    if (!(BOUND_KEYS as string[]).includes(key)) throw new BoundsError(`unknown bound "${key}" (keys: ${BOUND_KEYS.join(', ')}, profile)`);
    const n = Number(value);
    const limit = BOUND_LIMITS[key as keyof Bounds];
    if (!Number.isInteger(n) || n < 0 || n > limit)
      throw new BoundsError(`bound ${key}=${value} is impossible: expected an integer from 0 to ${limit}`);
    out[key] = n;
  }
  if ((out.bars ?? 1) < 1) throw new BoundsError('bound bars=0 is impossible: a device implements at least BAR 0');
  if ((out.maps ?? 1) < 1) throw new BoundsError('bound maps=0 is impossible: an mmap thread makes at least one mapping');
  if ((out.devices ?? 1) < 1) throw new BoundsError('bound devices=0 is impossible: a scenario needs at least one device');
  return { bounds: out as Bounds, profile };
}
