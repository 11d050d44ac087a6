/**
 * Shared by the matrix tests: recompute the rows of some designs and compare
 * them, and their corpus files, with what is committed.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { findBuiltin } from '../../model/variants/index.ts';
import { computeRow, type MatrixRow } from '../../properties/matrix.ts';
import { MATRIX_JSON } from '../../properties/matrix-files.ts';

export function committedRows(): MatrixRow[] {
  return (JSON.parse(readFileSync(MATRIX_JSON, 'utf8')) as { rows: MatrixRow[] }).rows;
}

export function checkRowsRegenerate(names: readonly string[]): void {
  for (const name of names) {
    it(`${name}: its matrix row and corpus files regenerate identically`, () => {
      const design = findBuiltin(name);
      if (!design) throw new Error(`no design ${name}`);
      const { row, corpus } = computeRow(design);
      const committed = committedRows().find((r) => r.design === name);
      expect(row).toEqual(committed);
      for (const f of corpus) expect(f.text, f.path).toBe(readFileSync(f.path, 'utf8'));
      const failing = Object.values(row.cells).filter((c) => c.verdict === 'fail').length;
      expect(corpus).toHaveLength(failing);
    });
  }
}
