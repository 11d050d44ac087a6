import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The fast unit tests of kernel/, for mutation testing (stryker/kernel.config.json):
 * no matrix, no CLI children (they would run unmutated code), a few seconds in all.
 * No compiled-model plugin: the mutants are tested on the generator engine, so the
 * lifecycle compiler's subset check never sees Stryker's instrumentation.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    // KERNEL_UNIT_TESTS (comma-separated globs) narrows the run, as CHECKER_UNIT_TESTS does for checker/
    include: process.env.KERNEL_UNIT_TESTS?.split(',') ?? ['test/kernel/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
