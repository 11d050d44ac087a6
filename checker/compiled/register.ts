/**
 * `--import` after tsx (or imported after tsx's register()): model code loaded
 * from here on gets the compiled engine's siblings (checker/compiled/hook.ts).
 */
import { register } from 'node:module';

register('./hook.ts', import.meta.url);
