/**
 * Which engine a run gets when it names none (defaultEngineFor): a keyed
 * search takes frames, a random run native generators; a named engine
 * (--engine, VFIO_DMABUF_MODEL_ENGINE) wins over both. An Execution picks its
 * kind by trackLocals, which every keyed search asks for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultEngineFor, ENGINES, engineChoice } from '../../checker/compiled/engine.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { flagSystem } from './frames-toys.ts';

describe('defaultEngineFor', () => {
  it('gives a keyed search frames and a random run generators', () => {
    expect(defaultEngineFor('keyed', undefined)).toBe('compiled');
    expect(defaultEngineFor('random', undefined)).toBe('generators');
  });

  it('gives a named engine to either kind of run', () => {
    for (const e of ENGINES) {
      expect(defaultEngineFor('keyed', e)).toBe(e);
      expect(defaultEngineFor('random', e)).toBe(e);
    }
  });
});

describe('a search that names no engine', () => {
  const saved = engineChoice.engine;
  afterEach(() => {
    engineChoice.engine = saved;
  });

  // raise ∥ glance: frames merge the states where glance read 0 and 1 and kept neither (frames.test.ts)
  const scenario: Scenario = { threads: ['raise', 'glance'].map((op, i) => ({ name: `t${i}`, ops: [{ op, args: {} }] })) };
  const states = (engine?: 'generators' | 'compiled') =>
    exploreScenario(flagSystem, scenario, { collectAll: true, maxDepth: 300, ...(engine ? { execOptions: { engine } } : {}) }).coverage
      .states;

  it('is keyed: it counts the states of the compiled engine', () => {
    engineChoice.engine = undefined;
    expect(states()).toBe(states('compiled'));
    expect(states()).toBeLessThan(states('generators'));
  });

  it('takes the engine the user named', () => {
    engineChoice.engine = 'generators';
    expect(states()).toBe(states('generators'));
  });
});
