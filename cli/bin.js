#!/usr/bin/env node
// The vfio-dmabuf-model command line: registers tsx so the TypeScript sources run as they are.
// A command that searches runs in a worker thread watched by this one (supervisor.ts).
import { isMainThread } from 'node:worker_threads';
import { register as registerCjs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

register();
registerCjs();
// after tsx: model code gets the compiled engine's siblings (checker/compiled/)
await import('../checker/compiled/register.ts');
try {
  const argv = process.argv.slice(2);
  const { SUPERVISED, supervise } = isMainThread ? await import('./supervisor.ts') : { SUPERVISED: new Set() };
  if (isMainThread && SUPERVISED.has(argv[0]) && !process.env.VFIO_DMABUF_MODEL_NO_WORKER) supervise(new URL(import.meta.url), argv);
  else {
    if (!isMainThread) (await import('./search-host.ts')).hostWorker();
    await import('./start.ts');
  }
} catch (e) {
  // the model itself failed to load: still one line, never a stack trace (unless asked for)
  if (process.env.VFIO_DMABUF_MODEL_DEBUG) console.error(e);
  const msg = String(e?.message || e).split('\n')[0];
  process.stderr.write(`vfio-dmabuf-model: internal error: cannot load the tool: ${msg}\n`);
  process.exitCode = 3;
}
