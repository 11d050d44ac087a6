/**
 * Writing the matrix's files (properties/matrix-files.ts computes them), and listing the corpus: the
 * command line's I/O, kept out of properties/.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORPUS_DIR, MATRIX_DOC, MATRIX_JSON, MATRIX_JSON_FORMAT, type MatrixFiles, PROPERTIES_DOC } from '../properties/matrix-files.ts';
import { renderPropertiesMarkdown } from '../properties/properties-doc.ts';

/** Writes one whole file (the command line passes its atomic writer; see cli/atomic.ts). */
export type WriteFile = (path: string, text: string) => void;

/**
 * Writes the matrix and replaces the corpus directories of the designs it
 * covers (runs/ is left alone): every new file is written first, and only
 * then are the old files it does not rewrite removed, so a write that fails
 * midway leaves each file whole, old or new, and no corpus missing.
 */
export function writeMatrixFiles(root: string, files: MatrixFiles, write: WriteFile): string[] {
  const written: string[] = [];
  write(join(root, MATRIX_DOC), files.markdown);
  write(join(root, PROPERTIES_DOC), renderPropertiesMarkdown());
  write(join(root, MATRIX_JSON), `${JSON.stringify({ format: MATRIX_JSON_FORMAT, rows: files.result.rows }, null, 2)}\n`);
  written.push(MATRIX_DOC, PROPERTIES_DOC, MATRIX_JSON);
  for (const f of files.result.corpus) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    write(join(root, f.path), f.text);
    written.push(f.path);
  }
  const kept = new Set(written);
  for (const row of files.result.rows) {
    const dir = join(root, CORPUS_DIR, row.design);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (!kept.has(`${CORPUS_DIR}/${row.design}/${f}`)) rmSync(join(dir, f), { recursive: true });
    if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  }
  return written;
}

/** Every committed corpus file, relative to the repository (counterexamples saved by `check` under runs/ excluded). */
export function corpusFiles(root: string): string[] {
  const base = join(root, CORPUS_DIR);
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'runs')
    .flatMap((d) =>
      readdirSync(join(base, d.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${CORPUS_DIR}/${d.name}/${f}`),
    )
    .sort();
}
