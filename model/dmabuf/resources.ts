/**
 * The PCI resources of the model's devices (struct pci_dev.resource[]): which BARs a
 * device implements is its `bars` field; every implemented BAR has the same length.
 * Two pages, so that a range inside a BAR, one past its end and one straddling it can
 * be told apart by the paths that check them.
 */
import type { Ctx } from '../../checker/context.ts';
import type { Ref } from '../../checker/kind.ts';
import type { DmaRange } from './arguments.ts';

export const PAGE_SIZE = 4096;
export const BAR_LEN = 2 * PAGE_SIZE;

/** VFIO region indexes (include/uapi/linux/vfio.h): BAR0..BAR5, then ROM, config, VGA. */
export const VFIO_PCI_BAR5_REGION_INDEX = 5;
export const VFIO_PCI_ROM_REGION_INDEX = 6;
export const VFIO_PCI_NUM_REGIONS = 9;

/** pci_resource_start(pdev, bar) != 0: the device implements the BAR (the ROM is never implemented here). */
export function pci_resource_start(ctx: Ctx, vdev: Ref<'vdev'>, bar: number): boolean {
  return ctx.get(vdev, 'bars').includes(bar);
}

/** pci_resource_len(pdev, bar): 0 for a BAR the device does not implement. */
export function pci_resource_len(ctx: Ctx, vdev: Ref<'vdev'>, bar: number): number {
  return pci_resource_start(ctx, vdev, bar) ? BAR_LEN : 0;
}

/** validate_dmabuf_input(): every range non-empty and page-aligned (the total's overflow cannot happen at these sizes). */
export function validate_dmabuf_input(ranges: readonly DmaRange[]): boolean {
  return ranges.every((r) => r.length > 0 && r.offset % PAGE_SIZE === 0 && r.length % PAGE_SIZE === 0);
}

/** vfio_pci_core_fill_phys_vec()'s bound: every range ends inside the BAR (else -EINVAL). */
export function ranges_fit_bar(ctx: Ctx, vdev: Ref<'vdev'>, bar: number, ranges: readonly DmaRange[]): boolean {
  return ranges.every((r) => r.offset + r.length <= pci_resource_len(ctx, vdev, bar));
}

/**
 * priv->size, the dma-buf's size. Recorded on the buffer only by an export that gives its ranges;
 * one without them exports the whole BAR, and its buffer keeps the fields (and traces) it always had.
 */
export function dmabufSize(ctx: Ctx, priv: Ref<'priv'>): number {
  ctx.get(priv, 'nr_ranges'); // a read the search sees: size is written with nr_ranges, at creation only
  const size = ctx.world.describe(priv).fields.size;
  return typeof size === 'number' ? size : BAR_LEN;
}
