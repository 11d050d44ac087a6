import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { compiledModel } from '../../checker/compiled/vite-plugin.ts';

/**
 * The fast tests of checker/compiled/, for mutation testing (stryker/checker-compiled.config.json):
 * with the compile plugin, since the compiled engine is what they test. The plugin's transform runs
 * in vitest's main process, where no mutant is ever active; transform.ts's and load.ts's mutants are
 * killed by the tests that call them in the test worker. The compiled cache is off (in both
 * processes): it is keyed by transform.ts's text, which is the same for every mutant of an
 * instrumented file, so a cached compile would hide a mutant. conformance.test.ts runs 3 random
 * executions per design here (COMPILED_RUNS), not 40: a second per mutant instead of a minute.
 */
process.env.VFIO_DMABUF_COMPILED_NO_CACHE = '1';

export default defineConfig({
  plugins: [compiledModel()],
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    // COMPILED_UNIT_TESTS (comma-separated globs) narrows the run, as CHECKER_UNIT_TESTS does for checker/
    include: process.env.COMPILED_UNIT_TESTS?.split(',') ?? ['test/compiled/**/*.test.ts'],
    testTimeout: 60_000,
    env: { VFIO_DMABUF_COMPILED_NO_CACHE: '1', COMPILED_RUNS: '3' },
  },
});
