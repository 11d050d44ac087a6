/** `diff A B`: how two designs differ: functions, lock edges, and property verdicts at one common bound. */

import type { LoadedDesign } from '../../loader/load.ts';
import { designDomain } from '../../model/design-domain.ts';
import { domainOf } from '../../model/domains.ts';
import type { AnyDesign } from '../../model/variants/index.ts';
import { checkDesign, overallVerdict, type PropertyResult } from '../../properties/check.ts';
import { exploreLockGraph, type GraphRun, lockdepWarns } from '../../properties/lock-graph.ts';
import { targetOf } from '../../properties/target.ts';
import type { Args } from '../args.ts';
import { BOUND_FLAG, type Command, FOCUS_FLAG, MAX_MEMORY_FLAG, STEP_LIMIT_FLAG, TIME_LIMIT_FLAG } from '../command.ts';
import { asInput, exitOf, UsageError } from '../errors.ts';
import { diffPage } from '../html/diff-page.ts';
import { commandLine } from '../html/markup.ts';
import { checkHtmlPath, HTML_FLAG, pageOutcome, writePage } from '../html/write.ts';
import { dur, num, out, printJson } from '../io.ts';
import { searchLimits } from '../limits.ts';
import { ProgressLine } from '../progress.ts';

/**
 * Version of diff's JSON: 2 since `verdict` is the searches' (a violation in
 * either design fails it) and `differ` says whether the designs differ (in 1,
 * `verdict` said that).
 */
const DIFF_JSON_FORMAT = 2;

import { boundDiff, checkBoundPairs, checkProfile, describeBound, resolveDesign, resolveFocus, type Target } from '../setup.ts';

export interface FunctionDiff {
  readonly name: string;
  /** the implementation in each design (its JS function name), or null when the design has no such function */
  readonly a: string | null;
  readonly b: string | null;
  /** which design replaces it relative to its own base */
  readonly replacedIn: readonly string[];
}

const fnName = (f: unknown): string => (typeof f === 'function' ? f.name || '(anonymous)' : typeof f);

/** Function-table entries whose implementation differs (by identity), or that only one design has. */
export function functionDiff(a: AnyDesign, b: AnyDesign): FunctionDiff[] {
  const fa = a.functions as Record<string, unknown>;
  const fb = b.functions as Record<string, unknown>;
  const names = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
  const out: FunctionDiff[] = [];
  for (const n of names) {
    if (fa[n] === fb[n]) continue;
    out.push({
      name: n,
      a: n in fa ? fnName(fa[n]) : null,
      b: n in fb ? fnName(fb[n]) : null,
      replacedIn: [a, b].filter((d) => d.replaced.includes(n)).map((d) => d.name),
    });
  }
  return out;
}

function flagDiff(a: AnyDesign, b: AnyDesign): { flag: string; a: unknown; b: unknown }[] {
  const fa = a.flags as unknown as Record<string, unknown>;
  const fb = b.flags as unknown as Record<string, unknown>;
  return [...new Set([...Object.keys(fa), ...Object.keys(fb)])]
    .filter((k) => fa[k] !== fb[k])
    .map((k) => ({ flag: k, a: fa[k], b: fb[k] }));
}

/** The common bound: the domain's defaults with both designs' overrides (the larger value of each) and the user's pairs. */
function commonTargets(la: LoadedDesign, lb: LoadedDesign, pairs: readonly string[], focus: readonly string[]): [Target, Target] {
  const a = la.design;
  const b = lb.design;
  if (a.domain !== b.domain)
    throw new UsageError(`cannot diff ${a.name} (${a.domain}) with ${b.name} (${b.domain}): they model different lifecycles`);
  const domain = asInput(() => domainOf(a.domain));
  checkBoundPairs(pairs);
  const merged: Record<string, number> = { ...a.bounds };
  for (const [k, v] of Object.entries(b.bounds)) merged[k] = Math.max(v, merged[k] ?? Number.NEGATIVE_INFINITY);
  const { bounds, profile } = asInput(() => domain.parseBounds([...Object.entries(merged).map(([k, v]) => `${k}=${v}`), ...pairs]));
  checkProfile(domain, profile, focus);
  let f: string[];
  if (profile) f = [];
  // a command either design adds may be focused on; each design's space has only its own
  else if (focus.length)
    f = resolveFocus(
      a,
      asInput(() => designDomain({ ...a, operations: { ...a.operations, ...b.operations } })),
      bounds,
      focus,
    );
  else f = [...new Set([...a.focus, ...b.focus])];
  const mk = (loaded: LoadedDesign): Target => ({
    ...targetOf({ design: loaded.design, domain: asInput(() => designDomain(loaded.design)), bounds, profile, focus: f }),
    loaded,
    boundText: boundDiff(domain, bounds),
  });
  return [mk(la), mk(lb)];
}

/**
 * Time limits for searches run one after another, so that together they keep
 * `limitMs`: each gets an equal share of what is left (a search that ends
 * early leaves its time to the next). Without a limit, none.
 */
function timeShares(limitMs: number | undefined, searches: number): () => { timeLimitMs?: number } {
  const t0 = Date.now();
  let left = searches;
  return () => {
    if (limitMs === undefined) return {};
    const share = (limitMs - (Date.now() - t0)) / Math.max(1, left--);
    return { timeLimitMs: Math.max(1, Math.floor(share)) };
  };
}

const edgeKey = (e: { from: string; to: string }) => `${e.from} -> ${e.to}`;

export const diff: Command = {
  spec: {
    name: 'diff',
    brief: 'functions, lock edges and property verdicts that differ between two designs',
    summary:
      'Compares two designs at one common bound: the functions that differ, the lock edges added and removed, and the properties whose verdict changed (exhaustive search of both).',
    positionals: [
      { name: 'VARIANT_A', help: 'a built-in design or a variant module path' },
      { name: 'VARIANT_B', help: 'a built-in design or a variant module path' },
    ],
    flags: [
      BOUND_FLAG,
      FOCUS_FLAG,
      TIME_LIMIT_FLAG,
      MAX_MEMORY_FLAG,
      STEP_LIMIT_FLAG,
      { name: 'json', help: 'print one JSON object {format, verdict, ...} instead of the report (docs/schemas/diff.schema.json)' },
      HTML_FLAG,
    ],
    notes: [
      "The common bound is the domain's defaults with both designs' own overrides (the larger of each) and then --bound; the primary commands are the union of both designs' own (all when neither has one), as the matrix checks upstream-7.1 at each variant's bound.",
      'exit status: 0 the designs behave the same (same verdicts and lock edges), 1 they differ, 2 usage or input error, 4 incomplete: no difference found, but --time-limit (or a bound of the search) cut a search, so the designs may still differ. A property whose search was cut with nothing found in one design is undecided, not changed.',
      'With --json: format (2), differ (true: a difference was found; the exit status is 1), verdict (the searches of both designs, as check gives it: fail when either design violates a property or lockdep would warn; incomplete when a search was cut with nothing found; else pass), same (not differ) and complete.',
    ],
    examples: ['vfio-dmabuf-model diff merged-6.19 upstream-7.1', 'vfio-dmabuf-model diff upstream-7.1 before-close-order --json'],
  },

  async run(args: Args): Promise<number> {
    const [na, nb] = args.positionals as [string, string];
    const la = await resolveDesign(na);
    const lb = await resolveDesign(nb);
    const [ta, tb] = commonTargets(la, lb, args.raw('bound'), args.list('focus'));
    const { timeLimitMs, maxMemoryBytes } = searchLimits(args);
    const html = checkHtmlPath(args.get('html'));
    // --time-limit bounds the whole diff, as it bounds a whole check: four searches share it
    const nextLimit = timeShares(timeLimitMs, 4);
    const a = la.design;
    const b = lb.design;
    const t0 = Date.now();
    const progress = new ProgressLine();
    const graphs: GraphRun[] = [];
    const verdicts: PropertyResult[][] = [];
    for (const t of [ta, tb]) {
      graphs.push(
        exploreLockGraph(t, {
          ...nextLimit(),
          maxMemoryBytes,
          onProgress: (d, n, c) =>
            progress.update(`diff: lock graph of ${t.design.name}: scenario ${num(d)}/${num(n)} · ${num(c.states)} distinct states`),
        }),
      );
      verdicts.push(
        checkDesign({
          design: t.design,
          domain: t.domain,
          properties: t.catalog,
          catalog: t.catalog,
          modes: ['exhaustive'],
          bounds: t.bounds,
          profile: t.profile,
          focus: t.focus,
          ...nextLimit(),
          maxMemoryBytes,
          onProgress: (p) =>
            progress.update(
              `diff: properties of ${t.design.name}: scenario ${num(p.done)}/${num(p.total)} · ${num(p.states)} distinct states`,
            ),
        }),
      );
    }
    progress.clear();
    const [ga, gb] = graphs as [GraphRun, GraphRun];
    const [va, vb] = verdicts as [PropertyResult[], PropertyResult[]];
    const ka = new Set(ga.edges.map(edgeKey));
    const kb = new Set(gb.edges.map(edgeKey));
    const added = gb.edges.filter((e) => !ka.has(edgeKey(e)));
    const removed = ga.edges.filter((e) => !kb.has(edgeKey(e)));
    const pairs = va
      .map((ra) => ({ ra, rb: vb.find((x) => x.property === ra.property) }))
      .filter((x): x is { ra: PropertyResult; rb: PropertyResult } => x.rb !== undefined);
    // a search cut with nothing found says neither pass nor fail: comparing it proves no change
    const undecided = pairs.filter(({ ra, rb }) => ra.verdict === 'incomplete' || rb.verdict === 'incomplete');
    const changed = pairs.filter((x) => !undecided.includes(x) && x.rb.verdict !== x.ra.verdict);
    const fns = functionDiff(a, b);
    const flags = flagDiff(a, b);
    const cyclesA = ga.cycles.length;
    const cyclesB = gb.cycles.length;
    // an edge one design lacks is a difference only if that design's search was not cut before reaching it
    const confirmedAdded = ga.coverage.complete ? added : [];
    const confirmedRemoved = gb.coverage.complete ? removed : [];
    const same = confirmedAdded.length === 0 && confirmedRemoved.length === 0 && changed.length === 0;
    // a search cut by the time limit proves no sameness: say how far it went
    const complete = [ga, gb].every((g) => g.coverage.complete) && [...va, ...vb].every((r) => r.complete);
    // the exit status: do the designs differ (1), or could they, since a search was cut (4)?
    const outcome = !same ? 'fail' : complete ? 'pass' : 'incomplete';
    // the searches' own verdict, as check and lockorder give it: a violation in either design fails it
    const searches = overallVerdict([...va, ...vb]);
    const verdict =
      searches === 'fail' || lockdepWarns(ga) || lockdepWarns(gb)
        ? 'fail'
        : searches === 'incomplete' || !ga.coverage.complete || !gb.coverage.complete
          ? 'incomplete'
          : 'pass';

    const vtext = (r: PropertyResult) =>
      r.verdict === 'fail' && r.counterexample
        ? `FAIL (${r.counterexample.violation.kind} in ${r.counterexample.path.length} steps: ${r.counterexample.violation.message})`
        : r.verdict;
    const pageNotSaved = html
      ? writePage(
          html,
          await diffPage({
            a,
            b,
            bound: describeBound(ta),
            graphs: [ga, gb],
            verdicts: [va, vb],
            functions: fns,
            flags,
            added,
            removed,
            same,
            complete,
            command: commandLine(),
          }),
        )
      : null;
    if (args.has('json')) {
      printJson({
        format: DIFF_JSON_FORMAT,
        verdict,
        differ: !same,
        a: a.name,
        b: b.name,
        bounds: ta.bounds,
        focus: ta.focus,
        functions: fns,
        flags,
        lockEdges: {
          added: added.map((e) => ({
            from: e.from,
            to: e.to,
            types: e.types,
            at: e.witness.at,
            thread: e.witness.threadName,
            stack: e.witness.stack,
            confirmed: ga.coverage.complete,
          })),
          removed: removed.map((e) => ({
            from: e.from,
            to: e.to,
            types: e.types,
            at: e.witness.at,
            thread: e.witness.threadName,
            stack: e.witness.stack,
            confirmed: gb.coverage.complete,
          })),
          cycles: { a: cyclesA, b: cyclesB },
        },
        properties: va.map((ra) => {
          const rb = vb.find((x) => x.property === ra.property);
          return {
            property: ra.property,
            a: ra.verdict,
            b: rb?.verdict ?? null,
            changed: changed.some((c) => c.ra === ra),
            complete: ra.complete && (rb?.complete ?? true),
            ...(ra.counterexample ? { aViolation: ra.counterexample.violation.message } : {}),
            ...(rb?.counterexample ? { bViolation: rb.counterexample.violation.message } : {}),
          };
        }),
        same,
        complete,
      });
      return pageOutcome(exitOf(outcome), pageNotSaved, 'stderr');
    }

    out(`diff ${a.name} ${b.name}`);
    out(`  a: ${a.name}: ${a.summary} (source: ${a.source})`);
    out(`  b: ${b.name}: ${b.summary} (source: ${b.source})`);
    out(
      `bound: ${describeBound(ta)}; explored ${num(ga.coverage.states)} and ${num(gb.coverage.states)} distinct states, ${dur(Date.now() - t0)}`,
    );
    out();
    out(`Functions that differ (${fns.length}):`);
    if (fns.length === 0) out('  none: the function tables are identical');
    for (const f of fns) {
      const where = f.replacedIn.length ? ` [replaced in ${f.replacedIn.join(' and ')}]` : '';
      if (f.a === null) out(`  + ${f.name}: only in ${b.name} (${f.b})${where}`);
      else if (f.b === null) out(`  - ${f.name}: only in ${a.name} (${f.a})${where}`);
      else out(`  ~ ${f.name}: ${a.name} runs ${f.a}, ${b.name} runs ${f.b}${where}`);
    }
    for (const d of [a, b]) if (d.differences.length && d.base) out(`  ${d.name} vs its base ${d.base}: ${d.differences.join('; ')}`);
    if (flags.length) for (const f of flags) out(`  flag ${f.flag}: ${String(f.a)} -> ${String(f.b)}`);
    out();
    out(`Lock edges (A -> B: B taken while A is held): ${added.length} added, ${removed.length} removed; cycles: ${cyclesA} -> ${cyclesB}`);
    const unconfirmed = (g: GraphRun, d: AnyDesign) => (g.coverage.complete ? '' : ` (unconfirmed: the search of ${d.name} was cut)`);
    for (const e of added)
      out(
        `  + ${e.from} -> ${e.to} [${e.types.join(',')}] at ${e.witness.at} (${e.witness.threadName} in ${e.witness.stack.join(' > ')})${unconfirmed(ga, a)}`,
      );
    for (const e of removed)
      out(
        `  - ${e.from} -> ${e.to} [${e.types.join(',')}] at ${e.witness.at} (${e.witness.threadName} in ${e.witness.stack.join(' > ')})${unconfirmed(gb, b)}`,
      );
    out();
    out(`Properties whose verdict changed (${changed.length} of ${va.length}):`);
    if (changed.length === 0) out('  none');
    for (const { ra, rb } of changed) {
      out(`  ${ra.property}:`);
      out(`      ${a.name}: ${vtext(ra)}`);
      out(`      ${b.name}: ${vtext(rb)}`);
    }
    for (const { ra, rb } of undecided)
      out(`  undecided (a search was cut): ${ra.property}: ${a.name} ${vtext(ra)}, ${b.name} ${vtext(rb)}`);
    const same2 = va
      .filter((ra) => !changed.some((c) => c.ra === ra) && !undecided.some((c) => c.ra === ra))
      .map((r) => `${r.property}=${r.verdict}`);
    if (same2.length) out(`  unchanged: ${same2.join(', ')}`);
    out();
    if (same && !complete)
      out('INCOMPLETE: no difference found, but the time limit or a bound cut a search: the designs may still differ at this bound.');
    else out(same ? 'The designs behave the same at this bound.' : 'The designs behave differently at this bound.');
    return pageOutcome(exitOf(outcome), pageNotSaved, 'stdout');
  },
};
