/**
 * The public API of vfio-dmabuf-model: what a user's own design (a variant
 * module outside this repository) and scripts are written against.
 * See docs/variants.md.
 */
export { defineVariant, rootDesign, type Design, type VariantSpec } from './model/design.ts';
export type { K, FunctionTable, Primitives, ModelFunctions } from './model/functions.ts';
export type { Flags } from './model/flags.ts';
export * as errno from './model/errno.ts';
export * as objects from './model/objects.ts';
export { upstream71 } from './model/upstream/index.ts';
export { upstreamFunctions } from './model/upstream/index.ts';
export { builtinDesigns, findBuiltin } from './model/variants/index.ts';
export { loadDesign } from './model/load.ts';
export { dmabufProperties, propertiesOf } from './properties/catalog.ts';
export { checkDesign } from './properties/check.ts';
import { findBuiltin } from './model/variants/index.ts';

/** Built-in designs by name, for `defineVariant(api.designs['upstream-7.1'], ...)`. */
export const designs = new Proxy({} as Record<string, import('./model/design.ts').Design<never>>, {
  get: (_t, name) => (typeof name === 'string' ? findBuiltin(name) : undefined),
});
