/**
 * Which files get the compiled form, and a disk cache of the transform (it
 * costs seconds over the whole model; the cache makes it once per change).
 * Built-in model code must be inside the subset; any other file that fails
 * the check stays native, with a one-line note.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { transformSync } from 'esbuild';
import { inferNames } from './keep-names.ts';
import { cacheDir, cachedModelFile, compileKind, modelFileCache, root } from './model-files.ts';
import { compileModelSource, hasGenerators, SubsetError } from './transform.ts';

const transformSrc = ['transform.ts', 'liveness.ts', 'keep-names.ts']
  .map((f) => readFileSync(join(root, 'checker', 'compiled', f), 'utf8'))
  .join('');

export { compileKind, runtimePath } from './model-files.ts';

/** A model file's JavaScript, and where each of its lines came from in the file as written. */
export interface ModelJavaScript {
  readonly code: string;
  /** the file's line a line and column of `code` were made from (none: the code is the file) */
  readonly lineOf: ((line: number, column: number) => number) | undefined;
  /** the source map, as text: the same JavaScript can come from files laid out differently */
  readonly map: string;
}

/**
 * Model TypeScript as JavaScript, made here rather than taken from the loader
 * in front (tsx for the command line, Vite for the tests): both paths then
 * compile the same text, so they name locals alike (the frames hold one per
 * name, and so count the same states); tsx also minifies whitespace. esbuild
 * reprints the code, so messages name the file's lines through its source map.
 */
export function modelJavaScript(ts: string, file: string): ModelJavaScript {
  const out = transformSync(ts, {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    keepNames: true,
    sourcefile: file,
    sourcemap: 'external',
  });
  const map = new TraceMap(out.map);
  const lineOf = (line: number, column: number) => originalPositionFor(map, { line, column }).line ?? line;
  return { code: out.code, lineOf, map: out.map };
}

const noted = new Set<string>();

/**
 * The code to run for a file's JavaScript (as written, or made by modelJavaScript);
 * `runtime` is how that module system spells runtime.ts.
 */
export function compiledCode(source: string | ModelJavaScript, file: string, runtime: string): string {
  const { code: js, lineOf, map } = typeof source === 'string' ? { code: source, lineOf: undefined, map: '' } : source;
  const kind = compileKind(file);
  // a worker thread's hooks see code the main thread's already compiled
  if (!kind || !hasGenerators(js) || js.includes('import * as __rt from')) return js;
  const key = createHash('sha256')
    .update(transformSrc)
    .update(runtime)
    .update(file)
    .update(js)
    .update(map)
    .update(process.env.VFIO_DMABUF_MODEL_NO_LIVENESS ? 'all locals' : '')
    .digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  // mutation runs (test/compiled/vitest.unit.config.ts): the key is the same for every mutant of transform.ts
  const useCache = !process.env.VFIO_DMABUF_COMPILED_NO_CACHE;
  if (useCache) {
    try {
      return readFileSync(cached, 'utf8');
    } catch {}
  }
  let out: string;
  try {
    out = inferNames(compileModelSource(js, file, runtime, lineOf));
  } catch (e) {
    if (kind === 'strict') throw e;
    if (!noted.has(file)) {
      noted.add(file);
      process.stderr.write(`vfio-dmabuf-model: note: ${whyNative(e, file)}; this file runs on the generator engine\n`);
    }
    return js;
  }
  if (useCache) keep(cached, out);
  return out;
}

/** Writes a cache file whole (a rename, so a reader never sees half of one); a cache that cannot be written is only slower. */
function keep(cached: string, out: string): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${cached}.tmp${process.pid}`, out);
    renameSync(`${cached}.tmp${process.pid}`, cached);
  } catch {}
}

/**
 * A model file's code to run, from its TypeScript: modelJavaScript then
 * compiledCode, a built-in file's kept on disk by its TypeScript's own hash
 * (model-files.ts), so that a start whose files did not change runs neither
 * esbuild nor the hash of their JavaScript. Users' files, whose compile may
 * fall back to native with a note to print, take the two steps every time.
 */
export function compiledModelFile(ts: string, file: string, runtime: string): string {
  const cached = modelFileCache(ts, file, runtime);
  if (cached === null) return compiledCode(modelJavaScript(ts, file), file, runtime);
  const hit = cachedModelFile(cached);
  if (hit !== null) return hit;
  const out = compiledCode(modelJavaScript(ts, file), file, runtime);
  keep(cached, out);
  return out;
}

/** The one line a user's file left native gets: the construct, or what the transform met that it could not take. */
function whyNative(e: unknown, file: string): string {
  if (e instanceof SubsetError) return e.line;
  const first = String(e instanceof Error ? e.message : e).split('\n')[0] as string;
  return `${first.startsWith(file) ? first : `${file}: ${first}`} (the compiled transform could not take it)`;
}
