/**
 * The kernel function each table entry belongs to. Most entries are named
 * after the kernel function they model; a few model one piece of a larger
 * kernel function (a branch or an error path split out so a variant can
 * replace just that piece), and say here which function that is, so that a
 * patch to the kernel function is known to concern them (`variant new
 * --from-patch`, docs/variants.md).
 */
import type { ModelFunctions } from './functions.ts';

export const PART_OF: { readonly [N in keyof ModelFunctions]?: string } = {
  // the tail of the export ioctl: dma_buf_fd() and its error path
  export_install_fd: 'vfio_pci_core_feature_dma_buf',
  // the guard of the hot-reset undo loop
  hot_reset_may_unrevoke: 'vfio_pci_dev_set_hot_reset',
};

/** The kernel function a table entry belongs to: its own name unless PART_OF says otherwise. */
export function kernelFunctionOf(entry: string): string {
  return (PART_OF as Readonly<Record<string, string>>)[entry] ?? entry;
}
