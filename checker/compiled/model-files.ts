/**
 * Which files get the compiled form, and where a built-in model file's code,
 * once made, is kept by its TypeScript's hash. Kept apart from load.ts (which
 * makes the code, with esbuild and Babel) so that the command line's load
 * hook, when every file is cached, loads neither of them in its thread.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const runtimePath = join(root, 'checker', 'compiled', 'runtime.ts');
export const cacheDir = join(root, 'node_modules', '.cache', 'vfio-dmabuf-compiled');

/**
 * Single files outside model/ and kernel/ that are built-in model code too:
 * the engine's own Ctx, and the tight Promela protocol the SPIN comparison
 * runs (bench/spin/tight.ts), whose restores must share frames as the model's do.
 */
const strictFiles = [join('checker', 'context.ts'), join('bench', 'spin', 'tight.ts')];

/** 'strict' for built-in model code, 'lenient' for users' files, null for the rest. */
export function compileKind(file: string): 'strict' | 'lenient' | null {
  // the untransformed model, for measuring what the wrappers cost the generator engine
  if (process.env.VFIO_DMABUF_MODEL_NO_COMPILE) return null;
  if (file.includes(`${sep}node_modules${sep}`) || !/\.(ts|js|mjs|mts)$/.test(file)) return null;
  const rel = relative(root, file);
  if (rel.startsWith('..')) return 'lenient';
  const top = rel.split(sep)[0];
  if (top === 'model' || top === 'kernel' || strictFiles.includes(rel)) return 'strict';
  if (top === 'examples' || (top === 'test' && !rel.endsWith('.test.ts'))) return 'lenient';
  return null;
}

/** What a file's code is made by: esbuild (its version, for this node), load.ts's options and the transform, as text. */
let makers: string | null = null;

function makersText(): string {
  if (makers === null) {
    const esbuild = (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version;
    const own = ['load.ts', 'model-files.ts', 'transform.ts', 'liveness.ts', 'keep-names.ts'].map((f) =>
      readFileSync(join(root, 'checker', 'compiled', f), 'utf8'),
    );
    makers = `${esbuild} ${process.versions.node} ${process.env.VFIO_DMABUF_MODEL_NO_LIVENESS ? 'all locals' : ''}\n${own.join('')}`;
  }
  return makers;
}

/**
 * Where a file's code made from TypeScript `ts` is kept: a built-in file's
 * only (null for a user's, whose compile may fall back to native with a note
 * to print), keyed by the text and everything that makes its code.
 */
export function modelFileCache(ts: string, file: string, runtime: string): string | null {
  if (compileKind(file) !== 'strict' || process.env.VFIO_DMABUF_COMPILED_NO_CACHE) return null;
  const key = createHash('sha256').update(makersText()).update(runtime).update(file).update(ts).digest('hex');
  return join(cacheDir, `ts-${key}.js`);
}

/** The code kept at `path`, or null when there is none yet. */
export function cachedModelFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
