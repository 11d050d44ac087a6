import fc from 'fast-check';
import type { OpCall, Scenario, ThreadSpec } from '../scenario.ts';
import { ChoiceScheduler, PctScheduler, type Scheduler } from '../schedule.ts';
import { expandCommand, preludeOf, type RoleSpec, type ScenarioSpace, type SpaceBounds, threadCounts } from '../space.ts';

/**
 * Scenarios as a fast-check arbitrary. It shrinks towards fewer threads and
 * fewer, earlier-listed commands, so a shrunk counterexample keeps only the
 * operations the bug needs.
 */
export function scenarioArbitrary(space: ScenarioSpace, bounds: SpaceBounds): fc.Arbitrary<Scenario> {
  const roleArbs = space.roles.map((role) => roleArbitrary(role, bounds));
  return fc.tuple(...roleArbs).map((perRole) => {
    const threads = perRole.flat();
    return { threads, ...(space.setup ? { setup: space.setup } : {}) };
  });
}

function roleArbitrary(role: RoleSpec, bounds: SpaceBounds): fc.Arbitrary<ThreadSpec[]> {
  const { min, max } = threadCounts(role, bounds);
  const calls = role.commands.flatMap(expandCommand);
  const call: fc.Arbitrary<OpCall> = calls.length > 0 ? fc.constantFrom(...calls) : fc.constant({ op: '', args: {} });
  const ops: fc.Arbitrary<OpCall[]> =
    calls.length > 0 && bounds.opsPerThread > 0
      ? fc.array(call, { minLength: role.prelude ? 0 : 1, maxLength: bounds.opsPerThread })
      : fc.constant<OpCall[]>([]);
  // the role's thread names, made once: a string made afresh per run is hashed again at each lookup by it
  const names = Array.from({ length: max }, (_, i) => `${role.role}${i}`);
  return fc
    .array(ops, { minLength: min, maxLength: max })
    .map((lists) => lists.map((l, i) => ({ name: names[i] as string, ops: [...preludeOf(role, i), ...l] })));
}

/** A uniform schedule: one choice per decision point (see ChoiceScheduler); shrinks to fewer switches. */
export function choiceScheduleArbitrary(maxDecisions = 200): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 7 }), { maxLength: maxDecisions });
}

export interface PctSchedule {
  readonly priorities: number[];
  readonly changeAt: number[];
}

/** A PCT schedule: thread priorities and a few priority-change points (bug depth + 1 ≈ changes + 1). */
export function pctScheduleArbitrary(maxThreads: number, maxChanges = 3, horizon = 200): fc.Arbitrary<PctSchedule> {
  return fc.record({
    priorities: fc.array(fc.nat({ max: 100 }), { minLength: maxThreads, maxLength: maxThreads }),
    changeAt: fc.array(fc.nat({ max: horizon }), { maxLength: maxChanges }),
  });
}

/**
 * Which schedules random search draws: uniform choices (good at bugs that need
 * many small switches), PCT priorities (good at bugs that need one thread to
 * stall for long, e.g. a waiter that must not run until a revoke has gone far),
 * or, by default, either at each run.
 */
export type ScheduleKind = 'uniform' | 'pct' | 'mixed';

export type Schedule = number[] | PctSchedule;

export function scheduleArbitrary(kind: ScheduleKind, maxThreads: number): fc.Arbitrary<Schedule> {
  const pct = () => pctScheduleArbitrary(Math.max(1, maxThreads));
  if (kind === 'uniform') return choiceScheduleArbitrary();
  if (kind === 'pct') return pct();
  return fc.oneof(choiceScheduleArbitrary(), pct());
}

export function schedulerFor(s: Schedule): Scheduler {
  return Array.isArray(s) ? new ChoiceScheduler(s) : new PctScheduler(s.priorities, s.changeAt);
}
