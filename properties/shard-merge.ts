/**
 * `merge`: the reports of the N shards of one exhaustive check (check --shard
 * i/N --json) combined into that check's report. Verdicts and counterexamples
 * are one run's: a property fails if any shard found it failing, and keeps,
 * of the shards' counterexamples, the one one run keeps (fewest steps, then
 * context switches, then the earliest in one run's order: shard-plan.ts).
 * Each lock edge keeps its shortest witness (steps, then the smaller path, as
 * LockGraph does, then the earliest scenario). Counts (states, executions,
 * steps, time) are sums over the shards: shards do not share a state cache, so
 * their states add up to at least one run's.
 *
 * Reports that are not the shards of one run are refused with the reason: a
 * different design, bound, property list, search or version, a shard missing
 * or given twice.
 */
import type { CounterexampleFile } from '../checker/counterexample.ts';
import { ahead, earlier, type Rank } from '../checker/search/shard-plan.ts';
import { DEP_TYPES } from '../kernel/lockdep/deps.ts';
import { type CoverageReport, type CoverageRow, flagOf, unexercisedOf } from './coverage-report.ts';

/** A check result as its --json report gives it (docs/schemas/check.schema.json). */
export interface ReportResult {
  readonly property: string;
  readonly verdict: 'pass' | 'fail' | 'n/a' | 'incomplete';
  readonly mode: 'random' | 'exhaustive';
  readonly complete: boolean;
  readonly searched: { readonly scenarios: number; readonly scenariosTotal: number; readonly states: number };
  readonly executions: number;
  readonly states: number;
  readonly steps: number;
  readonly millis: number;
  readonly counterexample: string | null;
  readonly violation?: { readonly kind: string; readonly message: string; readonly length: number };
  readonly note?: string;
  readonly order?: { readonly scenario: number; readonly first: number; readonly switches: number };
  readonly counterexampleFile?: CounterexampleFile;
}

/** A lock edge as a shard reports it: its shortest witness's length, path and scenario (its index in the list). */
export interface ShardEdge {
  readonly from: string;
  readonly to: string;
  readonly types: readonly string[];
  readonly witness: { readonly scenario: number; readonly length: number; readonly path: readonly number[]; readonly thread: string };
}

/** What `check --shard` adds to check's report (cli/shard-report.ts). */
export interface ShardSection {
  /** 1-based, as given */
  readonly index: number;
  readonly of: number;
  readonly version: string;
  readonly digest: string;
  readonly dpor: boolean;
  readonly exact: boolean;
  readonly scenariosTotal: number;
  /** shares of first steps per scenario, units of this shard, and those searched to their end */
  readonly shares: number;
  readonly units: number;
  readonly unitsDone: number;
  readonly lockEdges: readonly ShardEdge[];
}

export interface ShardReport {
  readonly format: number;
  readonly variant: string;
  readonly module?: string;
  readonly bounds: Readonly<Record<string, number>>;
  readonly profile?: string;
  readonly scenario?: string;
  readonly focus: readonly string[];
  readonly results: readonly ReportResult[];
  readonly coverage?: CoverageReport;
  readonly shard: ShardSection;
}

/** Shards that cannot be merged: the one-line reason. */
export class MergeRefused extends Error {}

export interface Merged {
  readonly first: ShardReport;
  readonly shards: number;
  readonly results: readonly ReportResult[];
  readonly coverage: CoverageReport | null;
  readonly lockEdges: readonly ShardEdge[];
  /** the unit counts over all shards */
  readonly units: number;
  readonly unitsDone: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What must be equal in every shard of one run, by the name the refusal gives it. */
function identity(r: ShardReport): [string, unknown][] {
  return [
    ['design', r.variant],
    ['module', r.module ?? null],
    ['design digest', r.shard.digest],
    ['bounds', r.bounds],
    ['profile', r.profile ?? null],
    ['scenario file', r.scenario ?? null],
    ['focus', r.focus],
    ['properties', r.results.map((x) => `${x.property}/${x.mode}`)],
    ['version', r.shard.version],
    ['format', r.format],
    ['shard count', r.shard.of],
    ['search (--dpor)', r.shard.dpor],
    ['search (--exact)', r.shard.exact],
    ['scenario count', r.shard.scenariosTotal],
  ];
}

/** Checks that the reports are every shard of one run, each once; `names` are their file names, for the message. */
export function checkShards(reports: readonly ShardReport[], names: readonly string[]): void {
  const first = reports[0] as ShardReport;
  const want = identity(first);
  reports.forEach((r, i) => {
    const got = identity(r);
    for (const [k, [what, v]] of want.entries()) {
      const w = (got[k] as [string, unknown])[1];
      if (!same(v, w))
        throw new MergeRefused(
          `${names[i]}: not a shard of the run of ${names[0]}: its ${what} is ${JSON.stringify(w)}, not ${JSON.stringify(v)}`,
        );
    }
  });
  const n = first.shard.of;
  const seen = new Map<number, string>();
  reports.forEach((r, i) => {
    const prev = seen.get(r.shard.index);
    if (prev !== undefined) throw new MergeRefused(`shard ${r.shard.index}/${n} given twice: ${prev} and ${names[i]}`);
    seen.set(r.shard.index, names[i] as string);
  });
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new MergeRefused(
      `missing shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${n}`).join(', ')} (given: ${reports.length} of ${n})`,
    );
}

/** The shards of one run (checked by checkShards), in shard order, merged. */
export function mergeShards(reports: readonly ShardReport[]): Merged {
  const sorted = [...reports].sort((a, b) => a.shard.index - b.shard.index);
  const first = sorted[0] as ShardReport;
  const units = sorted.reduce((n, r) => n + r.shard.units, 0);
  const unitsDone = sorted.reduce((n, r) => n + r.shard.unitsDone, 0);
  const total = first.shard.scenariosTotal;
  const results = first.results.map((_, k) =>
    mergeResult(
      sorted.map((r) => r.results[k] as ReportResult),
      total,
      first.shard.shares,
      unitsDone,
    ),
  );
  return {
    first,
    shards: sorted.length,
    results,
    coverage: mergeCoverage(sorted.map((r) => r.coverage ?? null)),
    lockEdges: mergeEdges(sorted.flatMap((r) => r.shard.lockEdges)),
    units,
    unitsDone,
  };
}

const rankOf = (r: ReportResult): Rank => ({
  length: r.violation?.length ?? 0,
  switches: r.order?.switches ?? 0,
  at: { scenario: r.order?.scenario ?? 0, first: r.order?.first ?? 0 },
});

function mergeResult(rs: readonly ReportResult[], total: number, shares: number, unitsDone: number): ReportResult {
  const base = rs[0] as ReportResult;
  if (base.verdict === 'n/a') return base;
  const sum = (f: (r: ReportResult) => number) => rs.reduce((n, r) => n + f(r), 0);
  let best: ReportResult | null = null;
  for (const r of rs) {
    if (r.verdict !== 'fail' || !r.counterexampleFile) continue;
    if (!best || ahead(rankOf(r), rankOf(best))) best = r;
  }
  const complete = rs.every((r) => r.complete);
  const states = sum((r) => r.states);
  const scenarios = complete ? total : Math.floor(unitsDone / Math.max(1, shares));
  const { order: _o, counterexampleFile: _c, violation: _v, note: _n, ...rest } = base;
  return {
    ...rest,
    verdict: best ? 'fail' : complete ? 'pass' : 'incomplete',
    complete,
    searched: { scenarios, scenariosTotal: total, states },
    executions: sum((r) => r.executions),
    states,
    steps: sum((r) => r.steps),
    millis: sum((r) => r.millis),
    counterexample: null,
    ...(best?.violation ? { violation: best.violation } : {}),
    ...(best?.order ? { order: best.order } : {}),
    ...(best?.counterexampleFile ? { counterexampleFile: best.counterexampleFile } : {}),
    ...(complete
      ? {}
      : { note: `cut after ${scenarios.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} scenarios in some shard` }),
  };
}

/** Coverage over all shards: counts added, flags made again from the sums. */
function mergeCoverage(cs: readonly (CoverageReport | null)[]): CoverageReport | null {
  const present = cs.filter((c): c is CoverageReport => c !== null);
  if (present.length === 0) return null;
  const first = present[0] as CoverageReport;
  const rows = first.functions.map((f): CoverageRow => {
    const all = present.map((c) => c.functions.find((g) => g.name === f.name && g.kind === f.kind));
    const calls = all.reduce((n, g) => n + (g?.calls ?? 0), 0);
    const raced = all.reduce((n, g) => n + (g?.raced ?? 0), 0);
    const executions = all.reduce((n, g) => n + (g?.executions ?? 0), 0);
    return { ...f, calls, executions, raced, flag: flagOf(calls, raced) };
  });
  return {
    mode: first.mode,
    executions: present.reduce((n, c) => n + c.executions, 0),
    functions: rows,
    // what the design changes (replaced and added functions, added operations) that no shard ran
    unexercised: unexercisedOf(rows),
  };
}

/** Whether witness a is kept over b: shorter, then the smaller path (LockGraph's `shorter`), then the earlier scenario. */
function shorterWitness(a: ShardEdge['witness'], b: ShardEdge['witness']): boolean {
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.path.length; i++) if (a.path[i] !== b.path[i]) return (a.path[i] as number) < (b.path[i] as number);
  return earlier({ scenario: a.scenario, first: 0 }, { scenario: b.scenario, first: 0 });
}

function mergeEdges(edges: readonly ShardEdge[]): ShardEdge[] {
  const by = new Map<string, ShardEdge>();
  for (const e of edges) {
    const key = `${e.from}\u0000${e.to}`;
    const old = by.get(key);
    if (!old) {
      by.set(key, e);
      continue;
    }
    const types = DEP_TYPES.filter((t) => old.types.includes(t) || e.types.includes(t));
    by.set(key, { ...old, types, witness: shorterWitness(e.witness, old.witness) ? e.witness : old.witness });
  }
  return [...by.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
