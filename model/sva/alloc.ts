/**
 * kzalloc() of an object that has a lifecycle machine: as kernel/slab.ts
 * kzalloc (a `__freed` field for KASAN-like checks, an `alloc` event), with the
 * machine attached so that `ctx.send` works on it. The kind is a declared one
 * (kinds.ts), so the id comes back as its typed handle. (Objects kzalloc'ed at
 * setup are made by createIn: their declarations give `__freed` last.)
 */
import type { Ctx } from '../../checker/context.ts';
import type { EventOf, FieldsOf, KindName, Ref } from '../../checker/kind.ts';
import type { Value } from '../../checker/value.ts';
import type { Lifecycle } from '../../checker/world.ts';
import { FREED } from '../../kernel/types.ts';

export function kzallocLc<K extends KindName>(
  ctx: Ctx,
  kind: K,
  fields: Omit<FieldsOf<K>, typeof FREED>,
  lifecycle: Lifecycle<EventOf<K>>,
): Ref<K> {
  const obj = ctx.create(kind, { ...(fields as Record<string, Value>), [FREED]: false }, lifecycle as Lifecycle);
  ctx.emit({ type: 'alloc', obj, kind });
  return obj as Ref<K>;
}
