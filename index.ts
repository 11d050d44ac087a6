/**
 * The public API of vfio-dmabuf-model: what a user's own design (a variant
 * module outside this repository) and scripts are written against.
 * See docs/variants.md.
 */

export type { Ref } from './checker/kind.ts';
export { type Design, defineVariant, rootDesign, type VariantSpec } from './model/design.ts';
export * as errno from './model/errno.ts';
export type { Flags } from './model/flags.ts';
export type { FunctionTable, K, ModelFunctions, Primitives } from './model/functions.ts';
export * as kinds from './model/kinds.ts';
export { loadDesign } from './model/load.ts';
export { lifecycles } from './model/machines/index.ts';
export * as objects from './model/objects.ts';
export type { ImporterKind } from './model/upstream/dma_buf.ts';
export { upstream71, upstreamFunctions } from './model/upstream/index.ts';
export type { DmaBufRequest } from './model/upstream/vfio_pci_dmabuf.ts';
export { builtinDesigns, findBuiltin } from './model/variants/index.ts';
export { dmabufProperties, propertiesOf } from './properties/catalog.ts';
export { checkDesign, checkDesignJobs } from './properties/check.ts';

import { findBuiltin } from './model/variants/index.ts';

/** Built-in designs by name, for `defineVariant(api.designs['upstream-7.1'], ...)`. */
export const designs = new Proxy({} as Record<string, import('./model/design.ts').Design<never>>, {
  get: (_t, name) => (typeof name === 'string' ? findBuiltin(name) : undefined),
});
