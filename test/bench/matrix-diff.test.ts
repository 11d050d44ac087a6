/**
 * bench/matrix-diff.ts lets a matrix change its counts and nothing else, and
 * bench/engine-counts.ts puts each version's counts side by side.
 */
import { describe, expect, it } from 'vitest';
import { engineCounts, risen } from '../../bench/engine-counts.ts';
import { type MatrixVersion, matrixDiff } from '../../bench/matrix-diff.ts';
import type { MatrixCell, MatrixRow } from '../../properties/matrix.ts';

const pass: MatrixCell = { verdict: 'pass', counterexample: null, steps: null, message: null, functions: [] };
const fail: MatrixCell = { verdict: 'fail', counterexample: 'counterexamples/d/p.json', steps: 9, message: 'm', functions: ['f'] };
const row = (over: Partial<MatrixRow> = {}): MatrixRow => ({
  design: 'd',
  domain: 'dmabuf',
  source: 's',
  summary: 's',
  bounds: { ops: 2 },
  focus: [],
  cells: { p: fail, q: pass },
  upstreamAtBound: null,
  states: 100,
  executions: 40,
  complete: true,
  ...over,
});
const cx = (kind: string) => JSON.stringify({ violation: { kind }, trace: { steps: 9 } });
const version = (r: MatrixRow, kind = 'k'): MatrixVersion => ({ rows: [r], corpus: new Map([['counterexamples/d/p.json', cx(kind)]]) });

describe('matrixDiff', () => {
  it('lets the states and executions of a row change', () => {
    expect(matrixDiff(version(row()), version(row({ states: 60, executions: 30 })))).toEqual([]);
  });

  it('names a changed verdict, counterexample length, cell field, row field and corpus file', () => {
    const old = version(row());
    expect(matrixDiff(old, version(row({ cells: { p: fail, q: { ...pass, verdict: 'fail' } } })))).toEqual(['d × q: verdict pass → fail']);
    expect(matrixDiff(old, version(row({ cells: { p: { ...fail, steps: 8 }, q: pass } })))).toEqual(['d × p: counterexample length 9 → 8']);
    expect(matrixDiff(old, version(row({ cells: { p: { ...fail, functions: ['g'] }, q: pass } })))).toEqual(['d × p: functions differ']);
    expect(matrixDiff(old, version(row({ complete: false })))).toEqual(['d: complete differs']);
    expect(matrixDiff(old, version(row(), 'other'))).toEqual(['counterexamples/d/p.json: violation differ']);
  });

  it('names a cell or a corpus file that came or went', () => {
    expect(matrixDiff(version(row()), { rows: [row({ cells: { p: fail } })], corpus: new Map() })).toEqual([
      'd × q: gone',
      'counterexamples/d/p.json: gone',
    ]);
  });
});

describe('engineCounts', () => {
  it('lists every row with each version’s states and executions, and their totals', () => {
    const doc = engineCounts([
      { label: 'old', ref: 'abc', matrix: version(row({ states: 39_017 })) },
      { label: 'new', ref: '.', matrix: version(row({ states: 14_143, executions: 7 })) },
    ]);
    expect(doc).toContain('| design | bound | states, old | states, new | executions, old | executions, new |');
    expect(doc).toContain('| d | ops=2 | 39,017 | 14,143 | 40 | 7 |');
    expect(doc).toContain('| **all rows** | | **39,017** | **14,143** |');
    expect(doc).toContain('old: `abc`, new: the commit of this file');
  });
});

describe('risen', () => {
  it('names a row that counts more states than under the first column, and only that', () => {
    const old = { label: 'old', ref: 'abc', matrix: version(row({ states: 100 })) };
    expect(risen([old, { label: 'new', ref: '.', matrix: version(row({ states: 100 })) }])).toEqual([]);
    expect(risen([old, { label: 'new', ref: '.', matrix: version(row({ states: 60 })) }])).toEqual([]);
    expect(risen([old, { label: 'new', ref: '.', matrix: version(row({ states: 101 })) }])).toEqual(['d, new: 100 → 101 states']);
  });
});
