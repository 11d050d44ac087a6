/** Shared by the SVA tests: designs, monitors, the seed's hazard scenarios, and readable traces. */
import type { Execution } from '../../checker/execution.ts';
import type { Monitor } from '../../checker/monitor.ts';
import { runPath } from '../../checker/run.ts';
import type { OpCall, Scenario } from '../../checker/scenario.ts';
import { type ExhaustiveResult, exploreScenario } from '../../checker/search/exhaustive.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import type { Design } from '../../model/design.ts';
import { svaDomain, svaHazard } from '../../model/sva/domain.ts';
import type { SvaTable } from '../../model/sva/functions.ts';
import { svaProperties } from '../../properties/sva.ts';
import { systemOf } from '../../properties/system.ts';

export { svaHazard };

/** Every SVA property's monitors plus lockdep (the generic lock-order property's monitor). */
export const allMonitors = (): Monitor[] => [new LockdepMonitor(), ...svaProperties.flatMap((p) => p.monitors())];

export const op = (name: string, args: OpCall['args'] = {}): OpCall => ({ op: name, args });

export const SETUP = { procs: 2, groups: 2, bound: 1, max_pasid: 8 };

/** A scenario of these threads and the final exit; with no kworker thread among them, queued work runs in the exit's flush. */
export function scenario(threads: Record<string, OpCall[]>, setup: Record<string, number> = SETUP): Scenario {
  const workers = Object.keys(threads).filter((t) => t.startsWith('kworker')).length;
  return {
    setup: { kworker: workers, ...setup },
    threads: [
      ...Object.entries(threads).map(([name, ops]) => ({ name, ops })),
      { name: 'exit0', ops: [op('exit_all'), op('flush_scheduled_work')] },
    ],
  };
}

/** Every interleaving of a scenario, keeping the shortest counterexample of each violation kind. */
export function explore(design: Design<SvaTable>, sc: Scenario, monitors: () => Monitor[] = allMonitors): ExhaustiveResult {
  return exploreScenario(systemOf(svaDomain, design), sc, { monitors: monitors(), collectAll: true });
}

export function replay(design: Design<SvaTable>, sc: Scenario, path: readonly number[], monitors: Monitor[] = []): Execution {
  return runPath(systemOf(svaDomain, design), sc, path, { record: 'full', monitors }).exec;
}

/** One line per step: thread, action, innermost frames, locks held. */
export function traceText(exec: Execution): string {
  return exec.steps
    .map(
      (s) =>
        `${s.index} ${s.thread}: ${s.action}  [${s.stack.slice(-3).join(' > ')}]${s.context.length ? `  {${s.context.join(', ')}}` : ''}`,
    )
    .join('\n');
}

export function kindsOf(r: { readonly byKind: ReadonlyMap<string, unknown> }): string[] {
  return [...r.byKind.keys()].sort();
}
