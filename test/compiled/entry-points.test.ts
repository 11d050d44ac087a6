/**
 * The two ways model code reaches the transform: Node's load hook (the CLI,
 * `--import checker/compiled/register.ts`) and the vitest plugin. Each gives
 * model code its compiled form and everything else back untouched; and the
 * engine a run uses when it names none comes from VFIO_DMABUF_MODEL_ENGINE.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { load } from '../../checker/compiled/hook.ts';
import { runtimePath } from '../../checker/compiled/load.ts';
import { compiledModel } from '../../checker/compiled/vite-plugin.ts';

const root = join(import.meta.dirname, '..', '..');
const model = `export function* f(ctx) {\n  yield* g(ctx);\n}\nfunction* g() {}\n`;
const kernelFile = join(root, 'kernel', 'probe.ts');
const typed = `export function* f(ctx: unknown): Generator<unknown, void> {\n  yield* g(ctx);\n}\nfunction* g(_: unknown) {}\n`;

describe('the load hook', () => {
  const next = (r: { format?: string; source?: string | Uint8Array }) => async () => r;

  it('compiles a JavaScript model module, from text or bytes, against the runtime by URL', async () => {
    const url = pathToFileURL(join(root, 'kernel', 'probe.js')).href;
    for (const source of [model, new TextEncoder().encode(model)]) {
      const r = await load(url, {}, next({ format: 'module', source }));
      expect(r.format).toBe('module');
      expect(String(r.source)).toContain(`import * as __rt from "${pathToFileURL(runtimePath).href}"`);
    }
  });

  it("compiles a TypeScript model module from its source on disk, not from the loader's JavaScript", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hook-')), 'user-variant.ts');
    writeFileSync(file, typed);
    const r = await load(pathToFileURL(file).href, {}, next({ format: 'module', source: 'export const minified=1;' }));
    const out = String(r.source);
    expect(out).toContain('__rt');
    expect(out).not.toContain('minified');
    expect(out).not.toContain(': unknown');
  });

  it('passes through what is not a file module with a source', async () => {
    const url = pathToFileURL(kernelFile).href;
    for (const r of [{ format: 'commonjs', source: model }, { format: 'module' }]) expect(await load(url, {}, next(r))).toBe(r);
    const r = { format: 'module', source: model };
    expect(await load('data:text/javascript,1', {}, next(r))).toBe(r);
    expect(await load('node:fs', {}, next(r))).toBe(r);
  });

  it('leaves a module that is not model code as it was loaded', async () => {
    const r = await load(pathToFileURL(join(root, 'checker', 'world.ts')).href, {}, next({ format: 'module', source: model }));
    expect(r.source).toBe(model);
  });
});

describe('the vitest plugin', () => {
  const plugin = compiledModel();

  it("runs before Vite's TypeScript transform, making the JavaScript itself, and compiles model code, query strings aside", () => {
    expect(plugin.enforce).toBe('pre');
    expect(plugin.name).toBe('vfio-dmabuf-compiled-model');
    const out = plugin.transform(typed, `${kernelFile}?v=123`);
    expect(out?.map).toBeNull();
    expect(out?.code).toContain(`import * as __rt from ${JSON.stringify(runtimePath)}`);
    expect(out?.code).not.toContain(': unknown');
  });

  it('returns null (no change) for code that is not the model or has nothing to compile', () => {
    expect(plugin.transform(model, join(root, 'checker', 'world.ts'))).toBeNull();
    expect(plugin.transform('export const a = 1;\n', kernelFile)).toBeNull();
  });
});

describe('the default engine', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  const fresh = async () => (await import('../../checker/compiled/engine.ts')).engineChoice.engine;

  it('is the one VFIO_DMABUF_MODEL_ENGINE names, and none for anything else', async () => {
    vi.stubEnv('VFIO_DMABUF_MODEL_ENGINE', 'compiled');
    vi.resetModules();
    expect(await fresh()).toBe('compiled');
    vi.stubEnv('VFIO_DMABUF_MODEL_ENGINE', 'generators');
    vi.resetModules();
    expect(await fresh()).toBe('generators');
    vi.stubEnv('VFIO_DMABUF_MODEL_ENGINE', 'no-such-engine');
    vi.resetModules();
    expect(await fresh()).toBeUndefined();
  });

  it('both engines are listed', async () => {
    expect((await import('../../checker/compiled/engine.ts')).ENGINES).toEqual(['generators', 'compiled']);
  });
});
