/**
 * A variant that ADDS AN ACTOR and AN OBJECT KIND. HYPOTHETICAL: what a
 * series mapping a VFIO dma-buf into a KVM guest would add, after the shape
 * of Xu Yilun's RFC "Private MMIO support for private assigned dev" (Jan
 * 2025), where KVM takes the MMIO of a memslot from a VFIO dma-buf fd instead
 * of from a userspace mapping. The function names below are this example's,
 * not the RFC's; how KVM holds its importer lock in the fault is inferred.
 *
 * - actor `kvm` (bound `kvm`, default 0): a vCPU thread of the VM. It creates
 *   a memslot over a dma-buf (KVM_SET_USER_MEMORY_REGION2 with a dma-buf fd:
 *   dma_buf_get, a dynamic attachment with an invalidate callback), the guest
 *   touches it twice (an EPT violation maps the attachment under the resv lock
 *   and installs the SPTE; a later access goes through the SPTE, with no
 *   kernel code at all), then deletes the memslot.
 * - object kind `kvm_memslot`: the SPTEs of the slot. Its machine extends the
 *   built-in VMA machine (empty ─FAULT_INSERT─► populated ─ZAP─► empty) with
 *   an `unbound` initial state (BIND once attached) and a DELETE event.
 * - table functions: the fault handler and the invalidate callback
 *   (`kvm_dmabuf_move_notify`: zap the slot, then unmap, as a sync importer
 *   does), so a further variant can replace either; the importer callback
 *   of the table dispatches to it for a memslot's attachment.
 *
 *   vfio-dmabuf-model run examples/scenarios/kvm-memslot-revoke.json --variant examples/variants/kvm-dmabuf-memslot.ts
 *   vfio-dmabuf-model check --variant examples/variants/kvm-dmabuf-memslot.ts --bound kvm=1 sync=0
 */
import type * as Api from '../../index.ts';

/** The bound table of this design: the model's functions plus the two it adds. */
export type K = Api.K & {
  kvm_dmabuf_page_fault(slot: string): Api.Gen<number>;
  kvm_dmabuf_move_notify(slot: string, att: string): Api.Gen<void>;
};

/** Its function table: a further variant (test/model/fixtures/kvm-memslot-no-zap.ts) replaces these by name too. */
export type Table = Api.FunctionTable & {
  kvm_dmabuf_page_fault(k: K, slot: string): Api.Gen<number>;
  kvm_dmabuf_move_notify(k: K, slot: string, att: string): Api.Gen<void>;
};

export type MemslotFields = { dmabuf: string; att: string | null; vcpu: string };
export type MemslotEvent = { type: 'BIND' } | { type: 'FAULT_INSERT' } | { type: 'ZAP' } | { type: 'DELETE' };

export default function design(api: typeof Api): Api.Design<Table> {
  const { defineVariant, designs, errno, extendMachine, machineKind, machines, objects } = api;
  const base = designs['upstream-7.1'] as Api.Design;

  /** The SPTEs of one memslot: the VMA machine, entered only once KVM is attached, and left by deleting the slot. */
  const memslotMachine = extendMachine(machines.vma, {
    id: 'kvm_memslot',
    initial: 'unbound',
    states: {
      unbound: { on: { BIND: 'empty', DELETE: 'unmapped' } },
      empty: { on: { DELETE: 'unmapped' } },
      populated: { on: { DELETE: 'unmapped' } },
    },
  });
  const events: MemslotEvent[] = [{ type: 'BIND' }, { type: 'FAULT_INSERT' }, { type: 'ZAP' }, { type: 'DELETE' }];
  const memslot = machineKind<'kvm_memslot', MemslotFields, MemslotEvent>(
    'kvm_memslot',
    { dmabuf: '', att: null, vcpu: '' },
    memslotMachine,
    events,
  );

  /** The calling vCPU's memslot (not deleted), or null. */
  const mine = (k: K): string | null =>
    k.ctx.ids(memslot.kind).find((s) => k.ctx.get(s, 'vcpu') === k.ctx.thread && k.ctx.state(s) !== 'unmapped') ?? null;

  /** The EPT violation handler for a dma-buf slot: map the attachment under its resv lock, then install the SPTE. */
  function* kvm_dmabuf_page_fault(k: K, slot: string) {
    const { ctx } = k;
    const att = ctx.get<string>(slot, 'att');
    const resv = objects.resv(ctx.get<string>(slot, 'dmabuf'));
    yield* k.dma_resv_lock(resv);
    // a revoked buffer does not map (-ENODEV): KVM exits to userspace with -EFAULT
    const ret = ctx.state(att).startsWith('mapped') ? 0 : yield* k.dma_buf_map_attachment(att);
    if (ret === 0 && ctx.state(slot) === 'empty') ctx.send(slot, { type: 'FAULT_INSERT' });
    yield* k.dma_resv_unlock(resv);
    return ret === 0 ? 0 : errno.EFAULT;
  }

  /** importer_ops->invalidate_mappings of KVM's attachment (resv held by the exporter): zap the SPTEs, then unmap. */
  function* kvm_dmabuf_move_notify(k: K, slot: string, att: string) {
    const { ctx } = k;
    ctx.send(slot, { type: 'ZAP' }); // kvm_zap_gfn_range() over the slot
    if (!ctx.state(att).startsWith('mapped')) return;
    ctx.send(att, { type: 'INVALIDATE' });
    yield* k.dma_buf_unmap_attachment(att);
  }

  /** The table's importer callback: KVM's for a memslot's attachment, the model's for every other importer. */
  function* importer_invalidate_mappings(k: Api.K, att: string): Api.Gen<void> {
    const slot = k.ctx.get<string>(att, 'importer');
    if (k.ctx.ids(memslot.kind).includes(slot)) return yield* (k as K).kvm_dmabuf_move_notify(slot, att);
    return yield* base.functions.importer_invalidate_mappings(k, att);
  }

  /** One guest access to the slot: through the SPTE if there is one (the check and the access are one step: hardware). */
  function* access(k: K, slot: string): Api.Gen<boolean> {
    const { ctx } = k;
    yield* k.schedule(`${ctx.thread}: guest access to ${slot}`, [slot]);
    if (ctx.state(slot) !== 'populated') return false;
    const priv = ctx.get<string>(slot, 'dmabuf');
    yield* k.mmio_access('cpu', priv, ctx.get<string | null>(priv, 'vdev'), ctx.get<number>(priv, 'bar'));
    return true;
  }

  const noArgs = { args: {}, takes: ['kvm memslot'], creates: [] };
  const kvm: Api.AddedActor = {
    bound: 'kvm',
    help: 'a vCPU of a KVM guest whose memslot is backed by a dma-buf (hypothetical)',
    ops: {
      kvm_set_memslot: {
        signature: {
          help: 'KVM_SET_USER_MEMORY_REGION2 with a dma-buf fd (hypothetical): attach KVM as an importer',
          args: {
            dmabuf: {
              help: 'the n-th dma-buf exported, or the name an export gave it',
              accepts: [
                { type: 'integer', min: 0, max: 3 },
                { type: 'handle', handle: 'dma-buf' },
              ],
            },
          },
          takes: ['dma-buf'],
          creates: ['kvm memslot'],
        },
        *run(k: K, args) {
          const { ctx } = k;
          const priv = ctx.ids('priv')[typeof args.dmabuf === 'number' ? args.dmabuf : -1];
          if (priv === undefined || mine(k)) return errno.EINVAL;
          const got = yield* k.dma_buf_get(priv);
          if (got !== 0) return got;
          const slot: string = ctx.make(memslot, { dmabuf: priv, vcpu: ctx.thread });
          const { ret, att } = yield* k.dma_buf_dynamic_attach(priv, 'sync', slot);
          if (ret !== 0 || att === null) {
            ctx.send(slot, { type: 'DELETE' });
            yield* k.dma_buf_put(priv);
            return ret;
          }
          ctx.set(slot, 'att', att);
          ctx.send(slot, { type: 'BIND' });
          return 0;
        },
      },
      kvm_guest_access: {
        signature: { help: 'the guest loads from the slot: through its SPTE, or an EPT violation that maps it first', ...noArgs },
        *run(k: K) {
          const slot = mine(k);
          if (!slot) return errno.EINVAL;
          if (yield* access(k, slot)) return 0;
          const ret = yield* k.kvm_dmabuf_page_fault(slot);
          if (ret !== 0) return ret;
          // the guest retries the instruction: the SPTE may have been zapped meanwhile
          return (yield* access(k, slot)) ? 0 : errno.EFAULT;
        },
      },
      kvm_delete_memslot: {
        signature: { help: 'KVM_SET_USER_MEMORY_REGION2 of size 0: zap, unmap, detach, drop the dma-buf', ...noArgs },
        *run(k: K) {
          const { ctx } = k;
          const slot = mine(k);
          if (!slot) return errno.EINVAL;
          const priv = ctx.get<string>(slot, 'dmabuf');
          const att = ctx.get<string>(slot, 'att');
          yield* k.dma_resv_lock(objects.resv(priv));
          ctx.send(slot, { type: 'ZAP' }); // kvm_arch_flush_shadow_memslot(): the SPTEs go first
          if (ctx.state(att).startsWith('mapped')) yield* k.dma_buf_unmap_attachment(att);
          yield* k.dma_resv_unlock(objects.resv(priv));
          // until the detach, a revoke still calls the slot's move_notify: the slot is deleted only after it
          yield* k.dma_buf_detach(att);
          ctx.send(slot, { type: 'DELETE' });
          yield* k.dma_buf_put(priv);
          return 0;
        },
      },
    },
    // vCPU i maps dma-buf i (of those the bounds export), touches it twice and deletes the slot
    thread: (i, b) => {
      const buffers = Math.max(1, (b.exported ?? 1) + (b.exports ?? 0));
      const op = (name: string, args = {}) => ({ op: name, args });
      return [op('kvm_set_memslot', { dmabuf: i % buffers }), op('kvm_guest_access'), op('kvm_guest_access'), op('kvm_delete_memslot')];
    },
  };

  // typed as the table it will have: defineVariant adds the two functions to it
  return defineVariant(base as Api.Design<Table>, {
    name: 'user-kvm-dmabuf-memslot',
    summary: 'a KVM memslot backed by a VFIO dma-buf (hypothetical): a vCPU actor and a memslot object kind',
    source: 'hypothetical, after the shape of Xu Yilun, "Private MMIO support for private assigned dev" (RFC, Jan 2025)',
    differences: [
      'adds actor kvm (bound kvm): vCPU threads that map a dma-buf into a memslot, touch it and delete it',
      'adds object kind kvm_memslot (the VMA machine extended with unbound/BIND and DELETE)',
      'importer_invalidate_mappings dispatches a memslot attachment to kvm_dmabuf_move_notify (zap, then unmap)',
    ],
    replace: { importer_invalidate_mappings },
    add: { functions: { kvm_dmabuf_page_fault, kvm_dmabuf_move_notify }, actors: { kvm }, kinds: { kvm_memslot: memslot } },
  });
}
