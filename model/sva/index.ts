/** The SVA / PASID bind model of seed 003 (docs/sva.md): its domain and its designs. */
import seed from './variants/sva-2018-v2.ts';
import noPtraceCheck from './variants/sva-bind-no-ptrace-check.ts';
import coreNowait from './variants/sva-core-nowait.ts';
import iopfNoFlush from './variants/sva-iopf-no-flush.ts';
import mmputSync from './variants/sva-mmput-sync.ts';
import noMmExit from './variants/sva-no-mm-exit.ts';
import noMmgrab from './variants/sva-unbind-no-mmgrab.ts';

export { svaDomain } from './domain.ts';
export type { SvaK, SvaTable } from './functions.ts';
export { sva2018Functions } from './table.ts';

/** Every SVA design, the seed first. */
export const svaDesigns = [seed, mmputSync, noMmExit, noMmgrab, coreNowait, noPtraceCheck, iopfNoFlush];
