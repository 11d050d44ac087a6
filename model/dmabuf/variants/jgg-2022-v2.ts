/**
 * jgg-2022-v2: Jason Gunthorpe, "[v2,4/4] vfio/pci: Allow MMIO regions to be
 * exported through dma-buf", 31 Aug 2022 (seed 001; docs/seeds.md §001).
 */
import { defineVariant } from '../../design.ts';
import { upstream71 } from '../upstream/index.ts';
import { SEED_ERA } from './seed-era.ts';

export default defineVariant(upstream71, {
  name: 'jgg-2022-v2',
  summary: 'Seed 001: single-range export, dma_buf_try_get, .pin → -EINVAL, move_notify with no waits, disable then cleanup',
  source: 'seed 001 (Jason Gunthorpe, v2 4/4, 2022-08-31, not merged)',
  differences: [
    'export: vfio_device_get() inside memory_lock and resv after dma_buf_export; dma_buf_fd() failure leaks; -ERANGE for bad input',
    '.attach: pci_p2pdma_distance_many() on priv->vdev (no NULL check, no revoked check); failure clears peer2peer and returns 0',
    '.map_dma_buf: !peer2peer → -EPERM, revoked → -ENODEV, no kref; .pin → -EINVAL',
    'vfio_pci_dma_buf_move: dma_buf_try_get(), revoked = x, dma_buf_move_notify(), dma_buf_put(); no waits',
    'cleanup under resv, no waits; close_device: disable() then cleanup()',
    'only PCI_COMMAND, VFIO_DEVICE_RESET and hot reset revoke: PM_CTRL, FLR and LOW_POWER_ENTRY do not; hot reset undo has no open_count guard',
  ],
  replace: {
    ...SEED_ERA,
  },
  bounds: { exports: 1 },
  focus: ['config_write_pm', 'close_device_fd', 'export_dmabuf'],
});
