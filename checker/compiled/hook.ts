/** Node's load hook (module.register, chained after tsx): model code gets its compiled siblings. */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledCode, runtimePath } from './load.ts';

type Next = (url: string, context: unknown) => Promise<{ format?: string; source?: string | ArrayBuffer | Uint8Array }>;

const runtimeUrl = pathToFileURL(runtimePath).href;

export async function load(url: string, context: unknown, nextLoad: Next) {
  const r = await nextLoad(url, context);
  if (!url.startsWith('file:') || r.format !== 'module' || r.source === undefined) return r;
  const src = typeof r.source === 'string' ? r.source : Buffer.from(r.source as Uint8Array).toString('utf8');
  return { ...r, source: compiledCode(src, fileURLToPath(url), runtimeUrl) };
}
