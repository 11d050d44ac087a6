import type { Property } from '../property.ts';
import { mmioUnavailable } from './state.ts';

export const noMmioAccessWhileUnavailable: Property = {
  name: 'no-mmio-access-while-unavailable',
  domain: 'dmabuf',
  statement:
    'Every CPU or DMA access that reaches a BAR (an importer DMA through its sg mapping, device DMA through an iommufd domain, a CPU load/store through a populated PTE, an ioread/iowrite of a read()/write() of the device fd) happens while the device is open, its memory decode is enabled (D0 and COMMAND.MEM, or no_command_memory), it is not in reset and the BAR is set up. An importer may still access between invalidate_mappings and the signal of its fence, as the dma-buf contract allows; that is legal only while MMIO is still available, which the revoker must ensure by waiting before it disables memory.',
  checked: ['every step'],
  kinds: ['mmio-while-unavailable'],
  limits:
    'Accesses are explicit commands of the importer, iommufd and mmap actors; hardware prefetch and speculative reads after invalidate are not modelled. Memory decode is the virtual COMMAND.MEM and the D-state only; physical MSE toggling by vfio_pci_memory_lock_and_enable() is not modelled.',
  monitors: () => [
    {
      name: 'no-mmio-access-while-unavailable',
      onEvent(ev, exec) {
        if (ev.type !== 'mmio-access') return null;
        const why = mmioUnavailable(exec.world, ev.vdev as string | null, ev.bar as number);
        if (!why) return null;
        const who =
          ev.via === 'rw'
            ? 'a read()/write() of the device fd (vfio_pci_bar_rw)'
            : ev.via === 'cpu'
              ? ev.priv
                ? `CPU access through an mmap of ${String(ev.priv)}`
                : 'CPU access through a BAR mmap'
              : ev.via === 'dma'
                ? `importer DMA to ${String(ev.priv)}`
                : `device DMA through the iommufd mapping of ${String(ev.priv)}`;
        return { kind: 'mmio-while-unavailable', message: `${who} reached BAR${String(ev.bar)} while ${why}` };
      },
    },
  ],
};
