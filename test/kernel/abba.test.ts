import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { broken, fixed, scenario } from '../toys/abba.ts';
import { explore, kinds, replay, traceText } from './explore.ts';

describe('ABBA', () => {
  it('lockdep reports the cycle in one sequential execution', () => {
    const exec = runScenario(broken, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()], record: 'full' });
    const v = exec.violation;
    expect(v?.kind).toBe('lockdep-cycle');
    expect(v?.thread).toBe('T2');
    expect(v?.message).toContain('T2 acquires &dev->a_lock (mutex_lock in other > mutex_lock)');
    expect(v?.message).toContain('&dev->b_lock taken under &dev->a_lock by T1 in take_a_then_b > mutex_lock');
    const report = v?.report ?? '';
    expect(report).toContain('WARNING: possible circular locking dependency detected');
    expect(report).toContain('T2 is trying to acquire lock:\n (&dev->a_lock){+.+.}, at: other');
    expect(report).toContain('but task is already holding lock:\n (&dev->b_lock){+.+.}, at: other');
    expect(report).toContain('-> #1 (&dev->b_lock){+.+.}:\n       mutex_lock\n       take_a_then_b');
    expect(report).toContain('-> #0 (&dev->a_lock){+.+.}:\n       mutex_lock\n       other');
    expect(report).not.toContain('Chain exists of');
    expect(report).toContain(
      [
        '  lock(&dev->b_lock);',
        '                               lock(&dev->a_lock);',
        '                               lock(&dev->b_lock);',
        '  lock(&dev->a_lock);',
        '',
        ' *** DEADLOCK ***',
        '',
        '1 lock held by T2:',
        ' #0: (&dev->b_lock){+.+.}, at: other',
      ].join('\n'),
    );
    // the trace labels the held locks
    expect(exec.steps.some((s) => s.context.includes('&dev->a_lock'))).toBe(true);
  });

  it('some interleaving really deadlocks', () => {
    const r = explore(broken, scenario, { stopAtFirst: true });
    expect(kinds(r)).toEqual(['deadlock']);
    const found = r.violations[0];
    expect(found?.violation.report).toContain(
      'T1: blocked in take_a_then_b > mutex_lock at mutex_lock(&dev->b_lock) — &dev->b_lock is held by T2',
    );
    expect(found?.violation.report).toContain('T2: blocked in other > mutex_lock at mutex_lock(&dev->a_lock) — &dev->a_lock is held by T1');
    const exec = replay(broken, scenario, found?.path ?? []);
    expect(traceText(exec)).toContain('{&dev->a_lock}');
  });

  it('with lockdep on, every interleaving is reported (before or instead of blocking)', () => {
    const r = explore(broken, scenario, { monitors: () => [new LockdepMonitor()] });
    expect(kinds(r)).toEqual(['lockdep-cycle']);
  });

  it('the fixed order passes lockdep and every interleaving', () => {
    expect(runScenario(fixed, scenario, SEQUENTIAL, { monitors: [new LockdepMonitor()] }).violation).toBeNull();
    const r = explore(fixed, scenario, { monitors: () => [new LockdepMonitor()] });
    expect(r.violations).toEqual([]);
    expect(r.executions).toBeGreaterThan(1);
  });
});
