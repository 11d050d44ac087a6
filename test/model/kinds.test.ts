/**
 * Declared kinds (model/dmabuf/kinds.ts): a new object gets the declared fields in the
 * declared order with the given ones over them (what traces and files show), and
 * the typed handles reject at compile time what the declaration does not allow
 * (`npx tsc --noEmit` fails if a @ts-expect-error below stops being an error).
 */
import { describe, expect, it } from 'vitest';
import { Ctx } from '../../checker/context.ts';
import { createIn, type Ref } from '../../checker/kind.ts';
import { World } from '../../checker/world.ts';
import * as kinds from '../../model/dmabuf/kinds.ts';
import { priv } from '../../model/dmabuf/kinds.ts';
import { devSetId, procId, vdevId } from '../../model/dmabuf/objects.ts';

const revokedOf = (ctx: Ctx, p: Ref<'priv'>): boolean => ctx.get(p, 'revoked');

const hooks = { emit: () => {}, note: () => {}, defer: () => {}, stack: [] as string[] };

describe('declared kinds', () => {
  it('make() creates the declared fields in their order, ids spelled as before', () => {
    const w = new World(true);
    const ctx = new Ctx('t', w, hooks);
    const p = ctx.make(priv, { vdev: vdevId(0), bar: 2 });
    expect(p).toBe('priv0');
    expect(w.describe(p)).toEqual({
      kind: 'priv',
      state: 'allocated',
      fields: { vdev: vdevId(0), revoked: false, nr_ranges: 1, bar: 2, attachments: [], status: 'OK' },
    });
    expect(Object.keys(w.describe(p).fields)).toEqual(['vdev', 'revoked', 'nr_ranges', 'bar', 'attachments', 'status']);
    const revoked: boolean = ctx.get(p, 'revoked');
    expect(revoked).toBe(false);
    ctx.send(p, { type: 'EXPORT' });
    ctx.send(p, { type: 'LINK' });
    expect(w.state(p)).toBe('linked');
    ctx.set(p, 'status', 'TEMP');
    expect(ctx.get(p, 'status')).toBe('TEMP');
  });

  it('revocation is stored once: priv->revoked is the view status != OK', () => {
    const w = new World(true);
    const ctx = new Ctx('t', w, hooks);
    const p = ctx.make(priv, { vdev: vdevId(0), revoked: true });
    expect([ctx.get(p, 'revoked'), ctx.get(p, 'status')]).toEqual([true, 'TEMP']);
    ctx.set(p, 'revoked', false);
    expect([ctx.get(p, 'revoked'), ctx.get(p, 'status')]).toEqual([false, 'OK']);
    ctx.set(p, 'status', 'PERM');
    expect(ctx.get(p, 'revoked')).toBe(true);
    // priv->revoked = true on a permanently revoked buffer leaves it permanent
    ctx.set(p, 'revoked', true);
    expect(ctx.get(p, 'status')).toBe('PERM');
    // the machine keeps no copy: old designs' revocation events change nothing
    ctx.send(p, { type: 'EXPORT' });
    ctx.send(p, { type: 'LINK', revoked: false });
    expect(w.send(p, { type: 'UNREVOKE' })).toBe(true);
    expect([w.state(p), ctx.get(p, 'revoked')]).toEqual(['linked', true]);
    // one fact, one place: worlds that agree on status are one state, however it was written
    const a = new World(true);
    const b = new World(true);
    const pa = new Ctx('t', a, hooks).make(priv, { vdev: vdevId(0), status: 'TEMP' });
    const pb = new Ctx('t', b, hooks).make(priv, { vdev: vdevId(0), revoked: true });
    expect([pa, a.key()]).toEqual([pb, b.key()]);
    expect(a.describe(pa)).toEqual(b.describe(pb));
  });

  it('the compiler checks handles, fields, values and events', () => {
    const w = new World(false);
    const ctx = new Ctx('t', w, hooks);
    const p = ctx.make(priv, { vdev: vdevId(0) });
    const attempts = [
      // @ts-expect-error: priv has no field 'revokd'
      () => ctx.get(p, 'revokd'),
      // @ts-expect-error: status is 'OK' | 'TEMP' | 'PERM'
      () => ctx.set(p, 'status', 'GONE'),
      // @ts-expect-error: LINK's revoked, when a design still gives it, is a boolean
      () => ctx.send(p, { type: 'LINK', revoked: 1 }),
      // @ts-expect-error: no such event in the dma-buf machine
      () => ctx.send(p, { type: 'DETACH' }),
      // @ts-expect-error: a handle of another kind is not a priv
      () => revokedOf(ctx, 'att0' as Ref<'att'>),
    ];
    // plain ids keep today's unchecked forms
    expect(ctx.get<string>('priv0' as string, 'vdev')).toBe('vdev0');
    expect(() => attempts[0]?.()).toThrow(/no field revokd/);
  });

  it('the other dma-buf kinds are declared too: their id schemes and fields are typed', () => {
    const w = new World(false);
    const ctx = new Ctx('t', w, hooks);
    const vdev = createIn(w, kinds.vdev, { dev_set: devSetId(0) }, vdevId(0));
    const p = ctx.make(priv, { vdev });
    const att = ctx.make(kinds.attachment, { dmabuf: p, kind: 'sync' });
    ctx.set(vdev, 'dmabufs', [p]);
    // a field holding another object's id reads as that kind's handle
    const owner: Ref<'priv'> = ctx.get(att, 'dmabuf');
    const linked: readonly Ref<'priv'>[] = ctx.get(vdev, 'dmabufs');
    expect([owner, linked, ctx.state(att)]).toEqual(['priv0', ['priv0'], 'attaching']);
    const attempts = [
      // @ts-expect-error: a dma-buf's id is no device handle
      () => ctx.get(p, 'dmabufs'),
      // @ts-expect-error: vdev->dmabufs lists dma-bufs, not attachments
      () => ctx.set(vdev, 'dmabufs', [att]),
      // @ts-expect-error: the importer kinds are static, sync, fence and iommufd
      () => ctx.make(kinds.attachment, { dmabuf: p, kind: 'kvm' }),
      // @ts-expect-error: the attachment machine has no LINK
      () => ctx.send(att, { type: 'LINK' }),
      // @ts-expect-error: procId names a process, not a device
      () => ctx.get(procId('primary'), 'open_count'),
    ];
    expect(attempts).toHaveLength(5);
  });
});
