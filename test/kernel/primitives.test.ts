import { describe, expect, it } from 'vitest';
import type { Ctx, OpFn } from '../../checker/context.ts';
import { runScenario } from '../../checker/run.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import type { World } from '../../checker/world.ts';
import {
  COMPLETION_ALL,
  complete,
  complete_all,
  completion_done,
  init_completion,
  reinit_completion,
  try_wait_for_completion,
  wait_for_completion,
  wait_for_completion_timeout,
} from '../../kernel/completion.ts';
import { dma_fence_init, dma_fence_signal, MAX_SCHEDULE_TIMEOUT } from '../../kernel/dma-fence.ts';
import {
  DMA_RESV_USAGE_BOOKKEEP,
  DMA_RESV_USAGE_KERNEL,
  dma_resv_add_fence,
  dma_resv_init,
  dma_resv_lock,
  dma_resv_test_signaled,
  dma_resv_unlock,
  dma_resv_wait_timeout,
} from '../../kernel/dma-resv.ts';
import { alloc_file, close_fd, fd_install, fget, files_init, fput, get_file, get_file_active } from '../../kernel/file.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { mutex_init, mutex_lock, mutex_trylock, mutex_unlock } from '../../kernel/mutex.ts';
import {
  down_read,
  down_read_trylock,
  down_write,
  down_write_trylock,
  downgrade_write,
  init_rwsem,
  up_read,
  up_write,
} from '../../kernel/rwsem.ts';
import { heldLocks } from '../../kernel/task.ts';
import { wait_event } from '../../kernel/wait.ts';
import { explore, kinds, runPrefix } from './explore.ts';

type Op = (ctx: Ctx) => Generator<unknown, unknown, unknown>;

function sys(setup: (w: World) => void, ops: Record<string, Op>): System {
  return { name: 'inline', setup, ops: ops as unknown as Record<string, OpFn>, stepContext: heldLocks };
}

function threads(...ops: string[]): Scenario {
  return { threads: ops.map((op, i) => ({ name: `T${i + 1}`, ops: [{ op, args: {} }] })) };
}

describe('completion', () => {
  const setup = (w: World) => {
    init_completion(w, '&c', { id: 'c' });
  };

  it('counts complete() and saturates with complete_all()', () => {
    const s = sys(setup, {
      *t(ctx) {
        yield* ctx.call(complete, 'c');
        yield* ctx.call(complete, 'c');
        yield* ctx.call(wait_for_completion, 'c');
        const again = yield* ctx.call(try_wait_for_completion, 'c');
        const none = yield* ctx.call(try_wait_for_completion, 'c');
        yield* ctx.call(complete_all, 'c');
        yield* ctx.call(wait_for_completion, 'c');
        const still = yield* ctx.call(completion_done, 'c');
        yield* ctx.call(reinit_completion, 'c');
        const timedOut = yield* ctx.call(wait_for_completion_timeout, 'c', 10);
        return [again, none, still, timedOut];
      },
    });
    const exec = runScenario(s, threads('t'), SEQUENTIAL);
    expect(exec.violation).toBeNull();
    expect(exec.results('T1')).toEqual([[true, false, true, 0]]);
    expect(COMPLETION_ALL).toBe(4294967295);
  });

  it('a consumed completion hangs the second waiter (the pre-fix close() hang)', () => {
    const s = sys(setup, {
      *t(ctx) {
        yield* ctx.call(complete, 'c');
        yield* ctx.call(wait_for_completion, 'c');
        yield* ctx.call(wait_for_completion, 'c');
        return undefined;
      },
    });
    const v = runScenario(s, threads('t'), SEQUENTIAL).violation;
    expect(v?.kind).toBe('deadlock');
    expect(v?.report).toContain('T1: blocked in t > wait_for_completion at wait_for_completion(&c) — &c is not completed');
  });
});

describe('mutex and rwsem', () => {
  const setup = (w: World) => {
    mutex_init(w, '&m', { id: 'm' });
    init_rwsem(w, '&sem', { id: 'sem' });
  };

  it('trylocks never block and fail while held or while anyone is queued', () => {
    const s = sys(setup, {
      *holder(ctx) {
        yield* ctx.call(down_read, 'sem');
        yield* ctx.call(mutex_lock, 'm');
        yield* ctx.call(mutex_unlock, 'm');
        yield* ctx.call(up_read, 'sem');
        return undefined;
      },
      *writer(ctx) {
        yield* ctx.call(down_write, 'sem');
        yield* ctx.call(up_write, 'sem');
        return undefined;
      },
      *trier(ctx) {
        const r = yield* ctx.call(down_read_trylock, 'sem');
        if (r) yield* ctx.call(up_read, 'sem');
        const w = yield* ctx.call(down_write_trylock, 'sem');
        if (w) yield* ctx.call(up_write, 'sem');
        return [r, w];
      },
    });
    // holder reads; writer queues; trier: both trylocks fail (a writer is queued)
    const exec = runPrefix(s, threads('holder', 'writer', 'trier'), [0, 0, 1, 1, 2, 2, 2]);
    expect(exec.violation).toBeNull();
    expect(exec.results('T3')).toEqual([[false, false]]);
  });

  it('mutex_trylock fails on a held mutex', () => {
    const s = sys(setup, {
      *t(ctx) {
        yield* ctx.call(mutex_lock, 'm');
        const again = yield* ctx.call(mutex_trylock, 'm');
        yield* ctx.call(mutex_unlock, 'm');
        const free = yield* ctx.call(mutex_trylock, 'm');
        yield* ctx.call(mutex_unlock, 'm');
        return [again, free];
      },
    });
    const exec = runScenario(s, threads('t'), SEQUENTIAL, { monitors: [new LockdepMonitor()] });
    expect(exec.violation).toBeNull();
    expect(exec.results('T1')).toEqual([[false, true]]);
  });

  it('downgrade_write turns the write hold into a read hold and lets readers in', () => {
    const s = sys(setup, {
      *w(ctx) {
        yield* ctx.call(down_write, 'sem');
        yield* ctx.call(downgrade_write, 'sem');
        yield* ctx.call(up_read, 'sem');
        return undefined;
      },
    });
    const exec = runScenario(s, threads('w'), SEQUENTIAL, { record: 'full' });
    expect(exec.violation).toBeNull();
    expect(exec.steps.map((x) => x.context.join())).toEqual(['', '&sem (W)', '&sem (r)', '']);
  });

  it('up_write of a read hold is a bad unlock', () => {
    const s = sys(setup, {
      *w(ctx) {
        yield* ctx.call(down_read, 'sem');
        yield* ctx.call(up_write, 'sem');
        return undefined;
      },
    });
    const v = runScenario(s, threads('w'), SEQUENTIAL).violation;
    expect(v?.kind).toBe('unlock-not-held');
    expect(v?.message).toContain('up_write(&sem) in w > up_write: T1 releases a lock it does not hold in that mode (holds it as r)');
  });

  it('writers are served in queue order and every interleaving of two writers and a reader completes', () => {
    const s = sys(setup, {
      *w(ctx) {
        yield* ctx.call(down_write, 'sem');
        yield* ctx.call(up_write, 'sem');
        return undefined;
      },
      *r(ctx) {
        yield* ctx.call(down_read, 'sem');
        yield* ctx.call(up_read, 'sem');
        return undefined;
      },
    });
    const res = explore(s, threads('w', 'w', 'r'), { monitors: () => [new LockdepMonitor()] });
    expect(res.violations).toEqual([]);
    expect(res.executions).toBeGreaterThan(10);
  });
});

describe('wait_event', () => {
  it('blocks until the predicate holds', () => {
    const s = sys(
      (w) => {
        w.create('flag', { set: false }, null, 'flag');
      },
      {
        *waiter(ctx) {
          yield* ctx.call(wait_event, 'flag->set', ['flag'], (w: World) => w.peek('flag', 'set') === true);
          return undefined;
        },
        *setter(_ctx) {
          yield { action: 'set flag', locs: ['flag'], fire: (w: World) => (w.set('flag', 'set', true), undefined) };
          return undefined;
        },
      },
    );
    expect(runScenario(s, threads('waiter', 'setter'), SEQUENTIAL).violation).toBeNull();
    const v = runScenario(s, threads('waiter'), SEQUENTIAL).violation;
    expect(v?.kind).toBe('deadlock');
    expect(v?.report).toContain('condition flag->set is false');
  });
});

describe('dma_resv fences', () => {
  const setup = (w: World) => {
    dma_resv_init(w, { id: 'resv' });
    dma_fence_init(w, { id: 'f1' });
  };
  const s = sys(setup, {
    *add(ctx) {
      yield* ctx.call(dma_resv_lock, 'resv', null);
      yield* ctx.call(dma_resv_add_fence, 'resv', 'f1', DMA_RESV_USAGE_BOOKKEEP);
      yield* ctx.call(dma_resv_unlock, 'resv');
      return undefined;
    },
    *wait(ctx) {
      const kernelOnly = yield* ctx.call(dma_resv_test_signaled, 'resv', DMA_RESV_USAGE_KERNEL);
      const t = yield* ctx.call(dma_resv_wait_timeout, 'resv', DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
      return [kernelOnly, t > 0];
    },
    *poll(ctx) {
      return yield* ctx.call(dma_resv_wait_timeout, 'resv', DMA_RESV_USAGE_BOOKKEEP, false, 5);
    },
    *signal(ctx) {
      return yield* ctx.call(dma_fence_signal, 'f1');
    },
  });

  it('waits for the fences present when it looks', () => {
    const exec = runScenario(s, threads('add', 'wait'), SEQUENTIAL);
    expect(exec.violation?.kind).toBe('deadlock');
    expect(exec.violation?.report).toContain(
      'wait > dma_resv_wait_timeout > dma_fence_wait_timeout at dma_fence_wait(f1) — f1 is not signaled',
    );
    const ok = runScenario(s, threads('add', 'signal', 'wait'), SEQUENTIAL);
    expect(ok.violation).toBeNull();
    expect(ok.results('T3')).toEqual([[true, true]]);
  });

  it('a finite timeout may expire, never blocks', () => {
    const r = explore(s, threads('add', 'poll', 'signal'));
    expect(r.violations).toEqual([]);
  });

  it('adding a fence needs the resv lock', () => {
    const bad = sys(setup, {
      *t(ctx) {
        yield* ctx.call(dma_resv_add_fence, 'resv', 'f1', DMA_RESV_USAGE_BOOKKEEP);
        return undefined;
      },
    });
    expect(runScenario(bad, threads('t'), SEQUENTIAL).violation?.kind).toBe('held-lock-assertion');
  });

  it('signalling twice returns -EINVAL', () => {
    const two = sys(setup, {
      *t(ctx) {
        return [yield* ctx.call(dma_fence_signal, 'f1'), yield* ctx.call(dma_fence_signal, 'f1')];
      },
    });
    expect(runScenario(two, threads('t'), SEQUENTIAL).results('T1')).toEqual([[0, -22]]);
  });
});

describe('files', () => {
  const fops = { name: 'test_fops' };
  const setup = (w: World) => {
    const f = alloc_file(w, fops, { id: 'file' });
    const files = files_init(w, 'files');
    w.set(files, 'fd', { 3: f });
  };

  it('get_file_active fails once the last reference is gone (before __fput ran)', () => {
    const s = sys(setup, {
      *closer(ctx) {
        return yield* ctx.call(close_fd, 'files', 3);
      },
      *racer(ctx) {
        const f = yield* ctx.call(get_file_active, 'file');
        if (f) yield* ctx.call(fput, f);
        return f;
      },
    });
    // closer drops the last reference; its __fput is still queued when racer looks
    const exec = runPrefix(s, threads('closer', 'racer'), [0, 0, 0, 1, 1], { record: 'full' });
    expect(exec.violation).toBeNull();
    expect(exec.results('T2')).toEqual([null]);
    expect(exec.world.peek('file', '__freed')).toBe(true);
    expect(kinds(explore(s, threads('closer', 'racer')))).toEqual([]);
  });

  it('fget takes a reference through the fd table; get_file on a dead file is an increment from zero', () => {
    const s = sys(setup, {
      *t(ctx) {
        const f = yield* ctx.call(fget, 'files', 3);
        const none = yield* ctx.call(fget, 'files', 4);
        if (f) yield* ctx.call(fput, f);
        yield* ctx.call(close_fd, 'files', 3);
        return [f, none];
      },
      *late(ctx) {
        yield* ctx.call(fd_install, 'files', 5, 'file');
        yield* ctx.call(close_fd, 'files', 3);
        yield* ctx.call(get_file, 'file');
        return undefined;
      },
    });
    const exec = runScenario(s, threads('t'), SEQUENTIAL);
    expect(exec.violation).toBeNull();
    // the second result is the deferred ____fput's
    expect(exec.results('T1')).toEqual([['file', null], null]);
    const v = runScenario(s, threads('late'), SEQUENTIAL).violation;
    expect(v?.kind).toBe('refcount-inc-from-zero');
    expect(v?.message).toContain('get_file(file.f_count) in late > get_file');
  });
});
