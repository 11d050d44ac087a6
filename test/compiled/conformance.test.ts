/**
 * The compiled engine runs the same model as the generator engine: random
 * executions of every built-in design give the same trace (traceDigest: thread,
 * stack, action, changes, returns per step) in both forms. The issue asks for
 * 10,000 per design; this file runs COMPILED_RUNS (default 40 per design, what fits
 * in about a minute here): `COMPILED_RUNS=10000 npx vitest run test/compiled/conformance.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../checker/compiled/engine.ts';
import { runScenario } from '../../checker/run.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { spaceScenarios } from '../../checker/scenario-list.ts';
import type { Scheduler } from '../../checker/schedule.ts';
import { traceDigest } from '../../checker/trace.ts';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { systemOf } from '../../properties/system.ts';

const RUNS = Number(process.env.COMPILED_RUNS ?? 40);

/** A seeded scheduler (mulberry32) so both engines see the same choices. */
function seeded(seed: number): Scheduler {
  let s = seed >>> 0;
  return {
    choose(runnable) {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return runnable[Math.floor(r * runnable.length)] as number;
    },
  };
}

function digestOf(design: ReturnType<typeof builtinDesigns>[number], scenario: Scenario, seed: number, engine: Engine): string {
  const domain = domainOf(design.domain);
  const e = runScenario(systemOf(domain, design), scenario, seeded(seed), { record: 'full', engine });
  return `${traceDigest(e.steps)} ${e.violation?.kind ?? 'ok'}`;
}

describe('compiled engine conformance', () => {
  for (const design of builtinDesigns()) {
    it(`${design.name}: ${RUNS} random executions give the same traces`, () => {
      const domain = domainOf(design.domain);
      const bounds = { ...domain.defaultBounds, ...design.bounds };
      const scenarios = [...spaceScenarios(domain.space(bounds), domain.searchBounds(bounds))];
      for (let i = 0; i < RUNS; i++) {
        const scenario = scenarios[(i * 7919) % scenarios.length] as Scenario;
        const g = digestOf(design, scenario, i, 'generators');
        const c = digestOf(design, scenario, i, 'compiled');
        expect(c, `${design.name} run ${i}`).toBe(g);
      }
    });
  }
});
