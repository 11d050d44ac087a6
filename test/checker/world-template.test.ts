/**
 * Executions start from a copy of the world the system's setup built once
 * (execution.ts initialWorld, World.clone): each must start from exactly what a
 * fresh setup builds, whatever the executions before it did to their copies.
 */
import { describe, expect, it } from 'vitest';
import { Execution } from '../../checker/execution.ts';
import { spaceScenarios } from '../../checker/search/space-search.ts';
import { World } from '../../checker/world.ts';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { upstream71 } from '../../model/dmabuf/upstream/index.ts';
import { systemOf } from '../../properties/system.ts';

const { bounds } = dmabufDomain.parseBounds(['exported=2', 'fence=1']);
const system = systemOf(dmabufDomain, upstream71);
const scenario = [...spaceScenarios(dmabufDomain.space(bounds), dmabufDomain.searchBounds(bounds))].at(-1);

const fingerprint = (w: World) => {
  const h = { a: 0, b: 0 };
  w.fingerprint(h);
  return h;
};

describe('the setup template', () => {
  it('every execution starts from what a fresh setup builds, after others changed their copies', () => {
    if (!scenario) throw new Error('no scenario');
    const fresh = new World(true);
    system.setup(fresh, scenario.setup ?? {});
    let end: { key: string; fp: { a: number; b: number } } | null = null;
    for (let run = 0; run < 3; run++) {
      const exec = new Execution(system, scenario, { trackLocals: true });
      expect(exec.world.key()).toBe(fresh.key());
      expect(fingerprint(exec.world)).toEqual(fingerprint(fresh));
      // the same path every time, to the end: it writes fields, sends lifecycle events, creates and frees objects
      let steps = 0;
      while (!exec.isOver() && exec.runnable().length > 0) exec.step(exec.runnable()[steps++ % exec.runnable().length] as number);
      expect(steps).toBeGreaterThan(10);
      expect(exec.world.key()).not.toBe(fresh.key());
      // and ends in the same world, fingerprint included (kept up to date from each field's hash)
      const now = { key: exec.world.key(), fp: { ...fingerprint(exec.world) } };
      if (end) expect(now).toEqual(end);
      end = now;
    }
  });
});
