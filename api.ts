/**
 * The public API (index.ts) but for loadDesign, which index.ts adds: the
 * loader imports this module and passes it, with itself, to a variant module.
 */

export type { Ctx } from './checker/context.ts';
export { CoverageRecorder, type FunctionCoverage } from './checker/coverage.ts';
export type { Loose, LooseEntry, LooseTable, Ref } from './checker/kind.ts';
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
export { type AddedActor, type AddedOperation, defineVariant, rootDesign, type VariantSpec } from './model/design.ts';
export type { DmaBufRequest, ImporterKind } from './model/dmabuf/arguments.ts';
export type { Primitives, TableOf } from './model/dmabuf/functions.ts';
export * as kinds from './model/dmabuf/kinds.ts';
export { lifecycles, machines } from './model/dmabuf/machines/index.ts';
export * as objects from './model/dmabuf/objects.ts';
export { upstream71, upstreamFunctions } from './model/dmabuf/upstream/index.ts';
// evans-2026-rfc-v2's own table functions (set_status, zap_dmabuf_ptes, ...), for a design based on it
export type {
  EvansFunctions as TypedEvansFunctions,
  EvansK as TypedEvansK,
  EvansTable as TypedEvansTable,
} from './model/dmabuf/variants/evans-2026-rfc-v2.ts';
export * as errno from './model/errno.ts';
export type { Flags } from './model/flags.ts';
export { builtinDesigns, findBuiltin } from './model/variants/index.ts';
export { dmabufProperties, propertiesOf } from './properties/catalog.ts';
export { checkDesign } from './properties/check.ts';
export { type CoverageReport, type CoverageRow, coverageReport } from './properties/coverage-report.ts';
export type { RunOutcome, StepOutcome } from './properties/run-scenario.ts';
export { type ScenarioDoc, ScenarioFileError, type ScenarioStep } from './properties/scenario-file.ts';

import type { Loose, LooseTable } from './checker/kind.ts';
import type { Design as ModelDesign } from './model/design.ts';
import type * as dmabuf from './model/dmabuf/functions.ts';
import type * as evans from './model/dmabuf/variants/evans-2026-rfc-v2.ts';
import type * as sva from './model/sva/functions.ts';
import { findBuiltin } from './model/variants/index.ts';

/*
 * The table and bound-kernel types under their first names take plain string ids, as variant files
 * have always been written (`(k: Api.K, priv: string)`); the Typed* forms take the typed handles
 * (Ref<'priv'>) the built-in model uses. Both describe the same functions: at run time a handle is
 * its id string, so a variant may mix them.
 */
export type { FunctionTable as TypedFunctionTable, K as TypedK, ModelFunctions as TypedModelFunctions } from './model/dmabuf/functions.ts';
/** The bound kernel a dma-buf variant's functions take first (`k`), with plain string ids. */
export interface K extends Loose<dmabuf.K> {}
export type FunctionTable = LooseTable<dmabuf.FunctionTable>;
export type ModelFunctions = Loose<dmabuf.ModelFunctions>;
export interface EvansK extends Loose<evans.EvansK> {}
export type EvansTable = LooseTable<evans.EvansTable>;
export type EvansFunctions = Loose<evans.EvansFunctions>;
/** A design over table T: by default the dma-buf table with plain string ids (FunctionTable above). */
export type Design<T extends object = FunctionTable> = ModelDesign<T>;

/** Built-in designs by name, for `defineVariant(api.designs['upstream-7.1'], ...)`. */
export const designs = new Proxy({} as Record<string, import('./model/design.ts').Design<never>>, {
  get: (_t, name) => (typeof name === 'string' ? findBuiltin(name) : undefined),
});

// the SVA/PASID domain: the same surface as dma-buf's (docs/variants.md)
export type { SvaK as TypedSvaK, SvaTable as TypedSvaTable } from './model/sva/functions.ts';
/** The SVA domain's bound kernel and table with plain string ids, as the dma-buf ones above */
export interface SvaK extends Loose<sva.SvaK> {}
export type SvaTable = LooseTable<sva.SvaTable>;
export * as svaMachines from './model/sva/machines.ts';
export * as svaObjects from './model/sva/objects.ts';
export { sva2018Functions } from './model/sva/table.ts';
