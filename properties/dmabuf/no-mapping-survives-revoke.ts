import { ENODEV } from '../../model/errno.ts';
import type { Property } from '../property.ts';
import { alive, barPtesOf, field, mappingsOf, privsOfDevice } from './state.ts';

/** Revoking operations, by the kernel function whose return completes the revoke. */
const REVOKERS = ['vfio_pci_dma_buf_move', 'vfio_pci_dma_buf_cleanup', 'vfio_pci_core_ioctl_dmabuf_revoke'];
/** The BAR zap of every revoke site of the device's own BAR mmaps (unmap_mapping_range of the device inode's address_space). */
const BAR_ZAP = 'vfio_pci_zap_bars';
/** Functions that hand out a new mapping of a dma-buf; a 0 return while revoked breaks the claim. */
const MAPPERS = ['vfio_pci_dma_buf_map', 'vfio_pci_dma_buf_iommufd_map', 'vfio_pci_dma_buf_mmap_fault'];

export const noMappingSurvivesRevoke: Property = {
  name: 'no-mapping-survives-revoke',
  domain: 'dmabuf',
  statement:
    'When a revoking operation returns (vfio_pci_dma_buf_move(vdev, true), vfio_pci_dma_buf_cleanup(vdev), or the revoke ioctl where a design has one), no importer holds an sg mapping of any live revoked dma-buf it covered, no iommufd domain maps it and no CPU PTE maps it, through any of its mappings; when the BAR zap of a revoke site returns (vfio_pci_zap_bars(vdev)), no CPU PTE of any BAR mmap of the device is left, however many mappings alias the BAR; and while a dma-buf is revoked no new mapping of it is handed out (its map, iommufd_map and mmap fault functions do not succeed); and a revoking operation never stays blocked for good (every other thread done or blocked) while a live revoked dma-buf is still mapped: that is reported here as well as as a deadlock.',
  checked: ['every step'],
  kinds: ['mapping-survives-revoke'],
  returns: [...REVOKERS, BAR_ZAP, ...MAPPERS],
  limits:
    "Checked at the return of the revoking kernel functions named above, at every successful map, and at a stuck state (no thread can run) where one of them is on a blocked thread's stack; a design that revokes through a function of another name must name it here. Dying buffers (file count 0) are skipped, as the kernel skips them.",
  monitors: () => [
    {
      name: 'no-mapping-survives-revoke',
      onEvent(ev, exec) {
        if (ev.type !== 'return') return null;
        const w = exec.world;
        const args = ev.args as unknown[];
        const fn = ev.fn as string;
        if (MAPPERS.includes(fn)) {
          const priv = fn === 'vfio_pci_dma_buf_mmap_fault' ? (w.peek(args[0] as string, 'backing') as string) : (args[0] as string);
          // a map succeeds with 0; a fault succeeds with VM_FAULT_NOPAGE (a PTE was inserted)
          if ((ev.ret === 0 || ev.ret === 'VM_FAULT_NOPAGE') && field(w, priv, 'revoked') === true)
            return {
              kind: 'mapping-survives-revoke',
              message: `${fn}(${priv}) handed out a new mapping while ${priv} is revoked (expected ${ENODEV})`,
            };
          return null;
        }
        if (fn === BAR_ZAP) {
          const left = barPtesOf(w, args[0] as string);
          return left.length === 0
            ? null
            : { kind: 'mapping-survives-revoke', message: `${fn}(${args[0]}) returned but ${left.join('; ')}` };
        }
        if (!REVOKERS.includes(fn)) return null;
        let covered: string[];
        if (fn === 'vfio_pci_dma_buf_move') {
          if (args[1] !== true) return null;
          covered = privsOfDevice(w, args[0] as string);
        } else if (fn === 'vfio_pci_dma_buf_cleanup')
          covered = w
            .ids('priv')
            .filter((p) => w.state(p) === 'orphan' || (w.state(p).startsWith('linked') && field(w, p, 'vdev') === args[0]));
        else covered = [args[1] as string];
        for (const priv of covered) {
          if (!alive(w, priv) || field(w, priv, 'revoked') !== true) continue;
          const left = mappingsOf(w, priv);
          if (left.length > 0)
            return {
              kind: 'mapping-survives-revoke',
              message: `${fn}(${args.map(String).join(', ')}) returned but ${priv} is still mapped: ${left.join('; ')}`,
            };
        }
        return null;
      },
      // a revoke that can never return while the buffer it revoked is still mapped: the mapping survives it for good
      atStuck(exec, blocked) {
        const w = exec.world;
        for (const b of blocked) {
          const fn = b.stack.find((f) => REVOKERS.includes(f));
          if (!fn) continue;
          for (const priv of w.ids('priv')) {
            if (!alive(w, priv) || field(w, priv, 'revoked') !== true) continue;
            const left = mappingsOf(w, priv);
            if (left.length > 0)
              return {
                kind: 'mapping-survives-revoke',
                message: `${fn} (thread ${b.thread}) is blocked for good at ${b.action}, every other thread done or blocked, while ${priv} is revoked and still mapped: ${left.join('; ')}`,
                thread: b.thread,
                stack: b.stack,
              };
          }
        }
        return null;
      },
    },
  ],
};
