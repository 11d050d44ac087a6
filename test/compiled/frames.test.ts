/**
 * The compiled engine's state identity is the threads' frames and pending
 * points, not the log of what they read (docs/engine.md): it merges states the
 * log kept apart, keeps apart states that differ only in what a point's closure
 * captured, and sees a loop back to a state on the path as the livelock the
 * generator engine finds at its step limit.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../checker/compiled/engine.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { flagSystem } from './frames-toys.ts';

const scenario = (...ops: string[]): Scenario => ({ threads: ops.map((op, i) => ({ name: `t${i}`, ops: [{ op, args: {} }] })) });
const search = (s: Scenario, engine: Engine, dpor = false) =>
  exploreScenario(flagSystem, s, { collectAll: true, dpor, maxDepth: 300, execOptions: { engine } });

describe('frames as state identity', () => {
  it('merges states whose threads read different values but hold the same frames', () => {
    const s = scenario('raise', 'glance');
    const g = search(s, 'generators');
    const c = search(s, 'compiled');
    expect(g.found).toBeNull();
    expect(c.found).toBeNull();
    expect(c.coverage.states).toBeLessThan(g.coverage.states);
  });

  for (const dpor of [false, true]) {
    it(`keeps apart points whose closures captured different values${dpor ? ' (DPOR)' : ''}`, () => {
      // t0 raises first, so the state where t1 waits having read 1 is met first (and less deep); the one where it read 0 must not match it
      const s = scenario('raise', 'wait_once');
      const g = search(s, 'generators', dpor).byKind.get('deadlock');
      const c = search(s, 'compiled', dpor).byKind.get('deadlock');
      expect(g?.path.length).toBe(6);
      expect(c?.path).toEqual(g?.path);
    });

    it(`reports a loop back to a state on the path as a livelock${dpor ? ' (DPOR)' : ''}`, () => {
      const s = scenario('poll', 'raise');
      expect([...search(s, 'generators', dpor).byKind.keys()]).toEqual(['livelock']);
      const c = search(s, 'compiled', dpor);
      expect([...c.byKind.keys()]).toEqual(['livelock']);
      expect(c.byKind.get('livelock')?.violation.message).toMatch(/came back to a state it was in 1 steps earlier/);
    });
  }
});
