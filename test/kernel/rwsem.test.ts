import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { ChoiceScheduler, SEQUENTIAL } from '../../checker/schedule.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { broken, fixed, scenario } from '../toys/rwsem-reader.ts';
import { explore, kinds } from './explore.ts';

describe('rwsem: read, queued write, read', () => {
  it('sequentially there is no deadlock (nobody queues)', () => {
    expect(runScenario(broken, scenario, SEQUENTIAL).violation).toBeNull();
  });

  it('a writer queued between two read holds deadlocks', () => {
    const r = explore(broken, scenario, { stopAtFirst: true });
    expect(kinds(r)).toEqual(['deadlock']);
    const report = r.violations[0]?.violation.report ?? '';
    expect(report).toContain('A: blocked in reader > helper_reads_again > down_read at down_read(&vdev->memory_lock) [queued]');
    expect(report).toContain('B: blocked in writer > down_write at down_write(&vdev->memory_lock) [queued]');
    expect(report).toContain('readers A, queue B(W),A(r)');
  });

  it('the exact interleaving: A reads, B queues, A reads again', () => {
    // A: call reader, down_read; switch to B: call writer, down_write (enqueue); back to A: call helper's down_read
    const exec = runScenario(broken, scenario, new ChoiceScheduler([0, 0, 1, 0, 0, 1]));
    expect(exec.violation?.kind).toBe('deadlock');
  });

  it('lockdep reports the recursive read of a non-recursive reader class', () => {
    const v = runScenario(broken, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation;
    expect(v?.kind).toBe('lockdep-recursion');
    expect(v?.message).toContain('A acquires &vdev->memory_lock (down_read in reader > helper_reads_again > down_read)');
    expect(v?.report).toContain('WARNING: possible recursive locking detected');
    expect(v?.report).toContain('  rlock(&vdev->memory_lock);\n  rlock(&vdev->memory_lock);');
    expect(v?.report).toContain(' #0: (&vdev->memory_lock){++++}, at: reader');
  });

  it('the fixed reader passes every interleaving, with lockdep', () => {
    const r = explore(fixed, scenario, { monitors: () => [new LockdepMonitor()] });
    expect(r.violations).toEqual([]);
  });
});
