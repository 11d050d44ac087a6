import type { ExecOptions } from '../execution.ts';
import type { Monitor } from '../monitor.ts';
import type { Violation } from '../point.ts';
import type { Scenario, System } from '../scenario.ts';
import { exploreScenario } from './exhaustive.ts';

export interface MinimizeOptions {
  readonly monitors?: readonly Monitor[];
  readonly execOptions?: Omit<ExecOptions, 'monitors' | 'trackLocals' | 'record'>;
  /** time for the whole minimization */
  readonly timeLimitMs?: number;
  /** time for the interleaving search of one candidate scenario */
  readonly perCandidateMs?: number;
}

export interface Minimized {
  readonly scenario: Scenario;
  readonly path: readonly number[];
  readonly violation: Violation;
  /** scenarios tried */
  readonly candidates: number;
  /** the final path is the shortest interleaving of the final scenario (the search was complete) */
  readonly shortest: boolean;
}

/** Scenarios one step smaller: one thread fewer, or one operation fewer. */
function* smaller(s: Scenario): Generator<Scenario> {
  if (s.threads.length > 1) for (let i = 0; i < s.threads.length; i++) yield { ...s, threads: s.threads.filter((_, j) => j !== i) };
  // Stryker disable next-line EqualityOperator: one index past the end is a thread that is not there (skipped)
  for (let i = 0; i < s.threads.length; i++) {
    const t = s.threads[i];
    if (!t || t.ops.length <= 1) continue;
    for (let k = t.ops.length - 1; k >= 0; k--) {
      const ops = t.ops.filter((_, j) => j !== k);
      yield { ...s, threads: s.threads.map((x, j) => (j === i ? { ...x, ops } : x)) };
    }
  }
}

/**
 * Shrinking that re-searches the schedule: fast-check shrinks the scenario and
 * the schedule separately, so removing an operation usually breaks the old
 * schedule. Here each smaller scenario gets its own interleaving search, so
 * the result keeps only the operations the bug needs, with its shortest
 * interleaving.
 */
export function minimizeCounterexample(
  system: System,
  start: { scenario: Scenario; path: readonly number[]; violation: Violation },
  options: MinimizeOptions = {},
): Minimized {
  // Stryker disable next-line all: the time budget; no test can wait out or race the clock
  const t0 = Date.now();
  const kind = start.violation.kind;
  // Stryker disable next-line all: the time budget; no test can wait out or race the clock
  const budget = options.timeLimitMs ?? 10_000;
  // Stryker disable next-line all: the time budget; no test can wait out or race the clock
  const per = options.perCandidateMs ?? 1_000;
  const base = {
    ...(options.monitors ? { monitors: options.monitors } : {}),
    ...(options.execOptions ? { execOptions: options.execOptions } : {}),
    isFailure: (v: Violation) => v.kind === kind,
  };
  let scenario = start.scenario;
  let candidates = 0;
  let progress = true;
  // Stryker disable next-line all: the time budget; no test can wait out or race the clock
  const inTime = () => Date.now() - t0 < budget;
  while (progress && inTime()) {
    progress = false;
    for (const cand of smaller(scenario)) {
      if (!inTime()) break;
      candidates++;
      // Stryker disable next-line BooleanLiteral: a complete search of the candidate says the same, only later
      const r = exploreScenario(system, cand, { ...base, firstOnly: true, timeLimitMs: per });
      if (r.found) {
        scenario = cand;
        progress = true;
        break;
      }
    }
  }
  // Stryker disable next-line all: the time budget; no test can wait out or race the clock
  const left = Math.max(per, budget - (Date.now() - t0));
  const r = exploreScenario(system, scenario, {
    ...base,
    timeLimitMs: left,
    // Stryker disable next-line all: pruning only: the test below returns the given path whenever this search found none shorter
    ...(scenario === start.scenario ? { shorterThan: start.path.length + 1 } : {}),
  });
  if (r.found && (scenario !== start.scenario || r.found.path.length <= start.path.length))
    return { scenario, path: r.found.path, violation: r.found.violation, candidates, shortest: r.coverage.complete };
  return { scenario: start.scenario, path: start.path, violation: start.violation, candidates, shortest: false };
}
