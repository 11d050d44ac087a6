/** The same transform for vitest: a post plugin, on the JavaScript Vite made of each TypeScript file. */
import { compiledCode, runtimePath } from './load.ts';

export function compiledModel() {
  return {
    name: 'vfio-dmabuf-compiled-model',
    enforce: 'post' as const,
    transform(code: string, id: string) {
      const file = id.split('?')[0] as string;
      const out = compiledCode(code, file, runtimePath);
      return out === code ? null : { code: out, map: null };
    },
  };
}
