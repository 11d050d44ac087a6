/**
 * The property × variant matrix (docs/matrix.md) and the regression corpus
 * (counterexamples/<variant>/<property>.json). Each design is checked
 * exhaustively at its own bound (Design.bounds and .focus: what its scenarios
 * need), which is deterministic, so the matrix regenerates identically; and for
 * every derived design upstream-7.1 is checked at that same bound, so a fix is
 * shown passing exactly where the bug before it fails.
 */

import { upstream71 } from '../model/dmabuf/upstream/index.ts';
import { domainOf } from '../model/domains.ts';
import type { AnyDesign } from '../model/variants/index.ts';
import { propertiesOf } from './catalog.ts';
import { checkDesign, type PropertyResult } from './check.ts';
import { counterexampleOf, record } from './counterexample.ts';
import { targetOf } from './target.ts';

/** the matrix searches without a time limit, so never 'incomplete' */
export type Verdict = PropertyResult['verdict'];

export interface MatrixCell {
  readonly verdict: Verdict;
  /** corpus file of a failing cell, relative to the repository */
  readonly counterexample: string | null;
  readonly steps: number | null;
  readonly message: string | null;
  /** kernel functions on the counterexample's threads, in order of first appearance */
  readonly functions: readonly string[];
  readonly note?: string;
}

export interface MatrixRow {
  readonly design: string;
  readonly domain: string;
  readonly source: string;
  readonly summary: string;
  readonly bounds: Readonly<Record<string, number>>;
  readonly focus: readonly string[];
  readonly cells: Readonly<Record<string, MatrixCell>>;
  /** for derived designs: upstream-7.1's verdicts at this row's bound (the fixed counterpart) */
  readonly upstreamAtBound: Readonly<Record<string, Verdict>> | null;
  readonly states: number;
  readonly executions: number;
  /** the search covered the row's whole bound (no time limit here: only a bound of the search can cut it) */
  readonly complete: boolean;
}

export interface CorpusFile {
  readonly path: string;
  readonly text: string;
}

export interface MatrixResult {
  readonly rows: readonly MatrixRow[];
  readonly corpus: readonly CorpusFile[];
}

const MATRIX_FUNCTION_SKIP = new Set(['mutex_lock', 'mutex_unlock', 'down_write', 'up_write', 'down_read', 'up_read']);

export function computeRow(design: AnyDesign, onProgress?: (msg: string) => void): { row: MatrixRow; corpus: CorpusFile[] } {
  const domain = domainOf(design.domain);
  const catalog = propertiesOf(design.domain);
  const pairs = Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`);
  const { bounds } = domain.parseBounds(pairs);
  const results = checkDesign({ design, domain, properties: catalog, catalog, modes: ['exhaustive'], bounds, focus: design.focus });
  const { system } = targetOf({ design, domain, bounds, profile: null, focus: design.focus });
  const corpus: CorpusFile[] = [];
  const cells: Record<string, MatrixCell> = {};
  for (const r of results) {
    cells[r.property] = cell(r);
    if (r.verdict !== 'fail' || !r.counterexample) continue;
    const p = catalog.find((x) => x.name === r.property);
    const exec = record(system, r.counterexample.scenario, r.counterexample.path, p ? p.monitors() : []);
    // version 1: a corpus file records no digest of the model, so it regenerates identically after an edit that keeps verdicts
    const found = { mode: 'exhaustive', bounds, focus: design.focus };
    const cx = counterexampleOf({ name: design.name }, r.property, found, exec, 1);
    const path = `counterexamples/${design.name}/${r.property}.json`;
    corpus.push({ path, text: `${JSON.stringify(cx, null, 2)}\n` });
    const fns: string[] = [];
    for (const s of exec.steps) for (const f of s.stack) if (!fns.includes(f) && !MATRIX_FUNCTION_SKIP.has(f)) fns.push(f);
    // where it went wrong: functions without a scheduling point of their own show only here
    for (const f of exec.violation?.stack ?? []) if (!fns.includes(f) && !MATRIX_FUNCTION_SKIP.has(f)) fns.push(f);
    cells[r.property] = { ...cell(r), counterexample: path, functions: fns };
  }
  onProgress?.(`${design.name}: ${results.map((r) => `${r.property}=${r.verdict}`).join(' ')}`);
  let upstreamAtBound: Record<string, Verdict> | null = null;
  if (design.domain === 'dmabuf' && design.name !== upstream71.name) {
    const up = checkDesign({
      design: upstream71,
      domain,
      properties: catalog,
      catalog,
      modes: ['exhaustive'],
      bounds,
      focus: design.focus,
    });
    upstreamAtBound = Object.fromEntries(up.map((r) => [r.property, r.verdict]));
  }
  const cov = results[0]?.coverage;
  return {
    row: {
      design: design.name,
      domain: design.domain,
      source: design.source,
      summary: design.summary,
      bounds: design.bounds,
      focus: design.focus,
      cells,
      upstreamAtBound,
      states: cov?.states ?? 0,
      executions: cov?.executions ?? 0,
      complete: results.every((r) => r.complete),
    },
    corpus,
  };
}

function cell(r: PropertyResult): MatrixCell {
  return {
    verdict: r.verdict,
    counterexample: null,
    steps: r.counterexample ? r.counterexample.path.length : null,
    message: r.counterexample ? r.counterexample.violation.message : null,
    functions: [],
    ...(r.note ? { note: r.note } : {}),
  };
}

export function computeMatrix(designs: readonly AnyDesign[], onProgress?: (msg: string) => void): MatrixResult {
  const rows: MatrixRow[] = [];
  const corpus: CorpusFile[] = [];
  for (const d of designs) {
    const r = computeRow(d, onProgress);
    rows.push(r.row);
    corpus.push(...r.corpus);
  }
  return { rows, corpus };
}
