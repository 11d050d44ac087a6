/**
 * What changed between two versions of the matrix (docs/matrix.json and the
 * counterexample corpus), other than the search's counts. Changing the engine
 * of the keyed searches (issue 17) may change how many states and executions a
 * row counts, and nothing else: a verdict, a violation kind, a counterexample's
 * length or schedule that changes is a bug of the engine, not a new figure.
 *
 *   node --import tsx bench/matrix-diff.ts REF [REF2]
 *
 * compares the matrix at git REF with the one at REF2 (default: the work
 * tree), prints every difference but the counts and exits 1 if there is one.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatrixRow } from '../properties/matrix.ts';
import { CORPUS_DIR, MATRIX_JSON } from '../properties/matrix-files.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface MatrixVersion {
  readonly rows: readonly MatrixRow[];
  /** corpus file path → its text */
  readonly corpus: ReadonlyMap<string, string>;
}

/** The matrix at a git revision, or in the work tree when `ref` is null. */
export function matrixAt(ref: string | null, root = ROOT): MatrixVersion {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const read = (path: string) => (ref === null ? readFileSync(join(root, path), 'utf8') : git('show', `${ref}:${path}`));
  const paths =
    ref === null
      ? readdirSync(join(root, CORPUS_DIR), { recursive: true, encoding: 'utf8' })
          .filter((p) => p.endsWith('.json'))
          .map((p) => `${CORPUS_DIR}/${p}`)
      : git('ls-tree', '-r', '--name-only', ref, CORPUS_DIR)
          .split('\n')
          .filter((p) => p.endsWith('.json'));
  const rows = (JSON.parse(read(MATRIX_JSON)) as { rows: MatrixRow[] }).rows;
  return { rows, corpus: new Map(paths.map((p) => [p, read(p)])) };
}

/** The counts a row may change: everything else of it must stay as it was. */
const COUNTS = new Set(['states', 'executions']);

/** Every difference between two versions but a row's counts, one line each. */
export function matrixDiff(old: MatrixVersion, now: MatrixVersion): string[] {
  const out: string[] = [];
  const byName = new Map(now.rows.map((r) => [r.design, r]));
  if (old.rows.map((r) => r.design).join() !== now.rows.map((r) => r.design).join()) out.push('the rows differ (designs or their order)');
  for (const o of old.rows) {
    const n = byName.get(o.design);
    if (!n) continue;
    const keys = new Set([...Object.keys(o), ...Object.keys(n)]);
    for (const k of keys) {
      if (COUNTS.has(k) || k === 'cells') continue;
      if (!same(o[k as keyof MatrixRow], n[k as keyof MatrixRow])) out.push(`${o.design}: ${k} differs`);
    }
    for (const p of new Set([...Object.keys(o.cells), ...Object.keys(n.cells)])) {
      const [a, b] = [o.cells[p], n.cells[p]];
      if (!a || !b) out.push(`${o.design} × ${p}: ${a ? 'gone' : 'new'}`);
      else if (a.verdict !== b.verdict) out.push(`${o.design} × ${p}: verdict ${a.verdict} → ${b.verdict}`);
      else if (a.steps !== b.steps) out.push(`${o.design} × ${p}: counterexample length ${a.steps} → ${b.steps}`);
      else if (!same(a, b)) out.push(`${o.design} × ${p}: ${changedFields(a, b).join(', ')} differ`);
    }
  }
  for (const path of new Set([...old.corpus.keys(), ...now.corpus.keys()])) {
    const [a, b] = [old.corpus.get(path), now.corpus.get(path)];
    if (a === b) continue;
    if (a === undefined || b === undefined) {
      out.push(`${path}: ${a === undefined ? 'new' : 'gone'}`);
      continue;
    }
    const [x, y] = [JSON.parse(a) as Record<string, unknown>, JSON.parse(b) as Record<string, unknown>];
    out.push(`${path}: ${changedFields(x, y).join(', ') || 'formatting'} differ`);
  }
  return out;
}

function changedFields(a: object, b: object): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => !same(ra[k], rb[k]));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [ref, ref2] = process.argv.slice(2);
  if (!ref) throw new Error('usage: bench/matrix-diff.ts REF [REF2]');
  const diffs = matrixDiff(matrixAt(ref), matrixAt(ref2 ?? null));
  for (const d of diffs) console.log(d);
  console.log(diffs.length === 0 ? 'the same but for the counts' : `${diffs.length} differences`);
  process.exit(diffs.length === 0 ? 0 : 1);
}
