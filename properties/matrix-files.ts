/**
 * The matrix as files: docs/matrix.md and counterexamples/<variant>/<property>.json,
 * computed the same way by `vfio-dmabuf-model matrix --write` and by the test that
 * checks the committed files have not drifted (cli/matrix-files.ts writes them).
 */
import { type AnyDesign, builtinDesigns } from '../model/variants/index.ts';
import { computeMatrix, type MatrixResult } from './matrix.ts';
import { renderMatrixMarkdown } from './matrix-doc.ts';

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

/** The version of docs/matrix.json, the same object as `matrix --json` prints. */
export const MATRIX_JSON_FORMAT = 1;
