/** `check`: run the property suites of a design, in random and/or exhaustive mode. */
import type { Execution } from '../../checker/execution.ts';
import type { ScheduleKind } from '../../checker/search/arbitraries.ts';
import { stableStringify } from '../../checker/value.ts';
import { checkDesignJobs, type Mode, type PropertyResult } from '../../properties/check.ts';
import type { Args } from '../args.ts';
import { BOUND_FLAG, type Command, FOCUS_FLAG, OUT_FLAG, TIME_LIMIT_FLAG, VARIANT_FLAG } from '../command.ts';
import { EXIT } from '../errors.ts';
import { checkPage } from '../html/check-page.ts';
import { commandLine } from '../html/markup.ts';
import { checkHtmlPath, HTML_FLAG, writePage } from '../html/write.ts';
import { dur, num, out, outLines, printJson, probeOutDir, shown, table, width } from '../io.ts';
import { ProgressLine } from '../progress.ts';
import { counterexampleOf, record, saveCounterexample } from '../record.ts';
import { describeBound, resolveProperties, resolveTarget } from '../setup.ts';
import { renderTrace, traceInput, VIEWS, type View } from '../trace.ts';

/** Random runs per property by default: with the exhaustive pass, `npm run check` takes about 4 s on two cores. */
export const DEFAULT_RUNS = 5000;

interface Saved {
  readonly result: PropertyResult;
  readonly path: string | null;
  readonly exec: Execution | null;
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
        name: 'jobs',
        value: 'N',
        help: 'exhaustive search in N worker processes, one share of the scenarios each (the results do not depend on N)',
        default: '1',
      },
      BOUND_FLAG,
      FOCUS_FLAG,
      TIME_LIMIT_FLAG,
      { name: 'view', value: 'VIEW', choices: VIEWS, help: 'how traces are printed (see `replay --help`)', default: 'diff' },
      OUT_FLAG,
      { name: 'json', help: 'print one JSON object {variant, results: [...]} instead of the report' },
      HTML_FLAG,
    ],
    notes: [
      'exit status: 0 every property passes (or does not apply), 1 a property is violated, 2 usage or input error.',
      'A counterexample is saved as OUT/<variant>.<property>.<n>.json with the first n not yet used; replay it with `vfio-dmabuf-model replay FILE`.',
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
    const properties = resolveProperties(target.design, args.list('property'));
    const mode = args.get('mode') ?? 'both';
    const modes: Mode[] = mode === 'both' ? ['random', 'exhaustive'] : [mode as Mode];
    const runs = args.int('runs', 1, 100_000_000) ?? DEFAULT_RUNS;
    const seed = args.int('seed', -(2 ** 31), 2 ** 31 - 1) ?? Date.now() % 2 ** 31;
    const limit = args.int('time-limit', 1, 7 * 24 * 3600);
    const schedule = (args.get('schedule') ?? 'mixed') as ScheduleKind;
    const view = (args.get('view') ?? 'diff') as View;
    const json = args.has('json');
    const dpor = args.has('dpor');
    const jobs = args.int('jobs', 1, 1024) ?? 1;
    const dir = probeOutDir(args.get('out') ?? OUT_FLAG.default);
    const html = checkHtmlPath(args.get('html'));
    const { design, domain, loaded } = target;

    const modeText = modes
      .map((x) =>
        x === 'random'
          ? `random (${num(runs)} runs per property, seed ${seed}, ${schedule} schedule)`
          : `exhaustive${dpor ? ' (DPOR)' : ''}`,
      )
      .join(', ');
    if (!json) {
      out(`vfio-dmabuf-model check ${design.name}: ${design.summary}`);
      out(`source: ${design.source}${loaded.path ? ` (module ${shown(loaded.path)})` : ''}`);
      out(`bound: ${describeBound(target)}`);
      out(
        `modes: ${modeText}; properties: ${properties.length === target.catalog.length ? `all ${properties.length}` : properties.map((p) => p.name).join(', ')}`,
      );
      out();
    }

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
        bounds: target.bounds,
        profile: target.profile,
        focus: target.focus,
        runs,
        seed,
        schedule,
        dpor,
        ...(limit === undefined ? {} : { timeLimitMs: limit * 1000 }),
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
    const system = domain.system(design);
    const saved: Saved[] = [];
    const byText = new Map<string, string>();
    for (const r of results) {
      if (r.verdict !== 'fail' || !r.counterexample) {
        saved.push({ result: r, path: null, exec: null });
        continue;
      }
      const p = properties.find((x) => x.name === r.property);
      const exec = record(system, r.counterexample.scenario, r.counterexample.path, p ? p.monitors() : []);
      const found = {
        mode: r.mode,
        ...(r.mode === 'random' ? { seed: r.seed ?? seed, runs: r.runsToFailure ?? runs, schedule } : {}),
        bounds: target.bounds as Record<string, number>,
        ...(target.profile ? { profile: target.profile } : {}),
        focus: target.focus.join(','),
      };
      const cx = counterexampleOf(loaded, r.property, found, exec);
      const key = stableStringify({ p: cx.property, s: cx.scenario, sch: cx.schedule });
      let path = byText.get(key);
      if (!path) {
        path = shown(saveCounterexample(dir, cx));
        byText.set(key, path);
      }
      saved.push({ result: r, path, exec });
    }

    const failed = saved.filter((s) => s.result.verdict === 'fail');
    if (html)
      writePage(
        html,
        checkPage({
          target,
          results: saved.map((s) => ({ ...s, trace: s.exec ? traceInput(s.exec, system, s.result.property) : null })),
          modes,
          modeText,
          scenarios,
          millis,
          command: commandLine(),
        }),
      );
    if (json) {
      printJson({
        variant: design.name,
        ...(loaded.path ? { module: loaded.path } : {}),
        bounds: target.bounds,
        ...(target.profile ? { profile: target.profile } : {}),
        focus: target.focus,
        seed,
        results: saved.map(({ result: r, path }) => ({
          property: r.property,
          verdict: r.verdict,
          mode: r.mode,
          executions: r.executions,
          states: r.states,
          counterexample: path,
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
          ...(r.coverage ? { complete: r.coverage.complete } : {}),
        })),
      });
      return failed.length ? EXIT.violation : EXIT.pass;
    }

    const rows = saved.map(({ result: r }) => [
      r.property,
      r.mode,
      r.verdict === 'fail' ? 'FAIL' : r.verdict,
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
        `exhaustive: every interleaving of ${num(scenarios)} scenario${scenarios === 1 ? '' : 's'}: ${num(c.states)} distinct states, ${num(c.executions)} executions, ${num(c.transitions)} steps, longest ${c.maxDepthSeen} steps; reductions: ${c.reductions.join(', ') || 'none'}; ${c.complete ? 'complete' : 'INCOMPLETE (a bound or the time limit cut it)'}`,
      );
    }
    if (modes.includes('random')) out(`random: seed ${seed} (--seed ${seed} repeats this run)`);
    out(`time: ${dur(millis)}`);

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
      outLines(renderTrace(traceInput(s.exec, system, s.result.property), view, width()));
      out();
      for (const f of failed.filter((x) => x.result.property === s.result.property))
        out(`counterexample (${f.result.mode}): ${f.path}   replay: vfio-dmabuf-model replay ${f.path}`);
    }
    out();
    const violated = [...new Set(failed.map((f) => f.result.property))];
    if (violated.length === 0) {
      const na = results.filter((r) => r.verdict === 'n/a').length;
      out(
        `No violation: ${properties.length} propert${properties.length === 1 ? 'y' : 'ies'} checked${na ? ` (${na} results n/a)` : ''}, no error found.`,
      );
      return EXIT.pass;
    }
    out(`${violated.length} of ${properties.length} properties violated: ${violated.join(', ')}`);
    return EXIT.violation;
  },
};
