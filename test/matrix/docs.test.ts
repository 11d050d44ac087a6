/** The committed docs are what the committed rows and the catalog render to, and every design has a row. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinDesigns } from '../../model/variants/index.ts';
import { renderMatrixMarkdown } from '../../properties/matrix-doc.ts';
import { MATRIX_COMMAND, MATRIX_DOC, PROPERTIES_DOC } from '../../properties/matrix-files.ts';
import { renderPropertiesMarkdown } from '../../properties/properties-doc.ts';
import { committedRows } from './rows.ts';

describe('matrix documents', () => {
  it('docs/matrix.md renders from docs/matrix.json, with a row per built-in design', () => {
    const rows = committedRows();
    expect(rows.map((r) => r.design)).toEqual(builtinDesigns().map((d) => d.name));
    const corpus = rows.flatMap((r) =>
      Object.values(r.cells).flatMap((c) => (c.counterexample ? [{ path: c.counterexample, text: '' }] : [])),
    );
    expect(renderMatrixMarkdown({ rows, corpus }, builtinDesigns(), MATRIX_COMMAND)).toBe(readFileSync(MATRIX_DOC, 'utf8'));
  });

  it('docs/properties.md renders from the catalog', () => {
    expect(renderPropertiesMarkdown()).toBe(readFileSync(PROPERTIES_DOC, 'utf8'));
  });

  it('upstream-7.1 passes every property, and passes at the bound of every design derived from it', () => {
    const rows = committedRows();
    const up = rows.find((r) => r.design === 'upstream-7.1');
    expect(Object.values(up?.cells ?? {}).every((c) => c.verdict === 'pass')).toBe(true);
    for (const r of rows.filter((x) => x.upstreamAtBound))
      expect(
        Object.values(r.upstreamAtBound ?? {}).every((v) => v !== 'fail'),
        r.design,
      ).toBe(true);
  });
});
