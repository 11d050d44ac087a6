/** `check`: run the property suites of a design, in random and/or exhaustive mode. */

import { type Engine, engineChoice } from '../../checker/compiled/engine.ts';
import type { CounterexampleFile } from '../../checker/counterexample.ts';
import { CoverageRecorder } from '../../checker/coverage.ts';
import type { Execution } from '../../checker/execution.ts';
import { FINGERPRINT_BITS } from '../../checker/fingerprint.ts';
import { contextSwitches } from '../../checker/schedule.ts';
import type { ScheduleKind } from '../../checker/search/arbitraries.ts';
import type { ShardResult } from '../../checker/search/shard-plan.ts';
import { stableStringify } from '../../checker/value.ts';
import { LockGraph } from '../../kernel/lockdep/lockgraph.ts';
import { readScenario } from '../../loader/scenario-file.ts';
import { type Mode, overallVerdict, type PropertyResult } from '../../properties/check.ts';
import { record } from '../../properties/counterexample.ts';
import { type CoverageReport, type CoverageRow, changeText, coverageReport, withCoverage } from '../../properties/coverage-report.ts';
import { symmetryRefusal } from '../../properties/symmetry.ts';
import type { Args } from '../args.ts';
import {
  BOUND_FLAG,
  type Command,
  FOCUS_FLAG,
  MAX_MEMORY_FLAG,
  OUT_FLAG,
  STEP_LIMIT_FLAG,
  TIME_LIMIT_FLAG,
  VARIANT_FLAG,
  WIDTH_FLAG,
} from '../command.ts';
import { asInput, exitOf, UsageError } from '../errors.ts';
import { checkPage } from '../html/check-page.ts';
import { commandLine } from '../html/markup.ts';
import { checkHtmlPath, HTML_FLAG, pageOutcome, writePage } from '../html/write.ts';
import { dur, note, num, out, outLines, printJson, probeOutDir, shown, table, width } from '../io.ts';
import { searchLimits } from '../limits.ts';
import { ProgressLine } from '../progress.ts';
import { type SaveOutcome, savedCounterexample, trySaveCounterexample } from '../record.ts';
import { JSON_FORMAT } from '../report-json.ts';
import { describeBound, resolveProperties, resolveTarget } from '../setup.ts';
import { shardOf, shardReport } from '../shard-report.ts';
import { checkDesignJobs } from '../shards.ts';
import { renderTrace, traceInput, VIEWS, type View } from '../trace.ts';

/** Random runs per property by default: with the exhaustive pass, `npm run check` takes about 4 s on two cores. */
export const DEFAULT_RUNS = 5000;

interface Saved {
  readonly result: PropertyResult;
  readonly path: string | null;
  /** why the counterexample could not be saved (the disk is full, ...), or null */
  readonly notSaved: string | null;
  readonly exec: Execution | null;
  /** a shard's counterexample, embedded in its report instead of saved */
  readonly cx?: CounterexampleFile;
}

export const check: Command = {
  spec: {
    name: 'check',
    brief: 'run the property suites of a design (random and exhaustive search)',
    summary:
      'Runs the property suites of a design: random search (fast-check scenarios and schedules, shrunk) and exhaustive search (every interleaving of every scenario within the bound). On a violation it prints the trace in kernel function names and saves the counterexample under a new file name.',
    positionals: [],
    flags: [
      VARIANT_FLAG,
      { name: 'property', value: 'NAME', list: true, help: 'properties to check (see `list properties`)', default: 'all of the domain' },
      { name: 'mode', value: 'MODE', choices: ['random', 'exhaustive', 'both'], help: 'search mode', default: 'both' },
      { name: 'runs', value: 'N', help: 'random runs per property', default: String(DEFAULT_RUNS) },
      { name: 'seed', value: 'S', help: 'random seed (printed and saved, so a run repeats exactly)', default: 'from the clock' },
      {
        name: 'schedule',
        value: 'KIND',
        choices: ['mixed', 'uniform', 'pct'],
        help: 'random schedules: uniform choice, PCT priorities, or either at each run',
        default: 'mixed',
      },
      {
        name: 'dpor',
        help: 'exhaustive search with dynamic partial-order reduction: far fewer states, every violation still found, but a counterexample need not be the shortest',
      },
      {
        name: 'reduce',
        help: 'exhaustive search with transaction reduction (Lipton movers: a thread runs on after taking a lock, a release runs alone; lock types a trylock or a free may touch get none): fewer states, every violation kind still found, but a counterexample need not be the shortest; not with --dpor or --shard (docs/engine.md)',
      },
      {
        name: 'symmetry',
        help: 'exhaustive search with symmetry reduction: interchangeable threads (of one importer, mmap or fd-closing role, with equal operations) are swapped to the least renamed state key, so a state and its renamings are one; fewer states; not with --dpor, --reduce or --shard (docs/engine.md)',
      },
      {
        name: 'exact',
        help: "exhaustive search that keeps every state's full key, not only its 64-bit fingerprint: no collision can hide a state (more memory); without it the report gives the probability that one did",
      },
      {
        name: 'jobs',
        value: 'N',
        help: 'exhaustive search in N worker processes, one share of the scenarios each (the results do not depend on N)',
        default: '1',
      },
      {
        name: 'shard',
        value: 'I/N',
        help: 'exhaustive search of shard I of N only (1 ≤ I ≤ N), for one machine of several: its --json report embeds its counterexamples and lock edges, and `merge` combines the N reports into the one run (docs/shards.md)',
      },
      {
        name: 'engine',
        value: 'ENGINE',
        choices: ['generators', 'compiled'],
        help: 'how thread code runs: native generators (a backtracking search re-runs an operation from its log), or compiled frames the search copies and keys states by (docs/engine.md); verdicts and counterexample lengths are the same, the compiled engine counts fewer states (docs/engine-counts.md); VFIO_DMABUF_MODEL_ENGINE names one too',
        default: 'compiled for an exhaustive search, generators for random runs',
      },
      BOUND_FLAG,
      FOCUS_FLAG,
      {
        name: 'scenario',
        value: 'FILE',
        help: 'check exactly this scenario file (docs/scenarios.md): every interleaving of its threads, or random schedules of them; its bounds replace --bound and --focus',
      },
      TIME_LIMIT_FLAG,
      MAX_MEMORY_FLAG,
      STEP_LIMIT_FLAG,
      {
        name: 'coverage',
        help: "print every model function's coverage: calls, executions that ran it, executions in which another thread ran inside its window (by default: only the functions the design replaces or adds, and the operations it adds)",
      },
      { name: 'view', value: 'VIEW', choices: VIEWS, help: 'how traces are printed (see `replay --help`)', default: 'diff' },
      WIDTH_FLAG,
      OUT_FLAG,
      {
        name: 'json',
        help: 'print one JSON object {format, verdict, variant, results: [...]} instead of the report (docs/schemas/check.schema.json); verdict is pass, fail or incomplete, each result has complete and searched',
      },
      HTML_FLAG,
    ],
    notes: [
      'exit status: 0 every property passes (or does not apply), 1 a property is violated, 2 usage or input error, 4 incomplete: nothing was violated but a search was cut (by --time-limit, or a bound of the search) before it covered what was asked, so nothing is proved; or unexercised: nothing was violated but a function the design replaces or adds, or an operation it adds, never ran at the bound, so its change was not checked.',
      'Coverage (as TLC -coverage): per model function, its calls over the steps the search explored, the executions that ran it, and those in which another thread took a step between its first and last step (its window was raced). The report lists what the design changes first, with a CHANGE column: the functions it replaces (replaced), the functions it adds (added) and the operations it adds (added op); all functions with --coverage. It flags one that never ran or was never raced, and --json has the whole table. It counts the exhaustive search (in this process: not its --jobs workers), else the random runs.',
      'Every result says how far its search got: random, runs made of those asked; exhaustive, scenarios searched of the total and distinct states. Random run i depends only on the seed and i: a random search cut by --time-limit made the first N runs of its seed, and `--seed S --runs N` repeats exactly those.',
      'A counterexample is saved as OUT/<variant>.<property>.<n>.json with the first n not yet used; replay it with `vfio-dmabuf-model replay FILE`.',
      'A file is written whole or not at all: one that cannot be (a full disk) leaves nothing behind, and its trace is printed anyway with `not saved: <reason>`.',
      'Progress (runs, steps/s, distinct states, scenarios done, time left) is shown on stderr when stdout is a terminal.',
    ],
    examples: [
      'vfio-dmabuf-model check',
      'vfio-dmabuf-model check --variant before-close-order --mode exhaustive --bound ops=1',
      'vfio-dmabuf-model check --mode exhaustive --dpor --bound ops=2',
      'vfio-dmabuf-model check --mode exhaustive --bound ops=2 --jobs 4',
      'vfio-dmabuf-model check --variant ./my-variant.ts --property lock-order refcounts --json',
    ],
  },

  async run(args: Args): Promise<number> {
    const target = await resolveTarget(args.get('variant'), args.raw('bound'), args.list('focus'));
    const engine = args.get('engine') as Engine | undefined;
    if (engine) {
      // named, it overrides the per-mode default (defaultEngineFor); worker processes of --jobs start from the environment
      engineChoice.engine = engine;
      process.env.VFIO_DMABUF_MODEL_ENGINE = engine;
    }
    const properties = resolveProperties(target.design, args.list('property'));
    const shard = shardOf(args);
    const mode = args.get('mode') ?? (shard ? 'exhaustive' : 'both');
    const modes: Mode[] = mode === 'both' ? ['random', 'exhaustive'] : [mode as Mode];
    const runs = args.int('runs', 1, 100_000_000) ?? DEFAULT_RUNS;
    const seed = args.int('seed', -(2 ** 31), 2 ** 31 - 1) ?? Date.now() % 2 ** 31;
    const schedule = (args.get('schedule') ?? 'mixed') as ScheduleKind;
    const view = (args.get('view') ?? 'diff') as View;
    const cols = width(args);
    const json = args.has('json');
    const dpor = args.has('dpor');
    const exact = args.has('exact');
    const reduce = args.has('reduce');
    const jobs = args.int('jobs', 1, 1024) ?? 1;
    if (reduce && (dpor || shard || mode === 'random'))
      throw new UsageError(
        mode === 'random' && !dpor && !shard
          ? '--reduce is a reduction of the exhaustive search: it takes --mode exhaustive or both'
          : `--reduce does not combine with ${dpor ? '--dpor' : '--shard'} (docs/engine.md "Transaction reduction")`,
      );
    const symmetry = args.has('symmetry');
    if (symmetry && (dpor || reduce || shard || mode === 'random'))
      throw new UsageError(
        mode === 'random'
          ? '--symmetry is a reduction of the exhaustive search: it takes --mode exhaustive or both'
          : `--symmetry does not combine with ${dpor ? '--dpor' : reduce ? '--reduce' : '--shard'} (docs/engine.md "Symmetry reduction")`,
      );
    if (shard && (mode !== 'exhaustive' || jobs > 1 || !json || args.has('html')))
      throw new UsageError(
        '--shard is one share of an exhaustive search for `merge`: it takes --json, and neither --mode random/both, --jobs nor --html',
      );
    const lockGraph = shard ? new LockGraph() : null;
    let shardRun: ShardResult | null = null;
    const dir = probeOutDir(args.get('out') ?? OUT_FLAG.default);
    const html = checkHtmlPath(args.get('html'));
    const { design, domain, loaded } = target;
    const limits = searchLimits(args);
    const scenarioFile = args.get('scenario');
    if (scenarioFile !== undefined && (args.raw('bound').length > 0 || args.list('focus').length > 0))
      throw new UsageError('--scenario gives the bounds and the operations: it cannot be combined with --bound or --focus');
    const fixed = scenarioFile === undefined ? null : asInput(() => readScenario(scenarioFile, domain, design));
    if (symmetry) {
      const refused = symmetryRefusal(
        domain,
        fixed?.bounds ?? target.bounds,
        fixed ? [fixed.scenario] : target.profile ? [...target.scenarios()] : null,
        target.focus,
      );
      if (refused) throw new UsageError(refused);
    }

    const modeText = modes
      .map((x) =>
        x === 'random'
          ? `random (${num(runs)} runs per property, seed ${seed}, ${schedule} schedule)`
          : `exhaustive${dpor ? ' (DPOR)' : reduce ? ' (transaction reduction)' : symmetry ? ' (symmetry reduction)' : ''}`,
      )
      .join(', ');
    if (!json) {
      out(`vfio-dmabuf-model check ${design.name}: ${design.summary}`);
      out(`source: ${design.source}${loaded.path ? ` (module ${shown(loaded.path)})` : ''}`);
      out(
        fixed
          ? `scenario: ${shown(scenarioFile as string)}${fixed.doc.description ? ` (${fixed.doc.description})` : ''}: threads ${fixed.scenario.threads.map((t) => `${t.name} (${t.ops.length})`).join(', ')}`
          : `bound: ${describeBound(target)}`,
      );
      out(
        `modes: ${modeText}; properties: ${properties.length === target.catalog.length ? `all ${properties.length}` : properties.map((p) => p.name).join(', ')}`,
      );
      out();
    }

    // worker processes (--jobs) count nothing: the exhaustive search is then counted only in one process
    const recorders = {
      ...(modes.includes('random') ? { random: new CoverageRecorder() } : {}),
      ...(modes.includes('exhaustive') && (jobs <= 1 || fixed) ? { exhaustive: new CoverageRecorder() } : {}),
    };
    const progress = new ProgressLine();
    let scenarios = 0;
    const t0 = Date.now();
    const results = await checkDesignJobs(
      {
        design,
        domain,
        properties,
        catalog: target.catalog,
        modes,
        bounds: fixed?.bounds ?? target.bounds,
        profile: fixed ? null : target.profile,
        focus: fixed ? [] : target.focus,
        ...(fixed ? { scenario: fixed.scenario } : {}),
        coverage: recorders,
        runs,
        seed,
        schedule,
        dpor,
        ...(reduce ? { reduce } : {}),
        ...(symmetry ? { symmetry } : {}),
        exact,
        ...limits,
        ...(shard && lockGraph ? { shard, recorders: [lockGraph.recorder()], onShard: (r: ShardResult) => (shardRun = r) } : {}),
        onProgress: (p) => {
          if (p.mode === 'exhaustive') scenarios = p.total;
          progress.check(p);
        },
      },
      loaded.path ?? design.name,
      jobs,
    );
    progress.clear();
    const millis = Date.now() - t0;

    // record and save every counterexample (identical ones once)
    const system = target.system;
    const saved: Saved[] = [];
    const byText = new Map<string, SaveOutcome>();
    for (const r of results) {
      if (r.verdict !== 'fail' || !r.counterexample) {
        saved.push({ result: r, path: null, notSaved: null, exec: null });
        continue;
      }
      const p = properties.find((x) => x.name === r.property);
      const exec = record(system, r.counterexample.scenario, r.counterexample.path, p ? p.monitors() : []);
      const found = {
        mode: r.mode,
        ...(r.mode === 'random' ? { seed: r.seed ?? seed, runs: r.runsToFailure ?? runs, schedule } : {}),
        bounds: fixed?.bounds ?? target.bounds,
        ...(target.profile && !fixed ? { profile: target.profile } : {}),
        focus: fixed ? [] : target.focus,
      };
      const cx = savedCounterexample(loaded, r.property, found, exec);
      // a shard's counterexample is saved by `merge`, if it is still the one kept there
      if (shard) {
        saved.push({ result: r, path: null, notSaved: null, exec, cx });
        continue;
      }
      const key = stableStringify({ p: cx.property, s: cx.scenario, sch: cx.schedule });
      let outcome = byText.get(key);
      if (!outcome) {
        outcome = trySaveCounterexample(dir, cx);
        byText.set(key, outcome);
      }
      saved.push({ result: r, ...outcome, exec });
    }

    const failed = saved.filter((s) => s.result.verdict === 'fail');
    const covered = recorders.exhaustive
      ? coverageReport(design, 'exhaustive', recorders.exhaustive)
      : recorders.random
        ? coverageReport(design, 'random', recorders.random)
        : null;
    const verdict = withCoverage(overallVerdict(results), covered);
    const pageNotSaved = html
      ? writePage(
          html,
          checkPage({
            target,
            width: cols,
            coverage: covered,
            results: saved.map((s) => ({ ...s, trace: s.exec ? traceInput(s.exec, system, s.result.property) : null })),
            modes,
            modeText,
            scenarios,
            millis,
            command: commandLine(),
          }),
        )
      : null;
    if (json) {
      for (const s of failed) if (s.notSaved) note(`not saved: ${s.notSaved}`);
      printJson({
        format: JSON_FORMAT,
        verdict,
        variant: design.name,
        ...(loaded.path ? { module: loaded.path } : {}),
        bounds: fixed?.bounds ?? target.bounds,
        ...(target.profile && !fixed ? { profile: target.profile } : {}),
        ...(scenarioFile !== undefined ? { scenario: scenarioFile } : {}),
        focus: fixed ? [] : target.focus,
        // a seed only where a random search used it: an exhaustive-only report is the same on every run
        ...(modes.includes('random') ? { seed } : {}),
        results: saved.map(({ result: r, path, notSaved, cx }) => ({
          property: r.property,
          verdict: r.verdict,
          complete: r.complete,
          searched: r.searched,
          mode: r.mode,
          executions: r.executions,
          states: r.states,
          counterexample: path,
          ...(notSaved ? { notSaved } : {}),
          steps: r.steps,
          millis: r.millis,
          ...(r.counterexample
            ? {
                violation: {
                  kind: r.counterexample.violation.kind,
                  message: r.counterexample.violation.message,
                  length: r.counterexample.path.length,
                },
              }
            : {}),
          ...(r.note ? { note: r.note } : {}),
          ...(cx && r.counterexample?.at
            ? { order: { ...r.counterexample.at, switches: contextSwitches(r.counterexample.path) }, counterexampleFile: cx }
            : {}),
        })),
        ...(covered ? { coverage: covered } : {}),
        ...(shard && lockGraph ? { shard: shardReport({ shard, run: shardRun, design, dpor, exact, graph: lockGraph }) } : {}),
      });
      // a shard's verdict is merge's: a shard that fails its job would be retried (a Kubernetes Job) or stop its matrix
      return shard ? 0 : pageOutcome(exitOf(verdict), pageNotSaved, 'stderr');
    }

    const rows = saved.map(({ result: r }) => [
      r.property,
      r.mode,
      r.verdict === 'fail' ? 'FAIL' : r.verdict === 'incomplete' ? 'INCOMPLETE' : r.verdict,
      num(r.executions),
      r.mode === 'exhaustive' ? num(r.states) : '-',
      num(r.steps),
      r.verdict === 'fail' && r.counterexample
        ? `${r.counterexample.violation.kind} in ${r.counterexample.path.length} steps${r.mode === 'random' && r.runsToFailure ? ` (run ${num(r.runsToFailure)}, shrunk from ${r.shrunkLength} steps)` : ''}`
        : (r.note ?? ''),
    ]);
    outLines(table(['PROPERTY', 'MODE', 'VERDICT', 'EXECUTIONS', 'STATES', 'STEPS', 'NOTE'], rows, new Set([3, 4, 5])));
    out();
    const ex = results.find((r) => r.mode === 'exhaustive' && r.coverage);
    if (ex?.coverage) {
      const c = ex.coverage;
      out(
        `exhaustive: every interleaving of ${num(scenarios)} scenario${scenarios === 1 ? '' : 's'}: ${num(c.states)} distinct states, ${num(c.executions)} executions, ${num(c.transitions)} steps, longest ${c.maxDepthSeen} steps; reductions: ${c.reductions.join(', ') || 'none'}; ${c.complete ? 'complete' : `INCOMPLETE (${c.memoryCut ? 'the memory limit' : 'a bound or the time limit'} cut it${'scenarios' in ex.searched ? ` after ${num(ex.searched.scenarios)} of ${num(ex.searched.scenariosTotal)} scenarios` : ''})`}`,
      );
      out(collisionLine(c.collisionProbability, exact));
    }
    if (modes.includes('random')) out(randomLine(results, seed));
    out(`time: ${dur(millis)}`);
    if (covered) outLines(coverageLines(covered, args.has('coverage')));

    // one trace per violated property: the shortest of its counterexamples
    const shownProps = new Set<string>();
    const sorted = [...failed].sort((a, b) => (a.exec?.steps.length ?? 0) - (b.exec?.steps.length ?? 0));
    for (const s of properties.map((p) => sorted.find((x) => x.result.property === p.name)).filter((x): x is Saved => x !== undefined)) {
      if (shownProps.has(s.result.property) || !s.exec) continue;
      shownProps.add(s.result.property);
      out();
      out(
        `=== ${s.result.property}: violated (${s.result.mode}, ${s.exec.steps.length} steps, threads ${s.exec.threadNames.join(', ')}) ===`,
      );
      outLines(renderTrace(traceInput(s.exec, system, s.result.property), view, cols));
      out();
      for (const f of failed.filter((x) => x.result.property === s.result.property))
        out(
          f.path
            ? `counterexample (${f.result.mode}): ${f.path}   replay: vfio-dmabuf-model replay ${f.path}${loaded.path ? ` --variant ${shown(loaded.path)}` : ''}`
            : `not saved: the ${f.result.mode} counterexample, ${f.notSaved}`,
        );
    }
    out();
    const violated = [...new Set(failed.map((f) => f.result.property))];
    const cutText = cutSearches(results, properties.length);
    if (verdict === 'unexercised') {
      out(
        `UNEXERCISED: no violation found, but ${covered?.unexercised.join(', ')} never ran at this bound: the change was not checked (a larger --bound or --focus, or a scenario that calls it).`,
      );
    } else if (verdict === 'incomplete') {
      out(`INCOMPLETE: no violation found, but ${cutText}: a cut search proves nothing.`);
    } else if (verdict === 'pass') {
      const na = results.filter((r) => r.verdict === 'n/a').length;
      out(
        `No violation: ${properties.length} propert${properties.length === 1 ? 'y' : 'ies'} checked${na ? ` (${na} results n/a)` : ''}, no error found.`,
      );
    } else
      out(
        `${violated.length} of ${properties.length} properties violated: ${violated.join(', ')}${cutText ? `; ${cutText} before finding anything` : ''}`,
      );
    return pageOutcome(exitOf(verdict), pageNotSaved, 'stdout');
  },
};

/** The coverage table: what the design replaces and adds (or, with --coverage, every function too), flagged. */
function coverageLines(c: CoverageReport, all: boolean): string[] {
  const rows = c.functions.filter((f) => all || changeText(f));
  const fns = c.functions.filter((f) => f.kind !== 'operation');
  const ops = c.functions.filter((f) => f.kind === 'operation');
  const ran = (rs: readonly CoverageRow[]) => rs.filter((f) => f.calls > 0).length;
  const opsText = ops.length ? `, ${ran(ops)} of ${ops.length} added operations` : '';
  const head = `coverage (${c.mode}, ${num(c.executions)} executions): ${ran(fns)} of ${fns.length} model functions${opsText} ran${all ? '' : '; --coverage lists them all'}`;
  if (rows.length === 0) return ['', head];
  return [
    '',
    head,
    ...table(
      ['FUNCTION', 'CHANGE', 'CALLS', 'EXECUTIONS', 'RACED', 'NOTE'],
      rows.map((f) => [
        f.name,
        changeText(f),
        num(f.calls),
        num(f.executions),
        num(f.raced),
        f.flag === 'never ran' ? 'NEVER RAN' : f.flag === 'never raced' ? 'never raced: no other thread ran inside it' : '',
      ]),
      new Set([2, 3, 4]),
    ),
  ];
}

/** Which searches were cut with nothing found, per mode: "the random search of all 8 properties was cut". */
function cutSearches(results: readonly PropertyResult[], properties: number): string {
  const parts: string[] = [];
  for (const mode of ['random', 'exhaustive'] as const) {
    const names = results.filter((r) => r.mode === mode && r.verdict === 'incomplete').map((r) => r.property);
    if (names.length === 0) continue;
    parts.push(
      `the ${mode} search of ${names.length === properties && properties > 1 ? `all ${properties} properties` : names.length > 3 ? `${names.length} properties` : names.join(', ')}`,
    );
  }
  return parts.length ? `${parts.join(' and ')} ${parts.length === 1 ? 'was' : 'were'} cut` : '';
}

/**
 * How far random search went and how to repeat it: the runs it made are the
 * first N of its seed, so a search cut by the time limit repeats with `--runs N`.
 */
function randomLine(results: readonly PropertyResult[], seed: number): string {
  const r = results.find((x) => x.mode === 'random' && x.verdict !== 'n/a' && 'runs' in x.searched);
  if (!r || !('runs' in r.searched)) return `random: seed ${seed} (--seed ${seed} repeats this run)`;
  const { runs, runsAsked } = r.searched;
  if (!r.complete)
    return `random: ${num(runs)} of ${num(runsAsked)} runs (cut by the time limit), seed ${seed}; \`--seed ${seed} --runs ${runs}\` repeats exactly these`;
  if (runs < runsAsked)
    return `random: ${num(runs)} of ${num(runsAsked)} runs, seed ${seed} (every property had failed by then; --seed ${seed} repeats this run)`;
  return `random: ${num(runs)} runs, seed ${seed} (--seed ${seed} repeats this run)`;
}

/** As TLC reports it: how likely a fingerprint collision made the exhaustive search skip a state. */
function collisionLine(p: number, exact: boolean): string {
  if (exact) return 'fingerprints: exact keys kept (--exact): no collision can have hidden a state';
  return `fingerprints: probability that a collision hid a state ${p === 0 ? '0' : p.toExponential(1)} (${FINGERPRINT_BITS}-bit, TLC's optimistic estimate n·(g−n)/2^${FINGERPRINT_BITS}; --exact for none)`;
}
