/** The same transform for vitest, from the same JavaScript as the command line's (load.ts modelJavaScript). */
import { compiledCode, compileKind, modelJavaScript, runtimePath } from './load.ts';

export function compiledModel() {
  return {
    name: 'vfio-dmabuf-compiled-model',
    enforce: 'pre' as const,
    transform(code: string, id: string) {
      const file = id.split('?')[0] as string;
      if (!compileKind(file)) return null;
      const js = /\.m?ts$/.test(file) ? modelJavaScript(code, file) : { code, lineOf: undefined, map: '' };
      const out = compiledCode(js, file, runtimePath);
      // nothing to compile: Vite makes the JavaScript as for any other file
      return out === js.code ? null : { code: out, map: null };
    },
  };
}
