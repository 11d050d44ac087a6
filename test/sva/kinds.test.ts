/**
 * The SVA model's declared kinds (model/sva/kinds.ts): every object of a
 * declared kind in the initial world (made by setup, and by the design's own
 * bind and set-container code run there) has exactly the declared fields in
 * the declared order (what traces, reports and files show) and the declared
 * lifecycle; the typed handles reject at compile time what a declaration does
 * not allow (`npx tsc --noEmit` fails if a @ts-expect-error below stops being
 * an error).
 */
import { describe, expect, it } from 'vitest';
import { Ctx } from '../../checker/context.ts';
import type { Ref } from '../../checker/kind.ts';
import { World } from '../../checker/world.ts';
import { svaDomain } from '../../model/sva/domain.ts';
import * as kinds from '../../model/sva/kinds.ts';
import { JOBS, PASID_IDR, taskId } from '../../model/sva/objects.ts';
import seed from '../../model/sva/variants/sva-2018-v2.ts';
import { systemOf } from '../../properties/system.ts';

const decls = [
  kinds.task,
  kinds.mm,
  kinds.container,
  kinds.vfioIommu,
  kinds.domain,
  kinds.group,
  kinds.device,
  kinds.vfioMm,
  kinds.ubuf,
  kinds.ioMm,
  kinds.bond,
  kinds.idr,
  kinds.workqueue,
  kinds.jobs,
];

/** what kfree() adds to an object it frees */
const KFREE_FIELDS = ['__freed_by', '__freed_stack'];

function setupWorld(): World {
  const w = new World(true);
  systemOf(svaDomain, seed).setup(w, { procs: 2, groups: 2, bound: 1, max_pasid: 8, kworker: 1, faults: 1 });
  return w;
}

describe('the SVA kinds', () => {
  it('are declared under their run-time kind names, once each', () => {
    expect(decls.map((d) => d.kind)).toEqual([
      'task_struct',
      'mm',
      'vfio_container',
      'vfio_iommu',
      'vfio_domain',
      'vfio_group',
      'device',
      'vfio_mm',
      'ubuf',
      'io_mm',
      'iommu_bond',
      'idr',
      'workqueue',
      'jobs',
    ]);
  });

  it('give every object of the initial world its declared fields, in order, and its declared lifecycle', () => {
    const w = setupWorld();
    const seen = new Set<string>();
    for (const id of w.ids()) {
      const decl = decls.find((d) => d.kind === w.kind(id));
      if (decl === undefined) continue;
      seen.add(decl.kind);
      const { fields, state } = w.describe(id);
      expect([id, Object.keys(fields).filter((f) => !KFREE_FIELDS.includes(f))]).toEqual([id, Object.keys(decl.init)]);
      expect([id, state !== null]).toEqual([id, decl.lifecycle !== null]);
    }
    // setup's bind of process 1 makes the SVA core's and type1's objects too
    expect([...seen].sort()).toEqual(decls.map((d) => d.kind).sort());
  });

  it('type the handles of objects.ts', () => {
    const w = setupWorld();
    const ctx = new Ctx('t', w, { emit: () => {}, note: () => {}, defer: () => {}, stack: [] });
    const max: number = ctx.get(PASID_IDR, 'max_pasid');
    expect(max).toBe(8);
    const mm: Ref<'mm'> | null = ctx.get(taskId(1), 'mm');
    expect(mm).toBe('mm1');
    expect(ctx.get(JOBS, 'jobs').map((j) => j.mm)).toEqual(['mm1']);
    if (mm === null) throw new Error('no mm');
    // @ts-expect-error: an mm_struct's lifecycle has no LIST_ADD
    expect(() => ctx.send(mm, { type: 'LIST_ADD' })).toThrow();
    // compile-time only (never called): fields a declaration does not have
    const wrong = [
      // @ts-expect-error: the idr has no such field
      () => ctx.get(PASID_IDR, 'pasid'),
      // @ts-expect-error: a task handle is no mm handle
      () => ctx.get(taskId(1), 'mm_users'),
      // @ts-expect-error: max_pasid is a number
      () => ctx.set(PASID_IDR, 'max_pasid', 'eight'),
    ];
    expect(wrong).toHaveLength(3);
  });
});
