import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { broken, counterMonitor, fixed, scenario } from '../toys/lost-update.ts';
import { explore, kinds, replay, traceText } from './explore.ts';

describe('lost update', () => {
  const monitors = () => [counterMonitor(2), new LockdepMonitor()];

  it('the sequential schedule passes', () => {
    expect(runScenario(broken, scenario, SEQUENTIAL, { monitors: monitors() }).violation).toBeNull();
  });

  it('an interleaving of READ_ONCE/WRITE_ONCE loses an increment', () => {
    const r = explore(broken, scenario, { monitors, stopAtFirst: true });
    expect(kinds(r)).toEqual(['lost-update']);
    const trace = traceText(replay(broken, scenario, r.violations[0]?.path ?? [], monitors()));
    expect(trace).toContain('READ_ONCE(counter->n)');
    expect(trace).toContain('counter_inc > READ_ONCE');
  });

  it('under a mutex no interleaving loses one', () => {
    const r = explore(fixed, scenario, { monitors });
    expect(r.violations).toEqual([]);
  });
});
