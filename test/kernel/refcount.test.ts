import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../checker/monitor.ts';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { refcountLeakMonitor } from '../../kernel/leak.ts';
import { one, system } from '../toys/refs.ts';

function run(op: string, monitors: Monitor[] = []) {
  return runScenario(system, one(op), SEQUENTIAL, { monitors, record: 'full' });
}

describe('references and memory', () => {
  it('double kref_put underflows', () => {
    const v = run('double_put').violation;
    expect(v?.kind).toBe('refcount-underflow');
    expect(v?.message).toBe('refcount_t: underflow; use-after-free. kref_put(priv.refcount) in double_put > kref_put');
    expect(v?.report).toContain('refcount_t: underflow; use-after-free.');
  });

  it('a single put runs the release, which completes', () => {
    const exec = run('single_put');
    expect(exec.violation).toBeNull();
    expect(exec.world.peek('comp', 'done')).toBe(1);
    expect(exec.steps.some((s) => s.stack.join('>') === 'single_put>kref_put>vfio_pci_dma_buf_done>complete')).toBe(true);
  });

  it('kref_get after the last put is an increment from zero', () => {
    const v = run('get_after_last_put').violation;
    expect(v?.kind).toBe('refcount-inc-from-zero');
    expect(v?.message).toContain('refcount_t: addition on 0; use-after-free. kref_get(priv.refcount) in get_after_last_put > kref_get');
  });

  it('touching an object its last put freed is a use-after-free', () => {
    const v = run('use_after_release').violation;
    expect(v?.kind).toBe('use-after-free');
    expect(v?.message).toContain('read of buf->refcount in use_after_release');
    expect(v?.message).toContain('freed by T in use_after_release > kref_put > buf_release > kfree');
    expect(v?.report).toContain('BUG: KASAN: slab-use-after-free in use_after_release');
  });

  it('a put after the release freed the object is a use-after-free', () => {
    const v = run('put_after_release').violation;
    expect(v?.kind).toBe('use-after-free');
    expect(v?.message).toContain('kref_put on buf->refcount');
  });

  it('kfree twice is a double free', () => {
    const v = run('free_twice').violation;
    expect(v?.kind).toBe('double-free');
    expect(v?.message).toContain('kfree(buf) in free_twice > kfree; already freed by T in free_twice > kfree');
    expect(run('free_once').violation).toBeNull();
  });

  it('a reference never dropped is a leak at quiescence', () => {
    const v = run('get_without_put', [refcountLeakMonitor({ kinds: { buf: 'refcount' } })]).violation;
    expect(v?.kind).toBe('refcount-leak');
    expect(v?.message).toContain('buf.refcount = 2 (expected 0)');
  });

  it('refcount operations emit events', () => {
    const exec = run('single_put');
    const ev = exec.steps.flatMap((s) => s.events).find((e) => e.type === 'refcount');
    expect(ev).toEqual({ type: 'refcount', obj: 'priv', field: 'refcount', op: 'dec_and_test', from: 1, to: 0, fn: 'kref_put' });
  });
});
