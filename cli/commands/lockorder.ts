/** `lockorder`: the lock dependency graph over the explored space, its cycles, and a declared order checked against it. */
import type { Execution } from '../../checker/execution.ts';
import { record } from '../../properties/counterexample.ts';
import { lockOrder } from '../../properties/dmabuf/lock-order.ts';
import { exploreLockGraph, type GraphRun, lockdepWarns, type OrderCheck } from '../../properties/lock-graph.ts';
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
import { exitOf } from '../errors.ts';
import { lockGraphSvg } from '../html/lockgraph-svg.ts';
import { lockorderPage } from '../html/lockorder-page.ts';
import { commandLine } from '../html/markup.ts';
import { checkHtmlPath, HTML_FLAG, pageOutcome, writePage } from '../html/write.ts';
import { checkOutDir, dur, note, num, out, outLines, printJson, probeOutDir, readInput, shown, width } from '../io.ts';
import { searchLimits } from '../limits.ts';
import {
  checkOrder,
  classTypes,
  edgeLines,
  recursionTitle,
  recursionWitness,
  renderC,
  renderDot,
  renderMermaidGraph,
  scenarioLine,
  warningLine,
} from '../lockgraph.ts';
import { parseOrderFile } from '../order-file.ts';
import { ProgressLine } from '../progress.ts';
import { type SaveOutcome, savedCounterexample, trySaveCounterexample } from '../record.ts';
import { formatOrJson, JSON_FORMAT } from '../report-json.ts';
import { describeBound, resolveTarget, type Target } from '../setup.ts';
import { renderTrace, traceInput } from '../trace.ts';

const FORMATS = ['text', 'dot', 'svg', 'mermaid', 'json', 'c'] as const;

interface DeadlockReport {
  /** the deadlock itself, recorded without lockdep (so it runs until no thread can) */
  readonly exec: Execution;
  /** the saved counterexample (lock-order), or null when not saved */
  readonly file: string | null;
  /** why it could not be saved (the disk is full, ...), or null */
  readonly notSaved: string | null;
  /** the saved file's own violation, when lockdep reports before the deadlock */
  readonly savedKind: string;
  readonly savedSteps: number;
}

function deadlockReport(target: Target, run: GraphRun, save: string | null): DeadlockReport | null {
  const d = run.deadlock;
  if (!d) return null;
  const system = target.system;
  const exec = record(system, d.scenario, d.path, []);
  const property = target.catalog.find((p) => p.name === lockOrder.name) ?? lockOrder;
  // the file is replayed with lock-order's monitors: lockdep may report the coming deadlock earlier
  const withLockdep = record(system, d.scenario, d.path, property.monitors());
  const kind = withLockdep.violation?.kind ?? 'deadlock';
  let saved: SaveOutcome | { path: null; notSaved: null } = { path: null, notSaved: null };
  if (save && withLockdep.violation && property.kinds.includes(withLockdep.violation.kind)) {
    const cx = savedCounterexample(
      target.loaded,
      property.name,
      { mode: 'exhaustive', search: 'lockorder', bounds: target.bounds, focus: target.focus },
      withLockdep,
    );
    saved = trySaveCounterexample(save, cx);
  }
  return { exec, file: saved.path, notSaved: saved.notSaved, savedKind: kind, savedSteps: withLockdep.steps.length };
}

export const lockorder: Command = {
  spec: {
    name: 'lockorder',
    brief: 'the lock dependency graph, its cycles, a declared order, a lockdep priming function',
    summary:
      "Builds the lock dependency graph over the explored space (every interleaving of every scenario within the bound) with the shortest witness of each edge; reports cycles in lockdep's format beside a real interleaving that deadlocks where the search reaches one, a class taken while already held (possible recursive locking) and lockdep's other warnings, so it fails exactly where check's lock-order property does; checks a declared order.",
    positionals: [],
    flags: [
      VARIANT_FLAG,
      {
        name: 'design',
        value: 'FILE',
        help: 'a declared lock order (docs/lockorder.md): prints the observed edges that break it and the declared edges never exercised',
      },
      {
        name: 'format',
        value: 'FORMAT',
        choices: FORMATS,
        help: 'text report, Graphviz DOT, SVG (laid out in-process by Graphviz in WebAssembly), Mermaid flowchart, JSON, or a C lockdep priming function like dma_resv_lockdep()',
        default: 'text',
      },
      { name: 'json', help: 'the same as --format json (docs/schemas/lockorder.schema.json)' },
      BOUND_FLAG,
      FOCUS_FLAG,
      TIME_LIMIT_FLAG,
      MAX_MEMORY_FLAG,
      STEP_LIMIT_FLAG,
      {
        name: 'out',
        value: 'DIR',
        help: 'where a deadlock counterexample is saved (text and json formats; never overwritten)',
        default: 'counterexamples/runs',
      },
      WIDTH_FLAG,
      HTML_FLAG,
    ],
    notes: [
      'exit status: 0 no recursion, cycle, other lockdep warning or deadlock and (with --design) no broken declared edge, over the whole bounded space; 1 any of them; 2 usage or input error; 4 incomplete: none found, but --time-limit (or a bound of the search) cut the search, so nothing is proved.',
      'The json format has format (1), verdict (pass, fail or incomplete), complete, searched {scenarios, scenariosTotal, states}, edges, recursions, warnings, cycles and deadlock.',
      'Edges are typed as in lockdep (E/S: the held lock is exclusive/shared; R/N: the new one is a recursive reader or not); only strong cycles are deadlocks. Waits for completions and fences count as acquisitions of a pseudo-lock class, as __dma_fence_might_wait() does.',
    ],
    examples: [
      'vfio-dmabuf-model lockorder',
      'vfio-dmabuf-model lockorder --format svg > lockgraph.svg',
      'vfio-dmabuf-model lockorder --variant examples/variants/resv-before-memory-lock.ts --html lockorder.html',
      'vfio-dmabuf-model lockorder --design examples/lockorder/vfio-dmabuf.order',
      'vfio-dmabuf-model lockorder --format c',
    ],
  },

  async run(args: Args): Promise<number> {
    const target = await resolveTarget(args.get('variant'), args.raw('bound'), args.list('focus'));
    const format = formatOrJson(args) as (typeof FORMATS)[number];
    const designFile = args.get('design');
    const order = designFile === undefined ? null : parseOrderFile(designFile, readInput(designFile, 'lock order file'));
    // only the text and json reports save a deadlock, so only they need the directory
    const saves = format === 'text' || format === 'json';
    const dir = (saves ? probeOutDir : checkOutDir)(args.get('out') ?? OUT_FLAG.default);
    const html = checkHtmlPath(args.get('html'));
    const cols = width(args);

    const progress = new ProgressLine();
    const run = exploreLockGraph(target, {
      ...searchLimits(args),
      onProgress: (d, t, c, ms) =>
        progress.update(
          `lockorder: scenario ${num(d)}/${num(t)} · ${num(c.executions)} executions · ${num(c.states)} distinct states · ${num(ms > 0 ? Math.round((c.transitions * 1000) / ms) : 0)} steps/s${d < t && d > 0 ? ` · ~${dur(Math.round((ms * (t - d)) / d))} left` : ''}`,
        ),
    });
    progress.clear();
    const check: OrderCheck | null = order ? checkOrder(run, order) : null;
    const bad = lockdepWarns(run) || (check !== null && check.broken.length > 0);
    const verdict = bad ? 'fail' : run.coverage.complete ? 'pass' : 'incomplete';
    const code = exitOf(verdict);
    const design = target.design.name;
    const explored = `${describeBound(target)}; ${num(run.scenarios)} scenario${run.scenarios === 1 ? '' : 's'}, ${num(run.coverage.states)} distinct states, ${num(run.coverage.executions)} executions${run.coverage.complete ? '' : ', INCOMPLETE'}`;
    const title = `lock dependency graph of ${design} (${describeBound(target)})`;
    const dl = saves || html ? deadlockReport(target, run, saves ? dir : null) : null;
    let pageNotSaved: string | null = null;
    if (html) {
      const system = target.system;
      pageNotSaved = writePage(
        html,
        await lockorderPage({
          design,
          width: cols,
          summary: target.design.summary,
          bound: describeBound(target),
          run,
          check,
          deadlock: dl && {
            trace: traceInput(dl.exec, system, lockOrder.name),
            file: dl.file,
            note:
              dl.savedKind !== 'deadlock' ? ` (lockdep reports ${dl.savedKind} at step ${dl.savedSteps}, before the threads block)` : '',
          },
          witness: (e) => traceInput(record(system, e.witness.scenario, e.witness.path, []), system),
          command: commandLine(),
        }),
      );
    }

    if (format === 'dot') {
      outLines(renderDot(run, title, check));
      return pageOutcome(code, pageNotSaved, 'stderr');
    }
    if (format === 'svg') {
      out(await lockGraphSvg(run, title, check));
      return pageOutcome(code, pageNotSaved, 'stderr');
    }
    if (format === 'mermaid') {
      outLines(renderMermaidGraph(run, check));
      return pageOutcome(code, pageNotSaved, 'stderr');
    }
    if (format === 'c') {
      const cmd = [
        'vfio-dmabuf-model lockorder',
        ...(design !== 'upstream-7.1' ? [`--variant ${design}`] : []),
        ...args.raw('bound').map((b) => `--bound ${b}`),
        '--format c',
      ].join(' ');
      outLines(renderC(run, design, cmd, explored));
      return pageOutcome(code, pageNotSaved, 'stderr');
    }

    const types = classTypes(run.edges);
    if (format === 'json') {
      if (dl?.notSaved) note(`not saved: ${dl.notSaved}`);
      printJson({
        format: JSON_FORMAT,
        verdict,
        variant: design,
        bounds: target.bounds,
        focus: target.focus,
        scenarios: run.scenarios,
        states: run.coverage.states,
        executions: run.coverage.executions,
        complete: run.coverage.complete,
        searched: { scenarios: run.scenarios, scenariosTotal: run.scenariosTotal, states: run.coverage.states },
        classes: [...types].map(([name, t]) => ({ name, type: t.type, kinds: [...t.kinds] })),
        edges: run.edges.map((e) => ({
          from: e.from,
          to: e.to,
          types: e.types,
          witness: {
            thread: e.witness.threadName,
            mode: e.witness.mode,
            at: e.witness.at,
            function: e.witness.fn,
            stack: e.witness.stack,
            steps: e.witness.path.length,
            scenario: e.witness.scenario,
            path: e.witness.path,
          },
        })),
        recursions: run.recursions.map((r) => ({
          class: r.class,
          thread: r.witness.threadName,
          at: r.witness.at,
          function: r.witness.fn,
          stack: r.witness.stack,
          steps: r.witness.path.length,
          scenario: r.witness.scenario,
          path: r.witness.path,
          report: run.graph.recursionReport(r),
        })),
        warnings: run.warnings.map((w) => ({
          kind: w.violation.kind,
          message: w.violation.message,
          steps: w.path.length,
          scenario: w.scenario,
          path: w.path,
        })),
        cycles: run.cycles.map((c) => ({
          classes: c.classes,
          kind: c.kind,
          types: c.hops.map((h) => h.type),
          report: run.graph.report(c),
        })),
        deadlock: dl
          ? {
              counterexample: dl.file,
              ...(dl.notSaved ? { notSaved: dl.notSaved } : {}),
              steps: dl.exec.steps.length,
              message: dl.exec.violation?.message ?? '',
              report: dl.exec.violation?.report ?? null,
              scenario: dl.exec.scenario,
            }
          : null,
        ...(check
          ? {
              declared: {
                file: check.order.file,
                broken: check.broken.map((b) => ({ from: b.edge.from, to: b.edge.to, why: b.why })),
                unexercised: check.unexercised,
                undeclared: check.undeclared,
              },
            }
          : {}),
      });
      return pageOutcome(code, pageNotSaved, 'stderr');
    }

    out(`vfio-dmabuf-model lockorder ${design}: ${target.design.summary}`);
    out(`explored: ${explored}, ${dur(run.millis)}`);
    out();
    out(
      `Lock dependency graph: ${run.edges.length} edge${run.edges.length === 1 ? '' : 's'} between ${types.size} classes (A -> B: B taken or waited for while A is held), shortest witness each:`,
    );
    for (const e of run.edges) {
      out();
      outLines(edgeLines(e));
    }
    out();
    run.recursions.forEach((r, i) => {
      out(recursionTitle(r, i, run.recursions.length));
      out();
      outLines(run.graph.recursionReport(r).split('\n'));
      out();
      out(recursionWitness(r));
      out();
    });
    for (const w of run.warnings) {
      out(warningLine(w));
      out();
    }
    if (run.cycles.length === 0)
      out(
        run.recursions.length + run.warnings.length === 0
          ? 'Cycles: none. lockdep would not warn about any order seen here.'
          : 'Cycles: none, but lockdep would warn: see above.',
      );
    run.cycles.forEach((c, i) => {
      out(`Cycle ${i + 1} of ${run.cycles.length} (${c.kind}): ${[...c.classes, c.classes[0]].join(' -> ')}`);
      out();
      outLines(run.graph.report(c).split('\n'));
      out();
      out('Its edges were first made by:');
      for (const h of c.hops)
        out(`  ${h.from} -> ${h.to}: ${h.witness.threadName} at step ${h.witness.path.length} of {${scenarioLine(h.witness.scenario)}}`);
      out();
    });
    if (dl) {
      out(
        run.cycles.length
          ? `A real interleaving that deadlocks (the shortest the search reached, ${dl.exec.steps.length} steps):`
          : `Deadlock reached (${dl.exec.steps.length} steps) although the lock graph has no cycle: a wait that nothing will ever satisfy:`,
      );
      out();
      outLines(renderTrace(traceInput(dl.exec, target.system, lockOrder.name), 'threads', cols));
      out();
      if (dl.notSaved) out(`not saved: the deadlock counterexample, ${dl.notSaved}`);
      else if (dl.file)
        out(
          `counterexample: ${dl.file}${dl.savedKind !== 'deadlock' ? ` (lockdep reports ${dl.savedKind} at step ${dl.savedSteps}, before the threads block)` : ''}   replay: vfio-dmabuf-model replay ${dl.file}${target.loaded.path ? ` --variant ${shown(target.loaded.path)}` : ''}`,
        );
    } else if (run.cycles.length)
      out(
        'No interleaving within the bound deadlocks: the cycle needs more threads or operations than the bound allows, but lockdep would warn.',
      );
    else out('Deadlocks: none reached within the bound.');
    if (check) {
      out();
      out(`Declared order ${check.order.file}: ${check.order.classes.length} classes, ${check.order.edges.length} allowed edges.`);
      if (check.broken.length === 0) out('  Every observed edge keeps the declared order.');
      else {
        out(
          `  ${check.broken.length} observed edge${check.broken.length === 1 ? '' : 's'} break${check.broken.length === 1 ? 's' : ''} it:`,
        );
        for (const b of check.broken) {
          out(`  BROKEN ${b.edge.from} -> ${b.edge.to}: ${b.why}`);
          out(`         made at ${b.edge.witness.at} by ${b.edge.witness.threadName} in ${b.edge.witness.stack.join(' > ')}`);
        }
      }
      if (check.unexercised.length === 0) out('  Every declared edge was exercised.');
      else for (const d of check.unexercised) out(`  NEVER EXERCISED ${d.from} -> ${d.to} (${check.order.file}:${d.line})`);
    }
    if (verdict === 'incomplete') {
      out();
      out(
        `INCOMPLETE: the time limit or a bound cut the search after ${num(run.scenarios)} of ${num(run.scenariosTotal)} scenarios: nothing found so far, but a cut search proves nothing.`,
      );
    }
    return pageOutcome(code, pageNotSaved, 'stdout');
  },
};
