/**
 * before-pinned-importer: 7.1 without the attach-time revocability filter
 * (dma_buf_attach_revocable(), "vfio: Permit VFIO to work with pinned
 * importers"): an importer with no invalidate_mappings op (RDMA pinned umem)
 * attaches, pins and maps; a revoke then waits forever for an unmap that only
 * comes when the memory region's owner lets go (kernel-upstream.md §11.6).
 */
import { defineVariant } from '../../design.ts';
import { upstream71 } from '../upstream/index.ts';
import { attach_no_revocable_check } from './merged-6.19.ts';

export default defineVariant(upstream71, {
  name: 'before-pinned-importer',
  summary: 'A pinned importer without invalidate_mappings is accepted: revoke blocks forever holding memory_lock',
  source: '7.1 "dmabuf-revoke" series before dma_buf_attach_revocable() (kernel-upstream.md §11.6)',
  differences: ['vfio_pci_dma_buf_attach: no dma_buf_attach_revocable() check'],
  replace: { vfio_pci_dma_buf_attach: attach_no_revocable_check },
  bounds: { sync: 0, pinned: 1 },
  focus: ['config_write_command'],
});
