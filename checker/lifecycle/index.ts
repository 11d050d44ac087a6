/**
 * Lifecycle machines: XState definitions compiled to integer transition tables
 * the model checker can step cheaply, plus the check that the two agree.
 */
export { accepts } from './accepts.ts';
export { NotPlainDataError } from './canonical.ts';
export { type CompiledLifecycle, type CompileOptions, compileLifecycle } from './compile.ts';
export { conformanceCheck, type Disagreement } from './conformance.ts';
export { assertCompilable, UncompilableLifecycleError } from './reject.ts';
