/**
 * The `upstream-7.1` design: the merged kernel as of 7.1 (kernel-upstream.md),
 * including the iommufd private interconnect of seed 004.
 */
import { rootDesign } from '../../design.ts';
import type { FunctionTable } from '../functions.ts';
import { primitiveTable } from '../primitives.ts';
import * as dmaBuf from './dma_buf.ts';
import * as fault from './fault.ts';
import * as file from './file.ts';
import * as importers from './importers.ts';
import * as iommufd from './iommufd.ts';
import * as mmap from './mmap.ts';
import * as uaccess from './uaccess.ts';
import * as group from './vfio_group.ts';
import * as main from './vfio_main.ts';
import * as config from './vfio_pci_config.ts';
import * as core from './vfio_pci_core.ts';
import * as dmabuf from './vfio_pci_dmabuf.ts';
import * as rdwr from './vfio_pci_rdwr.ts';

/** Every function of the design, each named once: `satisfies` checks that none is missing, extra or of the wrong type. */
const table = {
  ...primitiveTable,
  // vfio_pci_dmabuf.c
  export_install_fd: dmabuf.export_install_fd,
  list_add_tail_dmabuf: dmabuf.list_add_tail_dmabuf,
  list_del_init_dmabuf: dmabuf.list_del_init_dmabuf,
  set_revoked: dmabuf.set_revoked,
  vfio_pci_core_feature_dma_buf: dmabuf.vfio_pci_core_feature_dma_buf,
  vfio_pci_core_ioctl_dmabuf_revoke: dmabuf.vfio_pci_core_ioctl_dmabuf_revoke,
  vfio_pci_dma_buf_attach: dmabuf.vfio_pci_dma_buf_attach,
  vfio_pci_dma_buf_cleanup: dmabuf.vfio_pci_dma_buf_cleanup,
  vfio_pci_dma_buf_done: dmabuf.vfio_pci_dma_buf_done,
  vfio_pci_dma_buf_iommufd_map: dmabuf.vfio_pci_dma_buf_iommufd_map,
  vfio_pci_dma_buf_map: dmabuf.vfio_pci_dma_buf_map,
  vfio_pci_dma_buf_move: dmabuf.vfio_pci_dma_buf_move,
  vfio_pci_dma_buf_release: dmabuf.vfio_pci_dma_buf_release,
  vfio_pci_dma_buf_unmap: dmabuf.vfio_pci_dma_buf_unmap,
  // dma-buf core (drivers/dma-buf/dma-buf.c)
  close_dmabuf_fd: dmaBuf.close_dmabuf_fd,
  dma_buf_attach_revocable: dmaBuf.dma_buf_attach_revocable,
  dma_buf_detach: dmaBuf.dma_buf_detach,
  dma_buf_dynamic_attach: dmaBuf.dma_buf_dynamic_attach,
  dma_buf_export: dmaBuf.dma_buf_export,
  dma_buf_fd: dmaBuf.dma_buf_fd,
  fd_install: dmaBuf.fd_install,
  dma_buf_get: dmaBuf.dma_buf_get,
  is_dma_buf_file: dmaBuf.is_dma_buf_file,
  dma_buf_invalidate_mappings: dmaBuf.dma_buf_invalidate_mappings,
  dma_buf_map_attachment: dmaBuf.dma_buf_map_attachment,
  dma_buf_mmap_internal: dmaBuf.dma_buf_mmap_internal,
  dma_buf_pin: dmaBuf.dma_buf_pin,
  dma_buf_put: dmaBuf.dma_buf_put,
  dma_buf_release: dmaBuf.dma_buf_release,
  dma_buf_unmap_attachment: dmaBuf.dma_buf_unmap_attachment,
  dma_buf_unpin: dmaBuf.dma_buf_unpin,
  vfio_pci_dma_buf_mmap: dmaBuf.vfio_pci_dma_buf_mmap,
  vfio_pci_dma_buf_mmap_fault: dmaBuf.vfio_pci_dma_buf_mmap_fault,
  vfio_pci_dma_buf_pin: dmaBuf.vfio_pci_dma_buf_pin,
  // importers (their dma_buf_attach_ops)
  fence_importer_invalidate_mappings: importers.fence_importer_invalidate_mappings,
  importer_detach: importers.importer_detach,
  importer_dma_access: importers.importer_dma_access,
  importer_dma_resv_lock: importers.importer_dma_resv_lock,
  importer_fence_signal: importers.importer_fence_signal,
  importer_invalidate_mappings: importers.importer_invalidate_mappings,
  importer_map: importers.importer_map,
  importer_pin: importers.importer_pin,
  importer_unmap: importers.importer_unmap,
  sync_importer_invalidate_mappings: importers.sync_importer_invalidate_mappings,
  // iommufd (drivers/iommu/iommufd/pages.c, io_pagetable.c)
  iommufd_dma_access: iommufd.iommufd_dma_access,
  iopt_area_fill_domains: iommufd.iopt_area_fill_domains,
  iopt_map_dmabuf: iommufd.iopt_map_dmabuf,
  iopt_map_file_pages: iommufd.iopt_map_file_pages,
  iopt_release_pages: iommufd.iopt_release_pages,
  iopt_revoke_notify: iommufd.iopt_revoke_notify,
  // vfio_pci_config.c
  __vfio_pci_memory_enabled: config.__vfio_pci_memory_enabled,
  pci_try_reset_function: config.pci_try_reset_function,
  vfio_basic_config_write_command: config.vfio_basic_config_write_command,
  vfio_exp_config_write_flr: config.vfio_exp_config_write_flr,
  vfio_lock_and_set_power_state: config.vfio_lock_and_set_power_state,
  vfio_pci_set_power_state: config.vfio_pci_set_power_state,
  vfio_pci_zap_and_down_write_memory_lock: config.vfio_pci_zap_and_down_write_memory_lock,
  vfio_pci_zap_bars: config.vfio_pci_zap_bars,
  // vfio_pci_core.c
  __vfio_pci_runtime_pm_exit: core.__vfio_pci_runtime_pm_exit,
  cpu_access: core.cpu_access,
  hot_reset_may_unrevoke: core.hot_reset_may_unrevoke,
  pci_reset_bus: core.pci_reset_bus,
  vfio_device_fops_release: core.vfio_device_fops_release,
  vfio_df_open: core.vfio_df_open,
  vfio_pci_core_close_device: core.vfio_pci_core_close_device,
  vfio_pci_core_disable: core.vfio_pci_core_disable,
  vfio_pci_core_mmap: core.vfio_pci_core_mmap,
  vfio_pci_core_runtime_resume: core.vfio_pci_core_runtime_resume,
  vfio_pci_core_setup_barmap: core.vfio_pci_core_setup_barmap,
  vfio_pci_dev_set_hot_reset: core.vfio_pci_dev_set_hot_reset,
  vfio_pci_ioctl_reset: core.vfio_pci_ioctl_reset,
  vfio_pci_mmap_huge_fault: core.vfio_pci_mmap_huge_fault,
  vfio_pci_munmap: core.vfio_pci_munmap,
  vfio_pci_runtime_pm_entry: core.vfio_pci_runtime_pm_entry,
  vfio_pci_runtime_pm_exit: core.vfio_pci_runtime_pm_exit,
  vfio_pci_set_irqs_ioctl: core.vfio_pci_set_irqs_ioctl,
  // vfio_pci_rdwr.c (and vfio_pci_core_read/write, vfio_pci_rw of vfio_pci_core.c)
  vfio_pci_bar_rw: rdwr.vfio_pci_bar_rw,
  vfio_pci_core_do_io_rw: rdwr.vfio_pci_core_do_io_rw,
  vfio_pci_core_ioread: rdwr.vfio_pci_core_ioread,
  vfio_pci_core_iowrite: rdwr.vfio_pci_core_iowrite,
  vfio_pci_core_read: rdwr.vfio_pci_core_read,
  vfio_pci_core_write: rdwr.vfio_pci_core_write,
  vfio_pci_iordwr: rdwr.vfio_pci_iordwr,
  vfio_pci_rw: rdwr.vfio_pci_rw,
  // user copies (include/linux/uaccess.h)
  copy_from_user: uaccess.copy_from_user,
  copy_to_user: uaccess.copy_to_user,
  // arch/x86/mm/fault.c, mm/memory.c
  do_user_addr_fault: fault.do_user_addr_fault,
  handle_mm_fault: fault.handle_mm_fault,
  lock_mm_and_find_vma: fault.lock_mm_and_find_vma,
  // fs/file.c, fs/open.c
  close_fd: file.close_fd,
  filp_close: file.filp_close,
  ksys_dup: file.ksys_dup,
  // group.c, container.c (the group path, bound vfio_group)
  vfio_container_put: group.vfio_container_put,
  vfio_df_group_open: group.vfio_df_group_open,
  vfio_fops_release: group.vfio_fops_release,
  vfio_group_detach_container: group.vfio_group_detach_container,
  vfio_group_fops_release: group.vfio_group_fops_release,
  vfio_group_unuse_container: group.vfio_group_unuse_container,
  vfio_group_use_container: group.vfio_group_use_container,
  // mm/mmap.c
  find_vma: mmap.find_vma,
  get_unmapped_area: mmap.get_unmapped_area,
  // vfio_main.c
  vfio_device_put_registration: main.vfio_device_put_registration,
  vfio_device_try_get_registration: main.vfio_device_try_get_registration,
  vfio_unregister_group_dev: main.vfio_unregister_group_dev,
} satisfies FunctionTable;

/** As a FunctionTable, so that variants may replace a function by any of its type (one that yields where this one does not). */
export const upstreamFunctions: FunctionTable = table;

export const upstream71 = rootDesign({
  name: 'upstream-7.1',
  summary: 'The merged kernel as of 7.1: revoke waits for fences and unmaps, cleanup before disable, kref re-armed after revoke',
  source: 'Linux 7.1 (gregkh/linux 2519003dd5fb, 1129c0011b90; vfio_pci_dmabuf.c with c64a647c84f3 and 702809dabdec)',
  differences: [],
  functions: upstreamFunctions,
  domain: 'dmabuf',
});
