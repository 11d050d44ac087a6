#!/usr/bin/env node
// The vfio-dmabuf-model command line: registers tsx so the TypeScript sources run as they are.
import { register as registerCjs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

register();
registerCjs();
try {
  await import('./main.ts');
} catch (e) {
  // the model itself failed to load: still one line, never a stack trace (unless asked for)
  if (process.env.VFIO_DMABUF_MODEL_DEBUG) console.error(e);
  const msg = String(e?.message || e).split('\n')[0];
  process.stderr.write(`vfio-dmabuf-model: internal error: cannot load the tool: ${msg}\n`);
  process.exitCode = 3;
}
