/**
 * before-double-free: 7.1 with the export error path of 6.19, before
 * e98137f0a874 "vfio/pci: Fix double free in dma-buf feature": when
 * dma_buf_fd() fails, err_dma_buf: dma_buf_put() (whose release puts the
 * registration and frees priv) falls through into err_dev_put and err_free_priv.
 */
import { defineVariant } from '../../design.ts';
import { upstream71 } from '../upstream/index.ts';
import { install_fd_double_free } from './merged-6.19.ts';

export default defineVariant(upstream71, {
  name: 'before-double-free',
  summary: 'dma_buf_fd() failure: dma_buf_put() then vfio_device_put_registration() and kfree(priv) again',
  source: 'Linux 6.19 export error path; fixed by e98137f0a874',
  differences: ['vfio_pci_core_feature_dma_buf: err_dma_buf falls through to err_dev_put and err_free_priv'],
  replace: { export_install_fd: install_fd_double_free },
  bounds: { exported: 0, exports: 1, sync: 0 },
  focus: ['export_dmabuf'],
});
