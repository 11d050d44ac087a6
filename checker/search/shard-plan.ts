/**
 * One machine's share of an exhaustive check (`check --shard i/N`), and the
 * order in which shares' findings combine (`merge`) into what one run finds.
 *
 * The share is made of units. With at least as many scenarios as shards a unit
 * is a scenario, and scenario s goes to shard s mod N: the partition of
 * `--jobs` (cli/shards.ts). With fewer scenarios than shards (a profile such as
 * ref-t4's) each scenario is cut further into R = ceil(N / scenarios) shares of
 * its first steps (the root's child at position p is in share p mod R), unit
 * s·R + r goes to shard (s·R + r) mod N, and every shard has work. A share of
 * first steps still takes the other first steps once, so the children it
 * explores sleep on them as in the whole search; it does not share the whole
 * search's state cache, so the states of the shards add up to more than one
 * run's: merged counts are sums. DPOR's backtrack sets are built across the
 * root's children, so a DPOR check is cut by scenarios only.
 *
 * One run keeps, of equally good counterexamples (steps, then context
 * switches), the first it met: the earliest scenario, and in it the earliest
 * first step (the depth-first search takes the root's children in thread
 * order). Every finding carries that position (`At`), and shards and merge
 * break ties by it, so the result does not depend on N.
 */
import type { Scenario, System } from '../scenario.ts';
import type { ScenarioList } from '../scenario-list.ts';
import type { ExhaustiveOptions } from './exhaustive.ts';
import { exploreScenario } from './exhaustive.ts';
import type { Found } from './findings.ts';
import { type ScenarioFound, SpaceFindings, type SpaceResult } from './space-search.ts';

/** Shard `index` (0-based) of `of`. */
export interface ShardSpec {
  readonly index: number;
  readonly of: number;
}

/** Parses `i/N` (1 ≤ i ≤ N, as jest and playwright count shards); null when it is not that. */
export function parseShard(text: string): ShardSpec | null {
  const m = /^([1-9][0-9]{0,5})\/([1-9][0-9]{0,5})$/.exec(text.trim());
  if (!m) return null;
  const i = Number(m[1]);
  const n = Number(m[2]);
  return i <= n ? { index: i - 1, of: n } : null;
}

/** How many shares of first steps each scenario is cut into. */
export function sharesPerScenario(scenarios: number, shards: number, dpor: boolean): number {
  return dpor || scenarios === 0 || scenarios >= shards ? 1 : Math.ceil(shards / scenarios);
}

/** Where one run meets a finding: its scenario's index in the list, and its first step's thread. */
export interface At {
  readonly scenario: number;
  readonly first: number;
}

export type PlacedFound = ScenarioFound & { readonly at: At };

const atOf = (scenario: number, f: Found): At => ({ scenario, first: f.path[0] ?? -1 });

/** Whether `a` comes before `b` in one run's order. */
export function earlier(a: At, b: At): boolean {
  return a.scenario !== b.scenario ? a.scenario < b.scenario : a.first < b.first;
}

/** What decides which of two counterexamples one run keeps. */
export interface Rank {
  readonly length: number;
  readonly switches: number;
  readonly at: At;
}

/** Whether one run keeps `a` rather than `b`: fewer steps, then fewer switches (findings.ts `better`), then met first. */
export function ahead(a: Rank, b: Rank | null): boolean {
  if (!b) return true;
  if (a.length !== b.length) return a.length < b.length;
  if (a.switches !== b.switches) return a.switches < b.switches;
  return earlier(a.at, b.at);
}

const rankOf = (f: PlacedFound): Rank => ({ length: f.path.length, switches: f.switches, at: f.at });

export interface ShardResult extends SpaceResult {
  readonly byKind: ReadonlyMap<string, PlacedFound>;
  /** units this shard explored, and the shares per scenario */
  readonly units: number;
  /** units searched to their end (a limit stopped none of them) */
  readonly done: number;
  readonly shares: number;
  readonly scenariosTotal: number;
  /** the scenario index of each scenario explored (a lock edge's witness names its scenario) */
  readonly indexOf: ReadonlyMap<Scenario, number>;
}

/**
 * Explores this shard's units in list order with the check's options. Its
 * byKind is in one run's order of where each kind's kept finding is, so a
 * property with several kinds keeps, among equals, the one met first.
 */
export function exploreShard(system: System, scenarios: ScenarioList, spec: ShardSpec, options: ExhaustiveOptions): ShardResult {
  const shares = sharesPerScenario(scenarios.total, spec.of, options.dpor ?? false);
  const acc = new SpaceFindings();
  const byKind = new Map<string, PlacedFound>();
  const indexOf = new Map<Scenario, number>();
  const t0 = Date.now();
  let units = 0;
  let done = 0;
  let s = -1;
  let stopped = false;
  for (const scenario of scenarios) {
    s++;
    for (let r = 0; r < shares && !stopped; r++) {
      if ((s * shares + r) % spec.of !== spec.index) continue;
      const left = options.timeLimitMs === undefined ? undefined : options.timeLimitMs - (Date.now() - t0);
      if (left !== undefined && left <= 0) {
        acc.coverage.complete = false;
        stopped = true;
        break;
      }
      units++;
      indexOf.set(scenario, s);
      const res = exploreScenario(system, scenario, {
        ...options,
        ...(shares > 1 ? { rootShare: { index: r, of: shares } } : {}),
        ...(left === undefined ? {} : { timeLimitMs: left }),
      });
      acc.add(scenario, res);
      if (!res.coverage.stopped) done++;
      for (const [kind, f] of res.byKind) {
        const placed = { ...f, scenario, at: atOf(s, f) };
        const old = byKind.get(kind);
        if (!old || ahead(rankOf(placed), rankOf(old))) byKind.set(kind, placed);
      }
      if (res.coverage.stopped || res.coverage.memoryCut || [...res.byKind.values()].some((f) => options.endsSearch?.(f.violation)))
        stopped = true;
    }
    if (stopped) break;
  }
  const sorted = new Map([...byKind].sort(([, a], [, b]) => (earlier(a.at, b.at) ? -1 : earlier(b.at, a.at) ? 1 : 0)));
  const r = acc.result();
  return { ...r, byKind: sorted, found: null, units, done, shares, indexOf, scenariosTotal: scenarios.total };
}
