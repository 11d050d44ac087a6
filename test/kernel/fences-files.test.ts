import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../checker/context.ts';
import type { World } from '../../checker/world.ts';
import { kernel_config } from '../../kernel/config.ts';
import {
  dma_fence_begin_signalling,
  dma_fence_end_signalling,
  dma_fence_get,
  dma_fence_init,
  dma_fence_is_signaled,
  dma_fence_put,
  dma_fence_signal,
  dma_fence_wait,
  dma_fence_wait_timeout,
  MAX_SCHEDULE_TIMEOUT,
} from '../../kernel/dma-fence.ts';
import {
  DMA_RESV_USAGE_BOOKKEEP,
  DMA_RESV_USAGE_KERNEL,
  DMA_RESV_USAGE_READ,
  DMA_RESV_USAGE_WRITE,
  dma_resv_add_fence,
  dma_resv_init,
  dma_resv_lock,
  dma_resv_lock_interruptible,
  dma_resv_lockdep,
  dma_resv_test_signaled,
  dma_resv_trylock,
  dma_resv_unlock,
  dma_resv_wait_timeout,
} from '../../kernel/dma-resv.ts';
import {
  __fput_sync,
  alloc_file,
  close_fd,
  fd_install,
  fget,
  files_init,
  fput,
  get_file,
  get_file_active,
  register_fops,
} from '../../kernel/file.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { heldLocks } from '../../kernel/task.ts';
import type { Gen } from '../../kernel/types.ts';
import { traceOp } from './locks.ts';

/** dma_fence, dma_resv and struct file, call by call: trace, footprint, result, and what the last reference does. */

const released: string[] = [];
const fops = {
  name: 'fences_files_fops',
  *release(_ctx: Ctx, file: string): Gen<void> {
    released.push(file);
  },
};

function setup(w: World): void {
  dma_fence_init(w, { id: 'f1' });
  dma_fence_init(w, { id: 'f2' });
  dma_resv_init(w, { id: 'resv' });
  const file = alloc_file(w, fops, { id: 'file' });
  files_init(w, 'files');
  w.set('files', 'fd', { 3: file });
}

const trace = (op: (ctx: Ctx) => Gen<unknown>) => traceOp(setup, op, { record: 'full' });

describe('dma_fence', () => {
  it('signal, test, wait, references', () => {
    const r = trace(function* (ctx) {
      const s0 = yield* ctx.call(dma_fence_is_signaled, 'f1');
      const t0 = yield* ctx.call(dma_fence_wait_timeout, 'f1', false, 7);
      const a = yield* ctx.call(dma_fence_signal, 'f1');
      const b = yield* ctx.call(dma_fence_signal, 'f1');
      const s1 = yield* ctx.call(dma_fence_is_signaled, 'f1');
      const t1 = yield* ctx.call(dma_fence_wait_timeout, 'f1', false, 7);
      const t2 = yield* ctx.call(dma_fence_wait_timeout, 'f1', false, 0);
      const w = yield* ctx.call(dma_fence_wait, 'f1', true);
      const m = yield* ctx.call(dma_fence_wait_timeout, 'f1', false, MAX_SCHEDULE_TIMEOUT);
      const g = yield* ctx.call(dma_fence_get, 'f2');
      yield* ctx.call(dma_fence_put, g);
      yield* ctx.call(dma_fence_put, null);
      const still = ctx.world.peek('f2', '__freed');
      yield* ctx.call(dma_fence_put, 'f2');
      return [s0, t0, a, b, s1, t1, t2, w, m === MAX_SCHEDULE_TIMEOUT, g, still, ctx.world.peek('f2', '__freed')];
    });
    expect(r.steps).toEqual([
      'dma_fence_is_signaled(f1) @ f1',
      'dma_fence_wait_timeout(f1) @ f1',
      'dma_fence_signal(f1) @ f1',
      'dma_fence_signal(f1) @ f1',
      'dma_fence_is_signaled(f1) @ f1',
      'dma_fence_wait_timeout(f1) @ f1',
      'dma_fence_wait_timeout(f1) @ f1',
      'dma_fence_wait(f1) @ f1',
      'dma_fence_wait(f1) @ f1',
      'kref_get(f2.refcount) @ f2',
      'kref_put(f2.refcount) @ f2',
      'kref_put(f2.refcount) @ f2',
      'kfree(f2) @ f2',
    ]);
    expect(r.result).toEqual([false, 0, 0, -22, true, 7, 1, 0, true, 'f2', false, true]);
  });

  it('a freed fence is a use-after-free for every access', () => {
    const cases: [string, (ctx: Ctx) => Gen<unknown>][] = [
      ['dma_fence_signal on f1', (ctx) => ctx.call(dma_fence_signal, 'f1')],
      ['dma_fence_is_signaled on f1', (ctx) => ctx.call(dma_fence_is_signaled, 'f1')],
      ['dma_fence_wait_timeout on f1', (ctx) => ctx.call(dma_fence_wait_timeout, 'f1', false, 3)],
      ['dma_fence_wait on f1', (ctx) => ctx.call(dma_fence_wait, 'f1', false)],
    ];
    for (const [access, call] of cases) {
      const r = trace(function* (ctx) {
        yield* ctx.call(dma_fence_put, 'f1');
        yield* call(ctx);
      });
      expect(r.exec.violation?.kind, access).toBe('use-after-free');
      expect(r.violation, access).toContain(`use-after-free: ${access} in t > `);
    }
  });

  it('a signalling section is a read trylock of dma_fence_map; nested ones do nothing', () => {
    const r = trace(function* (ctx) {
      const outer = dma_fence_begin_signalling(ctx);
      const inner = dma_fence_begin_signalling(ctx);
      const during = heldLocks(ctx.world, 'T').join();
      dma_fence_end_signalling(ctx, inner);
      const afterInner = heldLocks(ctx.world, 'T').join();
      dma_fence_end_signalling(ctx, outer);
      yield* ctx.call(dma_fence_signal, 'f1');
      return [outer, inner, during, afterInner, heldLocks(ctx.world, 'T').join()];
    });
    expect(r.result).toEqual([false, true, 'dma_fence_map (r)', 'dma_fence_map (r)', '']);
    const events = r.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'acquire');
    expect(events.map((e) => [e.class, e.kind, e.trylock, e.fn])).toEqual([['dma_fence_map', 'r', true, 'lock_map_acquire_tryread']]);
  });
});

describe('dma_resv', () => {
  it('locks through its ww_mutex; fences of a usage and below are waited for and tested', () => {
    const r = trace(function* (ctx) {
      const l = yield* ctx.call(dma_resv_lock, 'resv', null);
      yield* ctx.call(dma_resv_add_fence, 'resv', 'f1', DMA_RESV_USAGE_WRITE);
      yield* ctx.call(dma_resv_add_fence, 'resv', 'f2', DMA_RESV_USAGE_BOOKKEEP);
      yield* ctx.call(dma_resv_unlock, 'resv');
      const i = yield* ctx.call(dma_resv_lock_interruptible, 'resv', null);
      yield* ctx.call(dma_resv_unlock, 'resv');
      const t = yield* ctx.call(dma_resv_trylock, 'resv');
      yield* ctx.call(dma_resv_unlock, 'resv');
      const k = yield* ctx.call(dma_resv_test_signaled, 'resv', DMA_RESV_USAGE_KERNEL);
      const w0 = yield* ctx.call(dma_resv_test_signaled, 'resv', DMA_RESV_USAGE_WRITE);
      const wt = yield* ctx.call(dma_resv_wait_timeout, 'resv', DMA_RESV_USAGE_READ, false, 9);
      yield* ctx.call(dma_fence_signal, 'f1');
      const w1 = yield* ctx.call(dma_resv_test_signaled, 'resv', DMA_RESV_USAGE_READ);
      const b1 = yield* ctx.call(dma_resv_test_signaled, 'resv', DMA_RESV_USAGE_BOOKKEEP);
      const wr = yield* ctx.call(dma_resv_wait_timeout, 'resv', DMA_RESV_USAGE_READ, false, 9);
      const w0t = yield* ctx.call(dma_resv_wait_timeout, 'resv', DMA_RESV_USAGE_READ, false, 0);
      const wb = yield* ctx.call(dma_resv_wait_timeout, 'resv', DMA_RESV_USAGE_BOOKKEEP, false, 9);
      return [l, i, t, k, w0, wt, w1, b1, wr, w0t, wb];
    });
    expect(r.steps).toEqual([
      'ww_mutex_lock(&resv->lock) @ resv.lock,task:T',
      'dma_resv_add_fence(resv, f1) @ resv',
      'dma_resv_add_fence(resv, f2) @ resv',
      'ww_mutex_unlock(&resv->lock) @ resv.lock,task:T',
      'ww_mutex_lock_interruptible(&resv->lock) @ resv.lock,task:T',
      'ww_mutex_unlock(&resv->lock) @ resv.lock,task:T',
      'ww_mutex_trylock(&resv->lock) @ resv.lock,task:T',
      'ww_mutex_unlock(&resv->lock) @ resv.lock,task:T',
      'dma_resv_test_signaled(resv) @ resv',
      'dma_resv_test_signaled(resv) @ resv',
      'dma_resv_wait_timeout(resv) iterate fences @ resv',
      'dma_fence_wait_timeout(f1) @ f1',
      'dma_fence_signal(f1) @ f1',
      'dma_resv_test_signaled(resv) @ resv',
      'dma_resv_test_signaled(resv) @ resv',
      'dma_resv_wait_timeout(resv) iterate fences @ resv',
      'dma_fence_wait_timeout(f1) @ f1',
      'dma_resv_wait_timeout(resv) iterate fences @ resv',
      'dma_fence_wait_timeout(f1) @ f1',
      'dma_resv_wait_timeout(resv) iterate fences @ resv',
      'dma_fence_wait_timeout(f1) @ f1',
      'dma_fence_wait_timeout(f2) @ f2',
    ]);
    // waits return the time left (a timeout of 0 polls: 1 when every fence is signaled), 0 once one times out
    expect(r.result).toEqual([0, 0, true, true, false, 0, true, false, 9, 1, 0]);
  });

  it('an empty resv is signaled and needs no wait', () => {
    const r = trace(function* (ctx) {
      return [
        yield* ctx.call(dma_resv_test_signaled, 'resv', DMA_RESV_USAGE_BOOKKEEP),
        yield* ctx.call(dma_resv_wait_timeout, 'resv', DMA_RESV_USAGE_BOOKKEEP, false, 4),
      ];
    });
    expect(r.result).toEqual([true, 4]);
  });

  it('testing a freed fence is a use-after-free', () => {
    const r = trace(function* (ctx) {
      yield* ctx.call(dma_resv_lock, 'resv', null);
      yield* ctx.call(dma_resv_add_fence, 'resv', 'f1', DMA_RESV_USAGE_WRITE);
      yield* ctx.call(dma_resv_unlock, 'resv');
      yield* ctx.call(dma_fence_put, 'f1');
      yield* ctx.call(dma_resv_test_signaled, 'resv', DMA_RESV_USAGE_WRITE);
    });
    expect(r.violation).toContain('use-after-free: dma_resv_test_signaled on a freed fence of resv in t > dma_resv_test_signaled');
  });

  it("dma_resv_lockdep primes lockdep with the kernel's chain, nothing held after", () => {
    const m = new LockdepMonitor();
    const r = traceOp(
      setup,
      function* (ctx) {
        dma_resv_lockdep(ctx);
        yield* ctx.call(dma_fence_signal, 'f1');
        return heldLocks(ctx.world, 'T');
      },
      { monitors: [m] },
    );
    expect(r.result).toEqual([]);
    expect(m.key()).toBe(
      [
        '&mm->mmap_lock>reservation_ww_class_acquire:8',
        '__mmu_notifier_invalidate_range_start_map>dma_fence_map:2',
        'fs_reclaim>&mapping->i_mmap_rwsem:2',
        'fs_reclaim>__mmu_notifier_invalidate_range_start_map:2',
        'reservation_ww_class_acquire>reservation_ww_class_mutex:2',
        'reservation_ww_class_mutex>fs_reclaim:2',
      ].join(';'),
    );
  });
});

describe('struct file', () => {
  it('fget takes a reference through the table, close_fd drops it; the last fput defers __fput to task work', () => {
    released.length = 0;
    const r = trace(function* (ctx) {
      const f = yield* ctx.call(fget, 'files', 3);
      const none = yield* ctx.call(fget, 'files', 4);
      const n1 = ctx.world.peek('file', 'f_count');
      yield* ctx.call(fd_install, 'files', 5, 'file');
      const g = yield* ctx.call(get_file, 'file');
      yield* ctx.call(fput, 'file');
      yield* ctx.call(fput, 'file');
      const c = yield* ctx.call(close_fd, 'files', 3);
      const bad = yield* ctx.call(close_fd, 'files', 3);
      const stillThere = [ctx.world.peek('file', '__freed'), released.length];
      return [f, none, n1, g, c, bad, stillThere, ctx.world.peek('files', 'fd')];
    });
    expect(r.steps).toEqual([
      'fget(3) @ files',
      'fget(4) @ files',
      'fd_install(5, file) @ files',
      'get_file(file.f_count) @ file',
      'fput(file.f_count) @ file',
      'fput(file.f_count) @ file',
      'close_fd(3) @ files',
      'fput(file.f_count) @ file',
      'close_fd(3) @ files',
      // task work: after the operation, on the same thread
      'call ____fput(file=file) @ -',
      'kfree(file) @ file',
    ]);
    expect(r.result).toEqual(['file', null, 2, 'file', 0, -9, [false, 0], { 5: 'file' }]);
    expect(released).toEqual(['file']);
    expect(r.exec.world.peek('file', '__freed')).toBe(true);
  });

  it('get_file_active and fget fail on a dead file, and say so in a refcount event', () => {
    const r = trace(function* (ctx) {
      const a = yield* ctx.call(get_file_active, 'file');
      yield* ctx.call(fput, 'file');
      yield* ctx.call(__fput_sync, 'file');
      const dead = yield* ctx.call(get_file_active, 'file');
      const gone = yield* ctx.call(fget, 'files', 3);
      const none = yield* ctx.call(get_file_active, null);
      return [a, dead, gone, none];
    });
    expect(r.result).toEqual(['file', null, null, null]);
    const events = r.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'refcount' && e.op === 'inc_not_zero');
    expect(events.map((e) => [e.fn, e.from, e.to])).toEqual([
      ['get_file_active', 1, 2],
      ['get_file_active', 0, 0],
      ['fget', 0, 0],
    ]);
    const fputs = r.exec.steps.flatMap((s) => s.events).filter((e) => e.type === 'fput');
    expect(fputs).toEqual([{ type: 'fput', file: 'file', deferred: false }]);
  });

  it('with syncFput the last fput releases at once; __fput of a freed file is a use-after-free', () => {
    released.length = 0;
    const r = traceOp(
      (w) => {
        setup(w);
        kernel_config(w, { syncFput: true });
      },
      function* (ctx) {
        yield* ctx.call(fput, 'file');
        return released.length;
      },
    );
    expect(r.result).toBe(1);
    const twice = traceOp(
      (w) => {
        setup(w);
        kernel_config(w, { syncFput: true });
        w.set('file', 'f_count', 2);
      },
      function* (ctx) {
        yield* ctx.call(fput, 'file');
        yield* ctx.call(fput, 'file', false);
        return ctx.world.peek('file', '__freed');
      },
    );
    expect(twice.result).toBe(false);
  });

  it('two file_operations may not share a name', () => {
    expect(() => register_fops({ name: 'fences_files_fops' })).toThrow('another file_operations is already named fences_files_fops');
    expect(() => register_fops(fops)).not.toThrow();
  });
});
