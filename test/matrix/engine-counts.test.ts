/**
 * docs/engine-counts.md holds every matrix row's counts under both engines.
 * The compiled column is the committed matrix's (the keyed default); the
 * generators column must still be what the generator engine counts, so both
 * engines stay tested: a few small rows are recomputed under it here, with the
 * same verdicts and corpus files as the committed matrix.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { engineChoice } from '../../checker/compiled/engine.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { computeRow } from '../../properties/matrix.ts';
import { committedRows } from './rows.ts';

/** design → [states, generators; states, compiled; executions, generators; executions, compiled] */
function documented(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of readFileSync('docs/engine-counts.md', 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const figures = cells.slice(3, 7).map((c) => Number(c.replaceAll(',', '')));
    if (cells.length === 8 && figures.every((n) => Number.isInteger(n))) out.set(cells[1] ?? '', figures);
  }
  return out;
}

describe('docs/engine-counts.md', () => {
  const saved = engineChoice.engine;
  afterEach(() => {
    engineChoice.engine = saved;
  });

  it('has the committed matrix’s counts in its compiled column, for every row', () => {
    const doc = documented();
    const rows = committedRows();
    expect([...doc.keys()]).toEqual(rows.map((r) => r.design));
    for (const r of rows) expect([doc.get(r.design)?.[1], doc.get(r.design)?.[3]], r.design).toEqual([r.states, r.executions]);
  });

  for (const name of ['upstream-7.1', 'merged-6.19', 'broken-cleanup-orphan-first']) {
    it(`${name}: the generator engine counts its generators column, with the committed verdicts and corpus`, () => {
      const design = findBuiltin(name);
      if (!design) throw new Error(`no design ${name}`);
      engineChoice.engine = 'generators';
      const { row, corpus } = computeRow(design);
      const committed = committedRows().find((r) => r.design === name);
      expect([row.states, row.executions]).toEqual([documented().get(name)?.[0], documented().get(name)?.[2]]);
      expect({ ...row, states: 0, executions: 0 }).toEqual({ ...committed, states: 0, executions: 0 });
      for (const f of corpus) expect(f.text, f.path).toBe(readFileSync(f.path, 'utf8'));
    });
  }
});
