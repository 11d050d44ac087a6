/**
 * Mutation scores from a Stryker JSON report (mutation-testing-report-schema),
 * counted as Stryker counts them: detected (killed, timeout) over detected and
 * undetected (survived, no coverage); compile and runtime errors and ignored
 * mutants count in neither.
 */

export interface MutantEntry {
  readonly status: string;
}

export interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly MutantEntry[] }>>;
}

export interface Score {
  readonly name: string;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** compile and runtime errors, ignored mutants */
  readonly other: number;
  /** percent, or null when no mutant was detectable or undetected */
  readonly score: number | null;
}

function count(name: string, mutants: readonly MutantEntry[]): Score {
  const n = (s: string) => mutants.filter((m) => m.status === s).length;
  const killed = n('Killed');
  const timeout = n('Timeout');
  const survived = n('Survived');
  const noCoverage = n('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  const other = mutants.length - valid;
  return { name, killed, timeout, survived, noCoverage, other, score: valid === 0 ? null : (100 * (killed + timeout)) / valid };
}

/** One score per file, sorted by path, then one per folder (a file's first path segment). */
export function scores(report: Report): { files: Score[]; folders: Score[] } {
  const names = Object.keys(report.files).sort();
  const files = names.map((f) => count(f, report.files[f]?.mutants ?? []));
  const byFolder = new Map<string, MutantEntry[]>();
  for (const f of names) {
    const folder = `${f.split('/')[0]}/`;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), ...(report.files[f]?.mutants ?? [])]);
  }
  const folders = [...byFolder].map(([folder, mutants]) => count(folder, mutants));
  return { files, folders };
}

function pct(s: Score): string {
  return s.score === null ? '   n/a' : `${s.score.toFixed(2).padStart(6)}`;
}

/** The table `npm run mutation` ends with. */
export function scoreTable(report: Report): string {
  const { files, folders } = scores(report);
  const width = Math.max(6, ...files.map((s) => s.name.length), ...folders.map((s) => s.name.length));
  const head = `${'file'.padEnd(width)}  score%  killed timeout survived nocov other`;
  const row = (s: Score) =>
    `${s.name.padEnd(width)}  ${pct(s)}  ${[s.killed, s.timeout, s.survived, s.noCoverage, s.other]
      .map((v, i) => String(v).padStart([6, 7, 8, 5, 5][i] as number))
      .join(' ')}`;
  return [head, ...files.map(row), '', ...folders.map(row)].join('\n');
}
