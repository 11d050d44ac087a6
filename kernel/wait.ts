import type { Ctx } from '../checker/context.ts';
import type { World } from '../checker/world.ts';
import { lockdep_wait } from './lockdep/annotate.ts';
import { primitives } from './primitive.ts';
import type { Gen } from './types.ts';

/**
 * wait_event() (include/linux/wait.h): sleep until a condition on shared state
 * holds. `locs` are the objects the predicate reads (the predicate must read
 * only them). With a `cls`, the wait is annotated as a wait on that lockdep
 * class, like a completion; without, lockdep does not see it (as in the kernel).
 */
export function* wait_event(
  ctx: Ctx,
  what: string,
  locs: readonly string[],
  predicate: (w: World) => boolean,
  cls: string | null = null,
): Gen<void> {
  lockdep_wait(ctx, what, cls, 'wait_event');
  yield {
    action: `wait_event(${what})`,
    locs,
    enabled: predicate,
    waitsFor: () => `condition ${what} is false`,
  };
}

primitives(wait_event);
