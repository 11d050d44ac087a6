/**
 * The scenario space of the dma-buf model: which threads a scenario has and
 * what they may do, derived from the bounds (model/dmabuf/bounds.ts). Importers,
 * mmappers and iommufd run their protocol in order (the rounds are fixed);
 * the primary process picks its ioctls freely; search varies the interleaving.
 */
import type { OpCall } from '../../checker/scenario.ts';
import type { CommandSpec, RoleSpec, ScenarioSpace } from '../../checker/space.ts';
import type { AddedCommands } from '../domain.ts';
import type { Bounds } from './bounds.ts';
import { BAR_LEN, PAGE_SIZE } from './resources.ts';

const op = (name: string, args: OpCall['args'] = {}): OpCall => ({ op: name, args });

/** The ioctls and closes the primary process may issue on device 0. */
function primaryCommands(b: Bounds): CommandSpec[] {
  const buffers = b.exported + b.exports;
  const cmds: CommandSpec[] = [
    { op: 'config_write_command', args: { mem: [false, true] } },
    { op: 'config_write_pm', args: { d3: [true, false] } },
    { op: 'flr' },
    { op: 'device_reset' },
    { op: 'hot_reset' },
    { op: 'low_power_entry' },
    { op: 'low_power_exit' },
    { op: 'runtime_resume' },
    { op: 'close_device_fd' },
  ];
  if (b.exports > 0) cmds.push({ op: 'export_dmabuf', args: { bar: [...Array(b.bars).keys()], ranges: [0, 1], fd_fail: [false, true] } });
  // the user buffer: ordinary memory, or each VMA the mmapper threads may have created by then
  if (b.bar_rw > 0)
    cmds.push({
      op: 'bar_rw',
      args: { write: [false, true], buf: ['anon', ...Array((b.mmappers + b.dmabuf_mmappers) * b.maps).keys()] },
    });
  if (buffers > 0) cmds.push({ op: 'close_dmabuf_fd', args: { dmabuf: [...Array(buffers).keys()] } });
  if (buffers > 0) cmds.push({ op: 'revoke_dmabuf', args: { dmabuf: [...Array(buffers).keys()] } });
  if (b.fds > 0) cmds.push(...fdCommands(buffers));
  // the group path: the process may close its group or container fd while the devices are open
  if (b.vfio_group > 0) cmds.push({ op: 'close_fd', args: { fd: ['group', 'container'] } });
  return cmds;
}

/** dup() of the device fd and of each dma-buf fd, close() of the first dup, REVOKE given the device fd or that dup. */
function fdCommands(buffers: number): CommandSpec[] {
  return [
    { op: 'dup_fd', args: { fd: ['device'] } },
    ...(buffers > 0 ? [{ op: 'dup_fd', args: { dmabuf: [...Array(buffers).keys()] } }] : []),
    { op: 'close_fd', args: { fd: [0] } },
    { op: 'revoke_dmabuf', args: { fd: ['device', 0] } },
  ];
}

const mmapperOps = (b: Bounds, bar: number) => [
  ...pastEnd(b, 'bar_mmap', mapArgs(b, { bar })),
  op('bar_mmap', mapArgs(b, { bar })),
  op('cpu_access'),
  ...aliases(b, 'bar_mmap', mapArgs(b, { bar })),
];

/** An mmap's arguments; with maps > 1, the thread may hold that many mappings at once. */
const mapArgs = (b: Bounds, args: OpCall['args']): OpCall['args'] => (b.maps > 1 ? { ...args, maps: b.maps } : args);

/**
 * With maps > 1, the further mappings of the same BAR or buffer, each touched (cpu_access acts on
 * the most recent), then every mapping unmapped, the most recent first. maps = 1: the one munmap.
 */
function aliases(b: Bounds, mmap: string, args: OpCall['args']): OpCall[] {
  const more = Array.from({ length: b.maps - 1 }, () => [op(mmap, args), op('cpu_access')]).flat();
  return [...more, ...Array.from({ length: b.maps }, () => op('munmap'))];
}

/** With mmap_ranges, an mmap that first asks for the page just past the end of its BAR or buffer (-EINVAL). */
function pastEnd(b: Bounds, mmap: string, args: OpCall['args']): OpCall[] {
  return b.mmap_ranges > 0 ? [op(mmap, { ...args, pgoff: BAR_LEN / PAGE_SIZE, pages: 1 })] : [];
}

/** One importer round: attach → (pin) → map → DMA access → unmap → detach (dropping its file reference). */
function importerRound(kind: string, dmabuf: number): OpCall[] {
  // a pinned importer (an RDMA MR) keeps its mapping until its owner exits: it has no invalidate callback to drop it
  if (kind === 'pinned') return [op('pinned_attach', { dmabuf }), op('pinned_pin'), op('pinned_map'), op('pinned_dma_access')];
  return [op(`${kind}_attach`, { dmabuf }), op(`${kind}_map`), op(`${kind}_dma_access`), op(`${kind}_unmap`), op(`${kind}_detach`)];
}

// Symmetric roles (check --symmetry, checker/symmetry.ts): an importer, iommufd, mmap, dmmap or fd-closing thread's
// program depends on its index only through its prelude's arguments (i % buffers, i % bars), so two with equal
// operations differ by their thread name alone, and every object that carries a thread's identity is named from it
// (actor.<thread>, actor.<thread>.older, task:<thread>; attachments, VMAs and mappings are numbered by creation).
// The primary role is not declared: its threads choose their commands, and nothing tests it yet.
export function dmabufSpace(b: Bounds, focus: readonly string[] = [], added: AddedCommands = {}): ScenarioSpace {
  const buffers = Math.max(1, b.exported + b.exports);
  const roles: RoleSpec[] = [];
  // the primary process is the only actor choosing its commands: operations added to it join them
  const primary = [...primaryCommands(b), ...(added.primary ?? [])].filter((c) => focus.length === 0 || focus.includes(c.op));
  if (b.primaries > 0 && primary.length > 0) roles.push({ role: 'primary', commands: primary, min: 1, max: b.primaries });
  for (const kind of ['sync', 'fence', 'pinned', 'static'] as const) {
    const n = b[kind];
    if (n > 0)
      roles.push({
        role: kind,
        commands: [],
        min: n,
        max: n,
        symmetric: true,
        prelude: (i) => Array.from({ length: kind === 'pinned' ? 1 : b.rounds }, () => importerRound(kind, i % buffers)).flat(),
      });
  }
  if (b.iommufd > 0)
    roles.push({
      role: 'iommufd',
      commands: [],
      min: b.iommufd,
      max: b.iommufd,
      symmetric: true,
      prelude: (i) => [op('iommufd_map_file', { dmabuf: i % buffers }), op('iommufd_dma_access'), op('iommufd_unmap')],
    });
  if (b.mmappers > 0)
    roles.push({
      role: 'mmap',
      commands: [],
      min: b.mmappers,
      max: b.mmappers,
      symmetric: true,
      // with several BARs, mmapper i maps BAR i % bars
      prelude: b.bars > 1 ? (i) => mmapperOps(b, i % b.bars) : mmapperOps(b, 0),
    });
  if (b.dmabuf_mmappers > 0)
    roles.push({
      role: 'dmmap',
      commands: [],
      min: b.dmabuf_mmappers,
      max: b.dmabuf_mmappers,
      symmetric: true,
      prelude: (i) => [
        ...pastEnd(b, 'dmabuf_mmap', mapArgs(b, { dmabuf: i % buffers })),
        op('dmabuf_mmap', mapArgs(b, { dmabuf: i % buffers })),
        op('cpu_access'),
        op('cpu_access'),
        ...aliases(b, 'dmabuf_mmap', mapArgs(b, { dmabuf: i % buffers })),
      ],
    });
  if (b.fdclosers > 0)
    roles.push({
      role: 'fdclose',
      commands: [],
      min: b.fdclosers,
      max: b.fdclosers,
      symmetric: true,
      prelude: (i) => [op('close_dmabuf_fd', { dmabuf: i % buffers })],
    });
  if (b.unbind > 0) roles.push({ role: 'unbind', commands: [], min: 1, max: 1, prelude: [op('unregister')] });
  // Process exit after everything else: closes what is left, so quiescence can be checked.
  // (thread names are role and index: the unbind role's thread is unbind0)
  roles.push({ role: 'exit', commands: [], min: 1, max: 1, prelude: [op('exit_all', b.unbind > 0 ? { unbinds: ['unbind0'] } : {})] });
  return { roles, setup: setupParams(b) };
}

export function setupParams(b: Bounds): Record<string, number | boolean> {
  // bars only when set: scenarios and counterexamples of one-BAR devices keep their setup
  return {
    devices: b.devices,
    exported: b.exported,
    no_command_memory: b.no_command_memory === 1,
    ...(b.bars > 1 ? { bars: b.bars } : {}),
    ...(b.vfio_group > 0 ? { vfio_group: true } : {}),
  };
}

/** Bounds in the form the generic search takes: threads per role and random commands per thread. */
export function searchBounds(b: Bounds): { threads: number; opsPerThread: number } {
  return {
    threads: Math.max(b.primaries, b.sync, b.fence, b.pinned, b.static, b.iommufd, b.mmappers, b.dmabuf_mmappers, b.fdclosers, 1),
    opsPerThread: b.ops,
  };
}
