/**
 * kfree() of an allocation frees the structs embedded in it (priv->kref,
 * priv->comp, a dma_buf's resv and its ww_mutex), and any later touch of them
 * is a use-after-free that names who freed them: a kref op, a completion wait
 * or complete, a lock or unlock. A waiter already blocked on the freed object
 * is let through to report it, not left to deadlock.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx, OpFn } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { World } from '../../checker/world.ts';
import { complete, init_completion, reinit_completion, wait_for_completion } from '../../kernel/completion.ts';
import { kref_get } from '../../kernel/kref.ts';
import { mutex_init, mutex_lock, mutex_unlock } from '../../kernel/mutex.ts';
import { kfree, kzalloc } from '../../kernel/slab.ts';
import { heldLocks } from '../../kernel/task.ts';
import { runPrefix } from './explore.ts';

type Op = (ctx: Ctx) => Generator<unknown, unknown, unknown>;

const setup = (w: World) => {
  kzalloc(w, 'mem', {}, 'obj.mem');
  kzalloc(w, 'kref', { refcount: 1 }, 'obj.kref');
  init_completion(w, '&obj->comp', { id: 'obj.comp' });
  mutex_init(w, '&obj->lock', { id: 'obj.lock' });
};
const MEMBERS = ['obj.kref', 'obj.comp', 'obj.lock'];

function sys(ops: Record<string, Op>): System {
  return { name: 'embedded', setup, ops: ops as unknown as Record<string, OpFn>, stepContext: heldLocks };
}
const one = (op: string): Scenario => ({ threads: [{ name: 'T1', ops: [{ op, args: {} }] }] });

function* free_obj(ctx: Ctx) {
  yield* ctx.call(kfree, 'obj.mem', MEMBERS);
}

describe('kfree of an allocation frees what is embedded in it', () => {
  const cases: [string, Op, string][] = [
    [
      'kref_get',
      function* (ctx) {
        yield* ctx.call(kref_get, 'obj.kref');
      },
      'kref_get on obj.kref->refcount',
    ],
    [
      'complete',
      function* (ctx) {
        yield* ctx.call(complete, 'obj.comp');
      },
      'complete on obj.comp',
    ],
    [
      'reinit_completion',
      function* (ctx) {
        yield* ctx.call(reinit_completion, 'obj.comp');
      },
      'reinit_completion on obj.comp',
    ],
    [
      'mutex_lock',
      function* (ctx) {
        yield* ctx.call(mutex_lock, 'obj.lock');
      },
      'mutex_lock of obj.lock',
    ],
  ];
  for (const [name, use, access] of cases) {
    it(`${name} after the free is a use-after-free naming the freer`, () => {
      const exec = runScenario(
        sys({
          *t(ctx) {
            yield* free_obj(ctx);
            yield* use(ctx);
          },
        }),
        one('t'),
        SEQUENTIAL,
      );
      expect(exec.violation?.kind).toBe('use-after-free');
      expect(exec.violation?.message).toContain(access);
      expect(exec.violation?.message).toContain('was freed by T1 in t > kfree');
    });
  }

  it('without members only the allocation itself is freed', () => {
    const exec = runScenario(
      sys({
        *t(ctx) {
          yield* ctx.call(kfree, 'obj.mem');
          yield* ctx.call(kref_get, 'obj.kref');
          yield* ctx.call(mutex_lock, 'obj.lock');
          yield* ctx.call(mutex_unlock, 'obj.lock');
        },
      }),
      one('t'),
      SEQUENTIAL,
    );
    expect(exec.violation).toBeNull();
  });

  it('a waiter blocked on a completion that is freed under it reports the use-after-free', () => {
    const s = sys({
      *waiter(ctx) {
        yield* ctx.call(wait_for_completion, 'obj.comp');
      },
      freer: free_obj,
    });
    const scenario: Scenario = {
      threads: [
        { name: 'W', ops: [{ op: 'waiter', args: {} }] },
        { name: 'F', ops: [{ op: 'freer', args: {} }] },
      ],
    };
    // W starts and blocks, F frees, W is woken into the freed completion
    const exec = runPrefix(s, scenario, [0, 1, 1]);
    expect(exec.violation?.kind).toBe('use-after-free');
    expect(exec.violation?.message).toContain('wait_for_completion on obj.comp');
    expect(exec.violation?.message).toContain('was freed by F');
  });
});
