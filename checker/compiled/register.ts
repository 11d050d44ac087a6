/**
 * `--import` after tsx (or imported after tsx's register()): model code loaded
 * from here on gets the compiled engine's siblings (checker/compiled/hook.ts).
 */
import { register } from 'node:module';

// Stryker disable next-line all: not run in-process (registering a hook in a test worker would change how every later module loads); the CLI tests run it
register('./hook.ts', import.meta.url);
