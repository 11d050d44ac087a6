/** Node's load hook (module.register, chained after tsx): model code gets its compiled siblings. */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledCode, compiledModelFile, compileKind, runtimePath } from './load.ts';

type Next = (url: string, context: unknown) => Promise<{ format?: string; source?: string | ArrayBuffer | Uint8Array }>;

const runtimeUrl = pathToFileURL(runtimePath).href;

export async function load(url: string, context: unknown, nextLoad: Next) {
  const r = await nextLoad(url, context);
  if (!url.startsWith('file:') || r.format !== 'module' || r.source === undefined) return r;
  const file = fileURLToPath(url);
  // model TypeScript from its source, as the tests' plugin makes it (load.ts modelJavaScript), not tsx's output
  if (/\.m?ts$/.test(file) && compileKind(file)) return { ...r, source: compiledModelFile(readFileSync(file, 'utf8'), file, runtimeUrl) };
  const src = typeof r.source === 'string' ? r.source : Buffer.from(r.source as Uint8Array).toString('utf8');
  return { ...r, source: compiledCode(src, file, runtimeUrl) };
}
