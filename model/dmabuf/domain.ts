/** The VFIO dma-buf lifecycle as a Domain: bounds, scenario space, profiles. */
import { withHandles } from '../../checker/handles.ts';
import type { OpCall, Scenario } from '../../checker/scenario.ts';
import { LOCK_TOUCHERS } from '../../kernel/touchers.ts';
import { type Design, signaturesWith } from '../design.ts';
import type { Domain } from '../domain.ts';
import { signatures } from './actors.ts';
import { type Bounds, BoundsError, DEFAULT_BOUNDS, parseBounds } from './bounds.ts';
import { dmabufSpace, searchBounds, setupParams } from './space.ts';
import { dmabufSystem } from './system.ts';

const op = (name: string, args: OpCall['args'] = {}): OpCall => ({ op: name, args });

/**
 * ref-t4 (BENCHMARKS.md): device open, memory enabled, two dma-bufs already
 * exported; importer 0 (unmaps inside its invalidate callback) on dma-buf 0 and
 * importer 1 (unmaps later from its own thread, behind a fence) on dma-buf 1,
 * two rounds each; a config writer doing three COMMAND writes, each clearing or
 * setting MEM (the 8 combinations are 8 scenarios); a BAR-mmap faulter; a
 * closer of the device fd; two dma-buf fd closers.
 */
function refT4(): Scenario[] {
  const round = (kind: string, dmabuf: number) => [
    op(`${kind}_attach`, { dmabuf }),
    op(`${kind}_map`),
    op(`${kind}_dma_access`),
    op(`${kind}_unmap`),
    op(`${kind}_detach`),
  ];
  const out: Scenario[] = [];
  for (let bits = 0; bits < 8; bits++) {
    const writes = [0, 1, 2].map((i) => op('config_write_command', { mem: ((bits >> i) & 1) === 1 }));
    out.push({
      setup: setupParams({ ...DEFAULT_BOUNDS, exported: 2 }),
      threads: [
        { name: 'sync0', ops: [...round('sync', 0), ...round('sync', 0)] },
        { name: 'fence0', ops: [...round('fence', 1), ...round('fence', 1)] },
        { name: 'primary0', ops: writes },
        { name: 'mmap0', ops: [op('bar_mmap', { bar: 0 }), op('cpu_access'), op('munmap')] },
        { name: 'primary1', ops: [op('close_device_fd')] },
        { name: 'fdclose0', ops: [op('close_dmabuf_fd', { dmabuf: 0 })] },
        { name: 'fdclose1', ops: [op('close_dmabuf_fd', { dmabuf: 1 })] },
      ],
    });
  }
  return out;
}

export const dmabufDomain: Domain = {
  name: 'dmabuf',
  // kfree(dmabuf) frees the resv and its ww_mutex with it (objects.ts embeddedIn)
  lockTouchers: { ...LOCK_TOUCHERS, kfree: ['ww_mutex'] },
  defaultBounds: DEFAULT_BOUNDS,
  signatures,
  boundHelp: {
    devices: 'devices in the dev_set (device 0 is open)',
    exported: 'dma-bufs exported before any thread runs',
    exports: 'further exports the primary process may make',
    sync: 'importers that unmap inside their invalidate callback',
    fence: 'importers that fence their DMA and unmap later from their own thread',
    pinned: 'pinning importers without an invalidate callback (RDMA pinned umem)',
    static: 'static importers (dma_buf_attach, no importer_ops)',
    iommufd: 'iommufd IOAS mappings of a dma-buf',
    mmappers: 'threads that mmap BAR 0, touch it and munmap',
    dmabuf_mmappers: 'threads that mmap a dma-buf fd, touch it twice and munmap (designs with dma-buf mmap)',
    primaries: 'primary-process threads issuing device ioctls',
    fdclosers: 'threads that close a dma-buf fd',
    unbind: 'a driver unbind (vfio_unregister_group_dev)',
    ops: 'random ioctls per primary thread',
    rounds: 'attach → map → access → unmap → detach rounds per importer',
    no_command_memory: '1: the device has no COMMAND.MEM bit (SR-IOV VF)',
    mmap_ranges:
      '1: every mmapper first asks for the page just past the end of its BAR or dma-buf (vm_pgoff range checks: -EINVAL), then maps it whole',
    bars: 'BARs each device implements (BAR 0 up to BAR bars-1): exports and BAR mmaps may use each',
    bar_rw: '1: the primary may read()/write() BAR 0 through the device fd, into ordinary memory or into each mapping the mmappers make',
    fds: "1: the primary may dup() the device fd and each dma-buf fd, close() the first dup, and give REVOKE the device fd or that dup (-EINVAL for the device's)",
    vfio_group:
      '1: the devices were opened through a VFIO group attached to a container (the process holds the container, group and device fds); the primary may close the group or container fd first',
    maps: 'mappings each mmap and dmmap thread makes of its BAR or dma-buf, each at its own address, touches and holds at once (aliases), before it munmaps them all',
  },
  parseBounds(pairs) {
    const r = parseBounds(pairs);
    return { bounds: r.bounds, profile: r.profile };
  },
  // a scenario may name the dma-bufs it exports (checker/handles.ts)
  // a design of this domain has the dma-buf table (designDomain picks the domain by design.domain)
  system: (design, watched) => withHandles(dmabufSystem(design as Design, watched), signaturesWith(signatures, design)),
  space: (b, focus, added) => dmabufSpace(b as Bounds, focus, added),
  searchBounds: (b) => searchBounds(b as Bounds),
  profile(name) {
    if (name === 'ref-t4') return refT4();
    throw new BoundsError(`unknown profile "${name}" (profiles: ref-t4)`);
  },
};
