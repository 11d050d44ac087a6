/**
 * The `upstream-7.1` design: the merged kernel as of 7.1 (kernel-upstream.md),
 * including the iommufd private interconnect of seed 004.
 */
import { rootDesign } from '../design.ts';
import type { FunctionTable } from '../functions.ts';
import { primitiveTable } from '../primitives.ts';
import * as dmaBuf from './dma_buf.ts';
import * as importers from './importers.ts';
import * as iommufd from './iommufd.ts';
import * as main from './vfio_main.ts';
import * as config from './vfio_pci_config.ts';
import * as core from './vfio_pci_core.ts';
import * as dmabuf from './vfio_pci_dmabuf.ts';

const { VFIO_PCI_ROM_REGION_INDEX: _rom, ...dmabufFns } = dmabuf;
const { fdNumber: _fd, DMA_BUF_FOPS: _f1, VFIO_DEVICE_FOPS: _f2, ...dmaBufFns } = dmaBuf;

export const upstreamFunctions: FunctionTable = {
  ...primitiveTable,
  ...dmabufFns,
  ...dmaBufFns,
  ...importers,
  ...iommufd,
  ...config,
  ...core,
  ...main,
} as FunctionTable;

export const upstream71 = rootDesign({
  name: 'upstream-7.1',
  summary: 'The merged kernel as of 7.1: revoke waits for fences and unmaps, cleanup before disable, kref re-armed after revoke',
  source: 'Linux 7.1 (gregkh/linux 2519003dd5fb, 1129c0011b90; vfio_pci_dmabuf.c with c64a647c84f3 and 702809dabdec)',
  differences: [],
  functions: upstreamFunctions,
  domain: 'dmabuf',
});
