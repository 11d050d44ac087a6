/**
 * Where a mapping lands in its process and which mapping an address is in (mm/mmap.c, mm/vma.c):
 * get_unmapped_area() picks the range of each mmap, the VMA records it as [vm_start, vm_end), and
 * find_vma() resolves an address back to the VMA, so two mappings of one BAR or one dma-buf are two
 * VMAs at two addresses and a scenario can tell them apart.
 *
 * Simplification (docs/functions.md): get_unmapped_area() is a bump allocator per mm, page granular,
 * upwards from MMAP_BASE, that never hands a range out twice. The kernel's
 * arch_get_unmapped_area_topdown() searches the VMA tree for a gap below mmap_base and reuses what
 * munmap freed; no model path depends on an address being reused. The bump pointer is the highest
 * vm_end of the VMAs the mm has had (the model keeps a VMA object after its munmap, in state
 * unmapped), so the mm needs no field of its own and an mmap that fails before its VMA exists
 * (vfio_pci_core_mmap's checks) uses up nothing, as in the kernel.
 */
import type { Ctx } from '../../../checker/context.ts';
import type { Ref } from '../../../checker/kind.ts';
import type { UserAddr } from '../arguments.ts';
import type { K } from '../functions.ts';
import { lifecycles } from '../machines/index.ts';
import { vmaKind } from '../objects.ts';
import { PAGE_SIZE } from '../resources.ts';

/** The lowest address an mmap gets (the model's mmap_base; small, so traces and scenario files read well). */
export const MMAP_BASE = 16 * PAGE_SIZE;

const end = (ctx: Ctx, vma: Ref<'vma'>) => ctx.get(vma, 'vm_end');

/**
 * get_unmapped_area(file, 0, len, pgoff, flags) (mm/mmap.c → mm_get_unmapped_area()): no hint, no
 * MAP_FIXED; `len` is page aligned already (do_mmap() PAGE_ALIGNs it).
 */
export function* get_unmapped_area(k: K, mm: Ref<'process'>, _len: number) {
  const { ctx } = k;
  let top = MMAP_BASE;
  for (const vma of ctx.ids(vmaKind)) {
    if (ctx.get(vma, 'proc') === mm && end(ctx, vma) > top) top = end(ctx, vma);
  }
  return top;
}

/**
 * vm_area_alloc(mm) and vma_set_range(vma, addr, addr + len, pgoff) of mmap_region(): the VMA of
 * `fields.proc` at the address get_unmapped_area() gave. `fields` are the model's own (device,
 * BAR, backing, the mmap's range when it gave one); vm_start and vm_end come last.
 */
export function vm_area_alloc(ctx: Ctx, fields: Record<string, string | number | null>, addr: number, len: number): Ref<'vma'> {
  return ctx.create(vmaKind, { ...fields, vm_start: addr, vm_end: addr + len }, lifecycles.vma) as Ref<'vma'>;
}

/**
 * find_vma(mm, addr) (mm/mmap.c): "Look up the first VMA which satisfies addr < vm_end, NULL if
 * none", among the VMAs the mm has now (mmap_lock held by the caller). Callers check
 * vm_start <= addr themselves, as lock_mm_and_find_vma() does.
 */
export function* find_vma(k: K, mm: Ref<'process'>, addr: number) {
  const { ctx } = k;
  let found: Ref<'vma'> | null = null;
  for (const vma of ctx.ids(vmaKind)) {
    if (ctx.get(vma, 'proc') !== mm || ctx.state(vma) === 'unmapped') continue;
    if (addr >= end(ctx, vma)) continue;
    if (found === null || ctx.get(vma, 'vm_start') < ctx.get(found, 'vm_start')) found = vma;
  }
  return found;
}

/** The address a UserAddr stands for: its own, or the start of the VMA it names. */
export function userAddr(ctx: Ctx, at: UserAddr): number {
  return at.addr ?? ctx.get(at.vma as Ref<'vma'>, 'vm_start');
}

/** Whether `addr` is in [vm_start, vm_end) of `vma`. */
export function holdsAddr(ctx: Ctx, vma: Ref<'vma'>, addr: number): boolean {
  return ctx.get(vma, 'vm_start') <= addr && addr < end(ctx, vma);
}

/**
 * The VMA whose range holds `addr`, in any state: what a page-table walk of the address reaches
 * (the model keeps PTEs in the VMA's state). Ranges are never reused, so the answer for an address
 * only ever goes from none to one VMA, which then stays the one.
 */
export function vmaHolding(ctx: Ctx, mm: Ref<'process'>, addr: number): string | null {
  for (const vma of ctx.ids(vmaKind)) {
    if (ctx.get(vma, 'proc') !== mm) continue;
    if (holdsAddr(ctx, vma, addr)) return vma;
  }
  return null;
}
