import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import * as comp from '../toys/completion.ts';
import * as fence from '../toys/fence.ts';
import { explore, kinds } from './explore.ts';

describe('waiting under a lock the signaller needs', () => {
  it('completion: lockdep reports the cycle through the wait class', () => {
    const v = runScenario(comp.broken, comp.signallerFirst, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.message).toContain('W waits for (completion)&priv->comp (wait_for_completion in waiter > wait_for_completion)');
    expect(v?.message).toContain('&priv->lock needed to signal (completion)&priv->comp by S in signaller > complete');
    expect(v?.report).toContain('W is trying to wait (wait_for_completion):');
    expect(v?.report).toContain('  wait_for_completion((completion)&priv->comp);');
  });

  it('completion: waiter first, the sequential run is already a real deadlock', () => {
    // W: lock L, wait C (blocks holding L); S blocks on L before it can make the C -> L edge,
    // so lockdep has nothing to say yet and the executor reports the deadlock.
    const exec = runScenario(comp.broken, comp.scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] });
    expect(exec.violation?.kind).toBe('deadlock');
    expect(exec.violation?.report).toContain(
      'W: blocked in waiter > wait_for_completion at wait_for_completion(&priv->comp) — &priv->comp is not completed',
    );
    expect(exec.violation?.report).toContain('S: blocked in signaller > mutex_lock at mutex_lock(&priv->lock) — &priv->lock is held by W');
  });

  it('completion: some interleaving deadlocks; the fix passes everything', () => {
    expect(kinds(explore(comp.broken, comp.scenario, {}))).toEqual(['deadlock']);
    const r = explore(comp.fixed, comp.scenario, { monitors: () => [new LockdepMonitor()] });
    expect(r.violations).toEqual([]);
    const r2 = explore(comp.fixed, comp.signallerFirst, { monitors: () => [new LockdepMonitor()] });
    expect(r2.violations).toEqual([]);
  });

  it('dma_fence: a lock taken in a signalling section may not be held while waiting on a fence', () => {
    const v = runScenario(fence.broken, fence.scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
    expect(v?.kind).toBe('wait-under-lock');
    expect(v?.message).toContain('W waits for dma_fence_map');
    expect(v?.message).toContain('&obj->lock taken under dma_fence_map by S in signaller > mutex_lock');
    const r = explore(fence.fixed, fence.scenario, { monitors: () => [new LockdepMonitor()] });
    expect(r.violations).toEqual([]);
  });
});
