/**
 * The public API (index.ts) but for loadDesign, which index.ts adds: the
 * loader imports this module and passes it, with itself, to a variant module.
 */

export type { Ctx } from './checker/context.ts';
export { CoverageRecorder, type FunctionCoverage } from './checker/coverage.ts';
export type { Ref } from './checker/kind.ts';
export { extendMachine, type MachineExtension } from './checker/lifecycle/extend.ts';
// object kinds a variant adds (docs/variants.md "Adding an object kind"): an XState machine, extended from a built-in one or new
export { compileLifecycle, conformanceCheck } from './checker/lifecycle/index.ts';
export { LifecycleConformanceError, type MachineKind, machineKind } from './checker/machine-kind.ts';
export type { ArgSpec, OpSignature } from './checker/signature.ts';
export { checkDesignJobs } from './cli/shards.ts';
// object lifetime (issue 20): what model code uses to read, write and check freed objects
export { load, store, useAfterFree } from './kernel/slab.ts';
export { isFreed } from './kernel/types.ts';
export { type CheckScenarioOptions, checkScenario, runScenario, type ScenarioInput } from './loader/scenario-api.ts';
export type { Gen } from './model/bind.ts';
export { type AddedActor, type AddedOperation, type Design, defineVariant, rootDesign, type VariantSpec } from './model/design.ts';
export type { DmaBufRequest, ImporterKind } from './model/dmabuf/arguments.ts';
export type { FunctionTable, K, ModelFunctions, Primitives, TableOf } from './model/dmabuf/functions.ts';
export * as kinds from './model/dmabuf/kinds.ts';
export { lifecycles, machines } from './model/dmabuf/machines/index.ts';
export * as objects from './model/dmabuf/objects.ts';
export { upstream71, upstreamFunctions } from './model/dmabuf/upstream/index.ts';
// evans-2026-rfc-v2's own table functions (set_status, zap_dmabuf_ptes, ...), for a design based on it
export type { EvansFunctions, EvansK, EvansTable } from './model/dmabuf/variants/evans-2026-rfc-v2.ts';
export * as errno from './model/errno.ts';
export type { Flags } from './model/flags.ts';
export { builtinDesigns, findBuiltin } from './model/variants/index.ts';
export { dmabufProperties, propertiesOf } from './properties/catalog.ts';
export { checkDesign } from './properties/check.ts';
export { type CoverageReport, type CoverageRow, coverageReport } from './properties/coverage-report.ts';
export type { RunOutcome, StepOutcome } from './properties/run-scenario.ts';
export { type ScenarioDoc, ScenarioFileError, type ScenarioStep } from './properties/scenario-file.ts';

import { findBuiltin } from './model/variants/index.ts';

/** Built-in designs by name, for `defineVariant(api.designs['upstream-7.1'], ...)`. */
export const designs = new Proxy({} as Record<string, import('./model/design.ts').Design<never>>, {
  get: (_t, name) => (typeof name === 'string' ? findBuiltin(name) : undefined),
});

// the SVA/PASID domain: the same surface as dma-buf's (docs/variants.md)
export type { SvaK, SvaTable } from './model/sva/functions.ts';
export * as svaMachines from './model/sva/machines.ts';
export * as svaObjects from './model/sva/objects.ts';
export { sva2018Functions } from './model/sva/table.ts';
