/**
 * Backtracking by restore (undo the world, rebuild moved threads from their
 * logs) must be indistinguishable from re-running the path from the start, on
 * the real models: same states, same counterexamples, and after any detour a
 * restored execution is the execution it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Execution } from '../../checker/execution.ts';
import { runPath } from '../../checker/run.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { exploreSpace } from '../../checker/search/space-search.ts';
import { enumerateScenarios } from '../../checker/space.ts';
import type { Domain } from '../../model/domain.ts';
import { domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { systemOf } from '../../properties/system.ts';

function setupOf(name: string) {
  const design = findBuiltin(name);
  if (!design) throw new Error(`no design ${name}`);
  const domain: Domain = domainOf(design.domain);
  const { bounds } = domain.parseBounds(Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`));
  const monitors = () => propertiesOf(design.domain).flatMap((p) => p.monitors());
  return { design, domain, bounds, system: systemOf(domain, design), monitors };
}

const summary = (r: ReturnType<typeof exploreSpace>) => ({
  states: r.coverage.states,
  executions: r.coverage.executions,
  transitions: r.coverage.transitions,
  prunedByCache: r.coverage.prunedByCache,
  prunedBySleepSet: r.coverage.prunedBySleepSet,
  byKind: [...r.byKind].map(([k, f]) => [k, f.path.join(','), f.violation.message]).sort(),
});

describe('backtracking by restore equals backtracking by replay', () => {
  for (const name of ['upstream-7.1', 'before-close-order', 'broken-flr-rerevoke', 'sva-mmput-sync']) {
    it(`${name}: the same states, executions and shortest counterexamples`, () => {
      const { domain, bounds, system, monitors, design } = setupOf(name);
      const space = domain.space(bounds, design.focus);
      const sb = domain.searchBounds(bounds);
      const run = (backtrack: 'restore' | 'replay') =>
        // no wall-clock limit: the default bound is finite, and a replay cut by a busy machine would read as a difference
        exploreSpace(system, space, sb, { monitors: monitors(), collectAll: true, backtrack });
      const restore = run('restore');
      const replay = run('replay');
      expect(restore.coverage.complete).toBe(true);
      expect(replay.coverage.complete).toBe(true);
      expect(restore.coverage.restores).toBeGreaterThan(0);
      expect(replay.coverage.restores).toBe(0);
      expect(summary(restore)).toEqual(summary(replay));
    }, 300_000);
  }
});

describe('a restored execution is the execution it was', () => {
  const { domain, bounds, system, monitors } = setupOf('upstream-7.1');
  const scenarios: Scenario[] = [...enumerateScenarios(domain.space(bounds), domain.searchBounds(bounds))].slice(0, 40);

  /** Follows `choices` (each an index into the runnable threads) for as long as the execution lasts. */
  const follow = (exec: Execution, choices: readonly number[]) => {
    for (const c of choices) {
      if (exec.isOver()) return;
      const r = exec.runnable();
      if (r.length === 0) return void exec.stuck();
      exec.step(r[c % r.length] as number);
    }
  };

  it('after any detour: same world, fingerprint, next actions, and the same future as a fresh run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: scenarios.length - 1 }),
        fc.array(fc.nat(7), { maxLength: 60 }),
        fc.array(fc.nat(7), { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(7), { maxLength: 60 }),
        (si, before, detour, after) => {
          const scenario = scenarios[si] as Scenario;
          const opts = { trackLocals: true, record: 'footprint' as const, monitors: monitors() };
          const exec = new Execution(system, scenario, opts);
          follow(exec, before);
          if (exec.isOver()) return;
          const key = exec.world.key();
          const fp = { ...exec.fingerprint() };
          const actions = exec.threadNames.map((_, i) => exec.nextAction(i));
          const snap = exec.save();
          follow(exec, detour);
          exec.restore(snap);
          expect(exec.world.key()).toBe(key);
          expect({ ...exec.fingerprint() }).toEqual(fp);
          expect(exec.threadNames.map((_, i) => exec.nextAction(i))).toEqual(actions);
          follow(exec, after);
          const fresh = runPath(system, scenario, exec.path, opts);
          expect(fresh.ok).toBe(true);
          expect(fresh.exec.world.key()).toBe(exec.world.key());
          expect(fresh.exec.violation?.message ?? null).toBe(exec.violation?.message ?? null);
          if (!exec.isOver()) expect({ ...fresh.exec.fingerprint() }).toEqual({ ...exec.fingerprint() });
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('needs thread logs and monitors that can save their memory', () => {
    const scenario = scenarios[0] as Scenario;
    expect(new Execution(system, scenario, {}).canRestore()).toBe(false);
    const forgetful = { name: 'forgetful', reset() {} };
    expect(new Execution(system, scenario, { trackLocals: true, monitors: [forgetful] }).canRestore()).toBe(false);
    expect(new Execution(system, scenario, { trackLocals: true, monitors: monitors() }).canRestore()).toBe(true);
  });
});
