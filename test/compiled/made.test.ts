/**
 * A generator made at run time in a plain function (transform.ts
 * tagPlainClosures): its frames and the locals holding it are identified by
 * where it was made and the values it captured, not by the new function
 * object each call makes, so states that differ only in which call made it
 * merge; ones whose generators captured different values do not.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../checker/compiled/engine.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { madeSystem } from './made-toys.ts';

const scenario = (...ops: string[]): Scenario => ({ threads: ops.map((op, i) => ({ name: `t${i}`, ops: [{ op, args: {} }] })) });
const search = (s: Scenario, engine: Engine, dpor = false, exact = false) =>
  exploreScenario(madeSystem, s, { collectAll: true, dpor, exactKeys: exact, maxDepth: 300, execOptions: { engine } });

describe('generators made at run time', () => {
  for (const exact of [false, true]) {
    it(`count as many states as the same body made once${exact ? ' (exact keys)' : ''}`, () => {
      const once = search(scenario('once', 'once', 'once'), 'compiled', false, exact).coverage.states;
      const made = search(scenario('made', 'made', 'made'), 'compiled', false, exact).coverage.states;
      // identified by their function objects, the three threads' generators would split every state past their first steps
      expect(made).toBe(once);
    });
  }

  for (const dpor of [false, true]) {
    it(`are kept apart when they captured different values${dpor ? ' (DPOR)' : ''}`, () => {
      const s = scenario('raise', 'read_then_made');
      const g = search(s, 'generators', dpor).byKind.get('deadlock');
      const c = search(s, 'compiled', dpor).byKind.get('deadlock');
      expect(g).toBeDefined();
      expect(c?.path).toEqual(g?.path);
    });
  }
});
