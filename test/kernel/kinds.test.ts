/**
 * The kernel's declared kinds (kernel/kinds.ts): each kernel object is created
 * with the fields, values and order it had before kinds were declared (layouts,
 * hashes and state counts depend on them), and the typed handles refuse at
 * compile time what the declaration does not allow (`npx tsc --noEmit` fails if
 * a @ts-expect-error below stops being an error). Plain string ids, as tests and
 * toy models write them, are still taken.
 */
import { describe, expect, it } from 'vitest';
import { Ctx } from '../../checker/context.ts';
import { getField, peekField, type Ref, setField } from '../../checker/kind.ts';
import { runScenario } from '../../checker/run.ts';
import type { System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { World } from '../../checker/world.ts';
import { init_completion } from '../../kernel/completion.ts';
import { kernel_config } from '../../kernel/config.ts';
import { dma_fence_init } from '../../kernel/dma-fence.ts';
import { dma_resv_init, resvLock } from '../../kernel/dma-resv.ts';
import { alloc_file, files_init } from '../../kernel/file.ts';
import { kref } from '../../kernel/kinds.ts';
import { mutex_init, mutex_lock } from '../../kernel/mutex.ts';
import { down_read, init_rwsem } from '../../kernel/rwsem.ts';
import { kzallocKind } from '../../kernel/slab.ts';
import { heldLocks, heldStack, pushHeld, taskId } from '../../kernel/task.ts';

const fieldsOf = (w: World, id: string) => Object.entries(w.describe(id).fields);

describe('kernel kinds', () => {
  it('create the fields, values and order the kernel objects had before they were declared', () => {
    const w = new World(false);
    const m = mutex_init(w, '&dev->lock', { id: 'm' });
    const s = init_rwsem(w, '&dev->sem', { id: 's', name: '&dev0->sem' });
    const c = init_completion(w, '&priv->comp', { id: 'c' });
    const f = dma_fence_init(w, { id: 'f' });
    const r = dma_resv_init(w, { id: 'r' });
    const file = alloc_file(w, { name: 'fops' }, { id: 'file', private_data: 'priv0' });
    const files = files_init(w, 'files');
    const k = kzallocKind(w, kref, { refcount: 1 }, 'priv0.kref');
    kernel_config(w, { syncFput: true });
    pushHeld(w, 't0', { lock: m, class: '&dev->lock', type: 'mutex', kind: 'W', trylock: false, at: 'f' });
    expect(fieldsOf(w, m)).toEqual([
      ['class', '&dev->lock'],
      ['type', 'mutex'],
      ['name', '&dev->lock'],
      ['owner', null],
    ]);
    expect(fieldsOf(w, s)).toEqual([
      ['class', '&dev->sem'],
      ['type', 'rwsem'],
      ['name', '&dev0->sem'],
      ['owner', null],
      ['readers', []],
      ['waiters', []],
    ]);
    expect(fieldsOf(w, c)).toEqual([
      ['name', '&priv->comp'],
      ['class', '(completion)&priv->comp'],
      ['done', 0],
    ]);
    expect(fieldsOf(w, f)).toEqual([
      ['signaled', false],
      ['refcount', 1],
      ['__freed', false],
    ]);
    expect(fieldsOf(w, r)).toEqual([
      ['lock', 'r.lock'],
      ['fences', []],
    ]);
    expect(fieldsOf(w, resvLock(w, r))).toEqual([
      ['class', 'reservation_ww_class_mutex'],
      ['type', 'ww_mutex'],
      ['name', '&r->lock'],
      ['owner', null],
    ]);
    expect(fieldsOf(w, file)).toEqual([
      ['f_count', 1],
      ['f_op', 'fops'],
      ['private_data', 'priv0'],
      ['__freed', false],
    ]);
    expect(fieldsOf(w, files)).toEqual([
      ['fd', {}],
      ['__freed', false],
    ]);
    expect(fieldsOf(w, k)).toEqual([
      ['refcount', 1],
      ['__freed', false],
    ]);
    expect(fieldsOf(w, 'kconfig')).toEqual([['syncFput', true]]);
    expect(w.describe(taskId('t0')).kind).toBe('task');
    expect(heldStack(w, 't0').map((h) => h.lock)).toEqual(['m']);
  });

  it('the compiler checks handles, fields and values; plain ids still pass', () => {
    const w = new World(false);
    const m = mutex_init(w, 'A', { id: 'm' });
    const s = init_rwsem(w, 'B', { id: 's' });
    const c = init_completion(w, 'C', { id: 'c' });
    const ctx = new Ctx('t', w, { emit() {}, note() {}, defer() {}, stack: [] });
    const owner: string | null = peekField(w, m, 'owner');
    const done: number = getField(w, c, 'done');
    expect([owner, done]).toEqual([null, 0]);
    const attempts = [
      // @ts-expect-error: an rwsem is not a mutex
      () => mutex_lock(ctx, s),
      // @ts-expect-error: a mutex is not an rwsem
      () => down_read(ctx, m),
      // @ts-expect-error: a mutex has no readers
      () => peekField(w, m, 'readers'),
      // @ts-expect-error: a completion's done count is a number
      () => setField(w, c, 'done', 'yes'),
      // @ts-expect-error: a completion handle is no kref
      () => getField(w, c as Ref<'completion'>, 'refcount'),
    ];
    expect(attempts).toHaveLength(5);
    // what tests and toys write: literal ids, run as before
    const system: System = {
      name: 'literal-ids',
      setup: (w2) => void mutex_init(w2, 'A', { id: 'a' }),
      ops: {
        *lock(ctx: Ctx) {
          yield* ctx.call(mutex_lock, 'a');
          return null;
        },
      },
      stepContext: heldLocks,
    };
    const exec = runScenario(system, { threads: [{ name: 'T', ops: [{ op: 'lock', args: {} }] }] }, SEQUENTIAL, { record: 'full' });
    expect([exec.violation, exec.world.peek('a', 'owner')]).toEqual([null, 'T']);
  });
});
