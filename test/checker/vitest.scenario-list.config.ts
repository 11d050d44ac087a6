import { defineConfig } from 'vitest/config';
import unit from './vitest.unit.config.ts';

/**
 * checker/scenario-list.ts's own mutation tests (stryker/checker-scenario-list.ts.config.json):
 * its fast rule tests alone. Most of its mutants are static (the generator tables are built
 * when the module loads), and Stryker runs every test of its config for a static mutant: with
 * the whole checker unit set that is minutes a mutant, with this file seconds.
 */
export default defineConfig({ test: { ...unit.test, include: ['test/checker/scenario-list-rules.test.ts'] } });
