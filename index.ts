/**
 * The public API of vfio-dmabuf-model: what a user's own design (a variant
 * module outside this repository) and scripts are written against.
 * See docs/variants.md. Everything but the loader lives in api.ts, so that
 * the loader can hand a variant module this whole API without importing it.
 */
export * from './api.ts';
export { loadDesign } from './loader/load.ts';
