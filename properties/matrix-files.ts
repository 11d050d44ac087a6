/**
 * The matrix as files: docs/matrix.md and counterexamples/<variant>/<property>.json,
 * computed the same way by `vfio-dmabuf-model matrix --write` and by the test that
 * checks the committed files have not drifted.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AnyDesign, builtinDesigns } from '../model/variants/index.ts';
import { computeMatrix, type MatrixResult } from './matrix.ts';
import { renderMatrixMarkdown } from './matrix-doc.ts';
import { renderPropertiesMarkdown } from './properties-doc.ts';

export const MATRIX_COMMAND = 'vfio-dmabuf-model matrix --write';
export const MATRIX_DOC = 'docs/matrix.md';
export const PROPERTIES_DOC = 'docs/properties.md';
/** the rows as data: the tests recompute each row and compare */
export const MATRIX_JSON = 'docs/matrix.json';
export const CORPUS_DIR = 'counterexamples';

export interface MatrixFiles {
  readonly result: MatrixResult;
  readonly markdown: string;
}

export function matrixFiles(designs: readonly AnyDesign[] = builtinDesigns(), onProgress?: (msg: string) => void): MatrixFiles {
  const result = computeMatrix(designs, onProgress);
  return { result, markdown: renderMatrixMarkdown(result, designs, MATRIX_COMMAND) };
}

/** Writes the matrix and replaces the corpus directories of the designs it covers (runs/ is left alone). */
export function writeMatrixFiles(root: string, files: MatrixFiles): string[] {
  const written: string[] = [];
  writeFileSync(join(root, MATRIX_DOC), files.markdown);
  writeFileSync(join(root, PROPERTIES_DOC), renderPropertiesMarkdown());
  writeFileSync(join(root, MATRIX_JSON), `${JSON.stringify({ rows: files.result.rows }, null, 2)}\n`);
  written.push(MATRIX_DOC, PROPERTIES_DOC, MATRIX_JSON);
  for (const row of files.result.rows) {
    const dir = join(root, CORPUS_DIR, row.design);
    if (existsSync(dir)) rmSync(dir, { recursive: true });
  }
  for (const f of files.result.corpus) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.text);
    written.push(f.path);
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
