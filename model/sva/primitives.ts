/**
 * The Linux primitives of kernel/ the SVA model uses, as entries of its
 * function table: each takes the bound kernel `k` and passes on its thread's
 * ctx, so traces show `vfio_iommu_mm_exit > mutex_lock`.
 */
import * as file from '../../kernel/file.ts';
import * as refcount from '../../kernel/refcount.ts';
import * as slab from '../../kernel/slab.ts';
import { wait_event } from '../../kernel/wait.ts';
import { sleepingLockTable } from '../sleeping-locks.ts';
import type { SvaK, SvaPrimitives, SvaTable } from './functions.ts';

type PrimitiveTable = { readonly [N in keyof SvaPrimitives]: SvaTable[N] };

export const svaPrimitiveTable: PrimitiveTable = {
  ...sleepingLockTable<SvaK>(),
  refcount_inc: (k, obj, field) => refcount.refcount_inc(k.ctx, { obj, field }),
  refcount_inc_not_zero: (k, obj, field) => refcount.refcount_inc_not_zero(k.ctx, { obj, field }),
  refcount_dec_and_test: (k, obj, field) => refcount.refcount_dec_and_test(k.ctx, { obj, field }),
  kfree: (k, obj) => slab.kfree(k.ctx, obj),
  get_file: function* (k, f) {
    yield* file.get_file(k.ctx, f);
  },
  fput: (k, f) => file.fput(k.ctx, f),
  wait_event: (k, what, locs, cond) => wait_event(k.ctx, what, locs, cond),
};
