/**
 * The coverage table of a check (checker/coverage.ts) over a design's
 * functions: the functions the design replaces first, each flagged when it
 * never ran (the change was not checked at this bound: the verdict is
 * `unexercised`, not a pass) or ran but no other thread ever ran inside its
 * window (its races were not checked).
 */
import type { CoverageRecorder } from '../checker/coverage.ts';
import type { Design } from '../model/design.ts';

export interface CoverageRow {
  readonly name: string;
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
  /** replaced functions that never ran */
  readonly unexercised: readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: a design of any domain
export function coverageReport(design: Design<any>, mode: CoverageReport['mode'], rec: CoverageRecorder): CoverageReport {
  const table = rec.table();
  const replaced = new Set(design.replaced);
  const names = [...new Set([...Object.keys(design.functions), ...design.replaced])];
  const rows = names.map((name): CoverageRow => {
    const c = table.get(name) ?? { calls: 0, executions: 0, raced: 0 };
    const flag = c.calls === 0 ? 'never ran' : c.raced === 0 ? 'never raced' : null;
    return { name, replaced: replaced.has(name), ...c, flag };
  });
  rows.sort((a, b) => Number(b.replaced) - Number(a.replaced) || a.name.localeCompare(b.name));
  return {
    mode,
    executions: rec.executions,
    functions: rows,
    unexercised: rows.filter((r) => r.replaced && r.calls === 0).map((r) => r.name),
  };
}

/** A check that found nothing is `unexercised` when a function the design replaces never ran: its change was not checked. */
export function withCoverage<V extends string>(verdict: V, report: CoverageReport | null): V | 'unexercised' {
  return verdict === 'pass' && report !== null && report.unexercised.length > 0 ? 'unexercised' : verdict;
}
