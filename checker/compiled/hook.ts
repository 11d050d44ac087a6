/** Node's load hook (module.register, chained after tsx): model code gets its compiled siblings. */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedModelFile, compileKind, modelFileCache, runtimePath } from './model-files.ts';

type Next = (url: string, context: unknown) => Promise<{ format?: string; source?: string | ArrayBuffer | Uint8Array }>;

const runtimeUrl = pathToFileURL(runtimePath).href;

/** load.ts, which makes compiled code with esbuild and Babel: loaded only when a file's code is not cached */
const making = () => import('./load.ts');

export async function load(url: string, context: unknown, nextLoad: Next) {
  const r = await nextLoad(url, context);
  if (!url.startsWith('file:') || r.format !== 'module' || r.source === undefined) return r;
  const file = fileURLToPath(url);
  // not model code: as the loader in front made it
  if (!compileKind(file)) return r;
  // model TypeScript from its source, as the tests' plugin makes it (load.ts modelJavaScript), not tsx's output
  if (/\.m?ts$/.test(file)) {
    const ts = readFileSync(file, 'utf8');
    const cached = modelFileCache(ts, file, runtimeUrl);
    const hit = cached === null ? null : cachedModelFile(cached);
    return { ...r, source: hit ?? (await making()).compiledModelFile(ts, file, runtimeUrl) };
  }
  const src = typeof r.source === 'string' ? r.source : Buffer.from(r.source as Uint8Array).toString('utf8');
  return { ...r, source: (await making()).compiledCode(src, file, runtimeUrl) };
}
