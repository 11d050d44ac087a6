/**
 * One fixed scenario as a space for random search: a role per thread role,
 * with exactly the scenario's threads, each running only its own operations
 * (a prelude, no commands to choose), so that runs differ by schedule alone.
 */
import type { Scenario, ThreadSpec } from '../checker/scenario.ts';
import type { RoleSpec, ScenarioSpace, SpaceBounds } from '../checker/space.ts';

export function scenarioSpace(scenario: Scenario): { space: ScenarioSpace; bounds: SpaceBounds } {
  const byRole = new Map<string, ThreadSpec[]>();
  for (const t of scenario.threads) {
    const m = /^(.*?)(0|[1-9][0-9]*)$/.exec(t.name);
    if (!m) throw new Error(`thread ${t.name}: a fixed scenario's threads are named <role><n>`);
    const list = byRole.get(m[1] as string) ?? [];
    list[Number(m[2])] = t;
    byRole.set(m[1] as string, list);
  }
  for (const [role, list] of byRole)
    for (let i = 0; i < list.length; i++)
      if (!list[i]) throw new Error(`the ${role} threads of a fixed scenario are numbered from 0 with no gap: ${role}${i} is missing`);
  const roles: RoleSpec[] = [...byRole].map(([role, threads]) => ({
    role,
    commands: [],
    min: threads.length,
    max: threads.length,
    prelude: (i: number) => (threads[i] as ThreadSpec).ops,
  }));
  const threads = Math.max(1, ...[...byRole.values()].map((t) => t.length));
  return { space: { roles, ...(scenario.setup ? { setup: scenario.setup } : {}) }, bounds: { threads, opsPerThread: 0 } };
}
