import { defineConfig } from 'vitest/config';
import { compiledModel } from './checker/compiled/vite-plugin.ts';

export default defineConfig({
  plugins: [compiledModel()],
  test: {
    include: ['test/**/*.test.ts'],
    // mutation runs (npm run mutation) are not tests: their sandboxes and reports stay out
    exclude: ['**/node_modules/**', '.stryker-tmp/**', 'stryker/**', 'reports/**'],
    testTimeout: 600_000,
    // the exhaustive suites are CPU-bound: one worker per core of the 2-core CI machine
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-result.json' },
  },
});
