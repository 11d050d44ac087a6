/**
 * The coverage table of a check (checker/coverage.ts) over a design's
 * functions and the operations it adds: what the design changes first (the
 * functions it replaces, the functions and operations it adds), each flagged
 * when it never ran (the change was not checked at this bound: the verdict is
 * `unexercised`, not a pass) or ran but no other thread ever ran inside its
 * window (its races were not checked). The model's own operations are not
 * listed: what they call is.
 */
import { type CoverageRecorder, operationKey } from '../checker/coverage.ts';
import type { Design } from '../model/design.ts';

/** What the design did to a row's function or operation: replaced it, added it, or neither. */
export type Change = 'replaced' | 'added' | null;

export interface CoverageRow {
  readonly name: string;
  /** a function of the design's table, or an operation the design adds (Design.operations) */
  readonly kind: 'function' | 'operation';
  /** the design replaces it (Design.replaced) or adds it (Design.added, Design.operations): listed first */
  readonly change: Change;
  /** the design replaces it (Design.replaced) */
  readonly replaced: boolean;
  readonly calls: number;
  readonly executions: number;
  readonly raced: number;
  readonly flag: 'never ran' | 'never raced' | null;
}

export interface CoverageReport {
  /** which search's executions were counted */
  readonly mode: 'random' | 'exhaustive';
  readonly executions: number;
  readonly functions: readonly CoverageRow[];
  /** replaced or added functions, and added operations, that never ran */
  readonly unexercised: readonly string[];
}

const RANK = { replaced: 0, added: 1 } as const;
const rank = (r: CoverageRow) => (r.change === null ? 2 : RANK[r.change]);

/** Rows in report order: the replaced, then the added (functions before operations), then the rest, by name within each. */
export function sortRows(rows: CoverageRow[]): CoverageRow[] {
  return rows.sort((a, b) => rank(a) - rank(b) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/** The changed rows that never ran: what makes a check that found nothing `unexercised`. */
export const unexercisedOf = (rows: readonly CoverageRow[]): string[] =>
  // (a shard report written before rows had a change has none)
  rows.filter((r) => (r.change ?? null) !== null && r.calls === 0).map((r) => r.name);

/** The CHANGE column: "replaced", "added", "added op" (an operation the design adds), or "". */
export const changeText = (r: Pick<CoverageRow, 'change' | 'kind'>): string =>
  (r.change ?? null) === null ? '' : r.kind === 'operation' ? 'added op' : (r.change as string);

export const flagOf = (calls: number, raced: number): CoverageRow['flag'] =>
  calls === 0 ? 'never ran' : raced === 0 ? 'never raced' : null;

export function coverageReport(design: Design<object>, mode: CoverageReport['mode'], rec: CoverageRecorder): CoverageReport {
  const table = rec.table();
  const replaced = new Set(design.replaced);
  const added = new Set(design.added ?? []);
  const row = (name: string, kind: CoverageRow['kind'], key: string, change: Change): CoverageRow => {
    const c = table.get(key) ?? { calls: 0, executions: 0, raced: 0 };
    return { name, kind, change, replaced: replaced.has(name) && kind === 'function', ...c, flag: flagOf(c.calls, c.raced) };
  };
  const names = [...new Set([...Object.keys(design.functions), ...design.replaced])];
  const rows = [
    ...names.map((n) => row(n, 'function', n, replaced.has(n) ? 'replaced' : added.has(n) ? 'added' : null)),
    ...Object.keys(design.operations ?? {}).map((n) => row(n, 'operation', operationKey(n), 'added')),
  ];
  sortRows(rows);
  return { mode, executions: rec.executions, functions: rows, unexercised: unexercisedOf(rows) };
}

/** A check that found nothing is `unexercised` when something the design changes never ran: its change was not checked. */
export function withCoverage<V extends string>(verdict: V, report: CoverageReport | null): V | 'unexercised' {
  return verdict === 'pass' && report !== null && report.unexercised.length > 0 ? 'unexercised' : verdict;
}
