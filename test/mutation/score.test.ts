import { describe, expect, it } from 'vitest';
import { scores, scoreTable } from '../../stryker/score.ts';

/** The score `npm run mutation` prints, counted as Stryker counts it. */

const mutants = (...statuses: string[]) => ({ mutants: statuses.map((status) => ({ status })) });

describe('mutation scores', () => {
  const report = {
    files: {
      'kernel/b.ts': mutants('Killed', 'Survived', 'NoCoverage', 'Timeout'),
      'kernel/a.ts': mutants('Killed', 'Killed', 'CompileError', 'Ignored'),
      'checker/c.ts': mutants('Survived'),
      'checker/d.ts': mutants('RuntimeError'),
    },
  };

  it('detected (killed, timeout) over detected and undetected (survived, no coverage), per file and per folder', () => {
    const { files, folders } = scores(report);
    expect(files.map((s) => [s.name, s.score, s.other])).toEqual([
      ['checker/c.ts', 0, 0],
      ['checker/d.ts', null, 1],
      ['kernel/a.ts', 100, 2],
      ['kernel/b.ts', 50, 0],
    ]);
    expect(folders.map((s) => [s.name, s.killed, s.timeout, s.survived, s.noCoverage, s.score])).toEqual([
      ['checker/', 0, 0, 1, 0, 0],
      ['kernel/', 3, 1, 1, 1, (100 * 4) / 6],
    ]);
  });

  it('prints one line per file, then one per folder', () => {
    expect(scoreTable(report).split('\n')).toEqual([
      'file          score%  killed timeout survived nocov other',
      'checker/c.ts    0.00       0       0        1     0     0',
      'checker/d.ts     n/a       0       0        0     0     1',
      'kernel/a.ts   100.00       2       0        0     0     2',
      'kernel/b.ts    50.00       1       1        1     1     0',
      '',
      'checker/        0.00       0       0        1     0     1',
      'kernel/        66.67       3       1        1     1     2',
    ]);
  });
});
