import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The fast unit tests of checker/, for mutation testing (stryker/checker.config.json):
 * the engine on the toy system and small kernel scenarios; no matrix, no CLI children
 * (they would run unmutated code). No compiled-model plugin: the mutants are tested
 * on the generator engine, so the lifecycle compiler's subset check never sees
 * Stryker's instrumentation.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    // CHECKER_UNIT_TESTS (comma-separated globs) narrows the run to the tests of one file, as
    // a quick run on a few files (docs/mutation.md): a lower bound on their score, in a fraction of the time
    include: process.env.CHECKER_UNIT_TESTS?.split(',') ?? ['test/checker/**/*.test.ts'],
    testTimeout: 60_000,
    // dpor.test.ts's cross-check of every built-in design takes a minute: the full suite runs it
    env: { CHECKER_UNIT_ONLY: '1' },
  },
});
