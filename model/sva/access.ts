/**
 * kernel/slab.ts load() and store() (plain C loads and stores, with the
 * use-after-free check) typed by the kinds' declarations (kinds.ts): the same
 * functions, so nothing changes at run time; on a typed handle the field is
 * checked and its value comes back with the declared type (`load(ctx, bond,
 * 'io_mm')` is a `Ref<'io_mm'>`).
 */
import type { Ctx } from '../../checker/context.ts';
import type { FieldName, FieldsOf, Id, KindName, Ref } from '../../checker/kind.ts';
import type { Value } from '../../checker/value.ts';
import { load as slabLoad, store as slabStore } from '../../kernel/slab.ts';

export const load: {
  <K extends KindName, F extends FieldName<K>>(ctx: Ctx, obj: Ref<K>, field: F): FieldsOf<K>[F];
  <T extends Value = Value>(ctx: Ctx, obj: Id, field: string): T;
} = slabLoad;

export const store: {
  <K extends KindName, F extends FieldName<K>>(ctx: Ctx, obj: Ref<K>, field: F, value: Exclude<FieldsOf<K>[F], undefined>): void;
  (ctx: Ctx, obj: Id, field: string, value: Value): void;
} = slabStore;
