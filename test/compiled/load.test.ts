/**
 * Which files the loader compiles (built-in model code strictly, users' files
 * leniently, nothing else), and its disk cache: a compile is kept under
 * node_modules/.cache and read back for the same transform, file and source.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compiledCode, compileKind, runtimePath } from '../../checker/compiled/load.ts';

const root = join(import.meta.dirname, '..', '..');
const cacheDir = join(root, 'node_modules', '.cache', 'vfio-dmabuf-compiled');
// a fresh checkout under the mutation config (cache off) has none yet
mkdirSync(cacheDir, { recursive: true });
const model = `export function* f(ctx) {\n  yield* g(ctx);\n}\nfunction* g() {}\n`;
const outside = `export function* f(ctx) {\n  let n = 1;\n  yield* g(ctx);\n  n = 2;\n  return () => n;\n}\nfunction* g() {}\n`;

describe('which files are compiled', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('built-in model code is strict: model/, kernel/, the Ctx and the SPIN protocol', () => {
    for (const f of ['model/core/device.ts', 'kernel/mutex.ts', 'checker/context.ts', 'bench/spin/tight.ts', 'kernel/lockdep/map.js'])
      expect(compileKind(join(root, f)), f).toBe('strict');
  });

  it("users' files are lenient: outside the repository, examples/, test helpers", () => {
    expect(compileKind(join(tmpdir(), 'variant.ts'))).toBe('lenient');
    expect(compileKind(join(root, 'examples', 'x.mts'))).toBe('lenient');
    expect(compileKind(join(root, 'test', 'compiled', 'frames-toys.ts'))).toBe('lenient');
  });

  it('the rest is left alone: the checker, tests, dependencies, other file types', () => {
    for (const f of ['checker/world.ts', 'test/compiled/frames.test.ts', 'cli/bin.ts', 'bench/spin/run.ts', 'model/x.json', 'model/x.tsx'])
      expect(compileKind(join(root, f)), f).toBeNull();
    expect(compileKind(join(root, 'node_modules', 'kernel', 'x.ts'))).toBeNull();
    expect(compileKind(join(tmpdir(), 'node_modules', 'x.ts'))).toBeNull();
  });

  it('VFIO_DMABUF_MODEL_NO_COMPILE leaves even the model native', () => {
    vi.stubEnv('VFIO_DMABUF_MODEL_NO_COMPILE', '1');
    expect(compileKind(join(root, 'kernel', 'mutex.ts'))).toBeNull();
  });
});

describe('compiledCode', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('compiles model code against the runtime it is given', () => {
    const out = compiledCode(model, join(root, 'kernel', 'k.ts'), 'RUNTIME-SPEC');
    expect(out).toContain('import * as __rt from "RUNTIME-SPEC"');
    expect(out).toContain('__rt.frame(');
    expect(runtimePath).toBe(join(root, 'checker', 'compiled', 'runtime.ts'));
  });

  it('leaves code without generators, files it does not compile and code already compiled as they are', () => {
    const plain = 'export const yieldCount = 1;\n';
    expect(compiledCode(plain, join(root, 'kernel', 'k.ts'), 'rt')).toBe(plain);
    expect(compiledCode(model, join(root, 'checker', 'world.ts'), 'rt')).toBe(model);
    const once = compiledCode(model, join(root, 'kernel', 'k.ts'), 'rt');
    expect(compiledCode(once, join(root, 'kernel', 'k.ts'), 'rt')).toBe(once);
  });

  it('built-in model code outside the subset fails to load', () => {
    expect(() => compiledCode(outside, join(root, 'model', 'bad.ts'), 'rt')).toThrow(/bad\.ts:5: a closure capturing `n`/);
  });

  it("notes a user's file outside the subset once, however often it is loaded", () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const file = join(tmpdir(), `user-once-${process.pid}-${Math.random()}.ts`);
    expect(compiledCode(outside, file, 'rt')).toBe(outside);
    expect(compiledCode(outside, file, 'rt')).toBe(outside);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('keeps a compile on disk and reads it back for the same file and source', () => {
    vi.stubEnv('VFIO_DMABUF_COMPILED_NO_CACHE', '');
    // a source no earlier run compiled, so its cache entry is new
    const src = `${model}// ${process.pid} ${Math.random()}\n`;
    const file = join(root, 'kernel', 'cache-probe.ts');
    const before = new Set(readdirSync(cacheDir));
    const out = compiledCode(src, file, 'rt');
    const added = readdirSync(cacheDir).filter((f) => !before.has(f) && readFileSync(join(cacheDir, f), 'utf8') === out);
    expect(added).toHaveLength(1);
    const entry = join(cacheDir, added[0] as string);
    expect(added[0]).toMatch(/^[0-9a-f]{64}\.js$/);
    expect(readFileSync(entry, 'utf8')).toBe(out);
    // the next load reads the entry instead of compiling again
    writeFileSync(entry, 'cached');
    expect(compiledCode(src, file, 'rt')).toBe('cached');
    // with the cache off (a mutation run), the entry is not read
    vi.stubEnv('VFIO_DMABUF_COMPILED_NO_CACHE', '1');
    expect(compiledCode(src, file, 'rt')).toBe(out);
    vi.stubEnv('VFIO_DMABUF_COMPILED_NO_CACHE', '');
    // another runtime specifier is another entry
    expect(compiledCode(src, file, 'rt2')).toBe(out.replace('"rt"', '"rt2"'));
  });

  it('with the cache off, compiles every time and writes nothing', () => {
    vi.stubEnv('VFIO_DMABUF_COMPILED_NO_CACHE', '1');
    const marker = `off ${process.pid} ${Math.random()}`;
    const before = new Set(readdirSync(cacheDir));
    expect(compiledCode(`${model}// ${marker}\n`, join(root, 'kernel', 'k.ts'), 'rt')).toContain('__rt.frame(');
    // other test files may fill the cache meanwhile: none of what they add is this compile
    const added = readdirSync(cacheDir).filter((f) => !before.has(f));
    expect(added.filter((f) => readFileSync(join(cacheDir, f), 'utf8').includes(marker))).toEqual([]);
  });
});
