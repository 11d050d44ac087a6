/**
 * Readings of the dma-buf model's world that the properties are stated over
 * (field and object names from model/dmabuf/objects.ts and model/dmabuf/upstream/). Reads
 * use `peek`: a monitor observes, it is not part of any thread.
 */
import type { Value } from '../../checker/value.ts';
import type { World } from '../../checker/world.ts';
import { isFreed } from '../../kernel/types.ts';

export const field = <T extends Value>(w: World, id: string, f: string): T => w.peek(id, f) as T;

/** Why the device cannot decode memory right now (closed, in reset, D3hot, MEM off), or null. */
export function decodeUnavailable(w: World, vdev: string): string | null {
  // open_count drops before close_device() runs; MMIO works until vfio_pci_core_disable() frees vconfig
  if (!field<boolean>(w, vdev, 'vconfig')) return `${vdev} is closed (disabled, vconfig freed)`;
  if (field<boolean>(w, vdev, 'in_reset')) return `${vdev} is in reset`;
  if (field<string>(w, vdev, 'power') !== 'D0') return `${vdev} is in ${field<string>(w, vdev, 'power')}`;
  if (!field<boolean>(w, vdev, 'no_command_memory') && !field<boolean>(w, vdev, 'cmd_mem'))
    return `memory decode of ${vdev} is disabled (COMMAND.MEM = 0)`;
  return null;
}

/** Why MMIO of `vdev`'s BAR is unavailable right now, or null when it is available. */
export function mmioUnavailable(w: World, vdev: string | null, bar: number): string | null {
  if (vdev === null) return 'the dma-buf has no device any more (orphaned by close)';
  const why = decodeUnavailable(w, vdev);
  if (why) return why;
  if (!field<number[]>(w, vdev, 'barmap').includes(bar)) return `BAR${bar} of ${vdev} is not set up (released)`;
  return null;
}

/** Whether the dma-buf's file is still alive (not on its way to release). */
export function alive(w: World, priv: string): boolean {
  const f = `${priv}.file`;
  return w.has(f) && !isFreed(w, f) && (w.peek(f, 'f_count') as number) > 0;
}

/** What still maps a dma-buf: importer sg/phys mappings, iommufd domains, CPU PTEs. */
export function mappingsOf(w: World, priv: string): string[] {
  const out: string[] = [];
  for (const att of w.ids('att'))
    if (field(w, att, 'dmabuf') === priv && w.state(att).startsWith('mapped'))
      out.push(`${att} (${field(w, att, 'kind')} importer ${field(w, att, 'importer')}) is ${w.state(att)}`);
  for (const pages of w.ids('pages'))
    if (field(w, pages, 'dmabuf') === priv && field(w, pages, 'domain_mapped') === true)
      out.push(`iommufd ${pages} still maps it into an IOMMU domain`);
  for (const vma of w.ids('vma'))
    if (field(w, vma, 'backing') === priv && w.state(vma) === 'populated') out.push(`CPU PTEs of ${vma} still map it`);
  return out;
}

/** The device's own BAR mmaps (not backed by a dma-buf) whose CPU PTEs are still there. */
export function barPtesOf(w: World, vdev: string): string[] {
  const out: string[] = [];
  for (const vma of w.ids('vma'))
    if (field(w, vma, 'vdev') === vdev && field(w, vma, 'backing') === 'device' && w.state(vma) === 'populated')
      out.push(`CPU PTEs of ${vma} (BAR${field(w, vma, 'bar')} at ${field(w, vma, 'vm_start')}) still map it`);
  return out;
}

export function privsOfDevice(w: World, vdev: string): string[] {
  return field<string[]>(w, vdev, 'dmabufs');
}
