/**
 * before-close-order: 7.1 with the close ordering of 6.19, before d97708701434
 * "vfio/pci: Clean up DMABUFs before disabling function" (from Evans RFC v1):
 * "a tiny window exists in which the function's MSE is cleared and yet BARs
 * could still be accessed via the DMABUF" (seed 002, patch 02/10).
 */
import { defineVariant } from '../../design.ts';
import { upstream71 } from '../upstream/index.ts';
import { close_disable_then_cleanup } from './merged-6.19.ts';

export default defineVariant(upstream71, {
  name: 'before-close-order',
  summary: 'close_device disables the function (BARs released, vconfig freed) before cleaning up dma-bufs',
  source: 'Linux 6.19 close order; fixed by d97708701434 (7.1-rc)',
  differences: ['vfio_pci_core_close_device: vfio_pci_core_disable() before vfio_pci_dma_buf_cleanup()'],
  replace: { vfio_pci_core_close_device: close_disable_then_cleanup },
  focus: ['close_device_fd'],
});
