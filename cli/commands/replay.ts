/** `replay`: re-run a saved counterexample exactly and say whether its violation reproduced. */
import {
  COUNTEREXAMPLE_FORMAT,
  COUNTEREXAMPLE_VERSIONS,
  type CounterexampleFile,
  CounterexampleFormatError,
} from '../../checker/counterexample.ts';
import { callLabel } from '../../checker/execution.ts';
import { contextSwitches } from '../../checker/schedule.ts';
import { designDomain } from '../../model/design-domain.ts';
import { foundBounds } from '../../properties/counterexample.ts';
import { type Replay, replayFile } from '../../properties/replay.ts';
import type { Args } from '../args.ts';
import { type Command, STEP_LIMIT_FLAG, WIDTH_FLAG } from '../command.ts';
import { EXIT, firstLine, isInputError, UsageError } from '../errors.ts';
import { commandLine } from '../html/markup.ts';
import { replayPage } from '../html/replay-page.ts';
import { checkHtmlPath, HTML_FLAG, pageOutcome, writePage } from '../html/write.ts';
import { out, outLines, printJson, readInput, width } from '../io.ts';
import { stepLimitMs } from '../limits.ts';
import { renderMermaidThreads } from '../mermaid-threads.ts';
import { formatOrJson, JSON_FORMAT } from '../report-json.ts';
import { announceLimits } from '../search-host.ts';
import { renderMermaid, renderTrace, traceInput, traceJson, VIEWS, type View } from '../trace.ts';

export function scenarioText(cx: CounterexampleFile): string {
  return cx.scenario.threads.map((t) => `${t.name}: ${t.ops.map((o) => callLabel(o.op, o.args)).join(', ')}`).join('; ');
}

export function scheduleText(cx: CounterexampleFile): string {
  return cx.schedule.map(([t, n]) => `${t}×${n}`).join(' ');
}

/** Runs `f`, naming `file` in any input error it throws (a bug stays a bug). */
async function inFile<T>(file: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof CounterexampleFormatError)
      throw new UsageError(
        `${file} is not a valid counterexample file: ${firstLine(e)} (expected "${COUNTEREXAMPLE_FORMAT}" version ${COUNTEREXAMPLE_VERSIONS.join(' or ')} JSON, as check saves)`,
      );
    if (isInputError(e)) throw new UsageError(`${file}: ${firstLine(e)}`);
    throw e;
  }
}

/** The exit status of each outcome: a violation (the recorded one or another) is 1, a run without one 0. */
export const REPLAY_EXIT = {
  reproduced: EXIT.violation,
  different: EXIT.violation,
  clean: EXIT.pass,
  'no-longer-fits': EXIT.pass,
} as const;

/** The closing line: what happened. */
export function verdictLine(r: Replay): string {
  const { cx, result } = r;
  const at = result.exec.path.length;
  switch (r.outcome) {
    case 'reproduced':
      return `REPRODUCED: ${cx.violation.kind} at step ${at}${result.sameTrace ? ', the same trace as recorded' : `, by a different trace than recorded (${r.traceChange})`}`;
    case 'different': {
      const v = result.violation;
      return `DIFFERENT VIOLATION: ${v?.kind} at step ${at} instead of the recorded ${cx.violation.kind}: ${(v?.message ?? '').split('\n')[0]}`;
    }
    default:
      return `NO LONGER REPRODUCES: ${result.reason}`;
  }
}

/** What the report says about the design replayed against the one the file was saved with. */
function designLine(r: Replay): string {
  const { cx, design } = r;
  const notes: string[] = [];
  if (design.given && design.name !== cx.design.name) notes.push(`given with --variant; the file was saved with ${cx.design.name}`);
  if (design.module !== null)
    notes.push(
      `module ${design.module}${design.moduleMatches === false ? ': NOT the module the file was saved with, its content digest differs' : design.moduleMatches ? ', the one the file was saved with' : ''}`,
    );
  if (design.changed && design.name === cx.design.name) notes.push('CHANGED since the file was saved: its digest differs');
  return `design: ${design.name}${notes.map((n) => ` (${n})`).join('')}`;
}

export const replay: Command = {
  spec: {
    name: 'replay',
    brief: 're-run a saved counterexample and say whether it still reproduces',
    summary:
      'Re-runs a saved counterexample step by step with the same executor and says what happened: the recorded violation (exit 1), a different one (exit 1), or none, because the run ends clean or its schedule no longer fits the design (exit 0).',
    positionals: [{ name: 'FILE', help: 'a counterexample file written by check, lockorder or the matrix' }],
    flags: [
      {
        name: 'variant',
        value: 'NAME|PATH',
        help: "replay on this design: a built-in name, or the variant module the file was saved with (needed for such a file: replay never loads a module a file names; its text is checked against the file's sha256)",
      },
      {
        name: 'view',
        value: 'VIEW',
        choices: VIEWS,
        help: 'diff: changed fields per step (TLC -difftrace); full: whole stacks, footprints, events and object states; threads: a column per thread',
        default: 'diff',
      },
      WIDTH_FLAG,
      {
        name: 'format',
        value: 'FORMAT',
        choices: ['text', 'json', 'mermaid'],
        help: 'text report, JSON, or a Mermaid sequence diagram',
        default: 'text',
      },
      { name: 'json', help: 'the same as --format json (docs/schemas/replay.schema.json)' },
      {
        name: 'threads-only',
        help: 'with --format mermaid: one participant per thread and no object columns, narrow enough to paste into an issue',
      },
      STEP_LIMIT_FLAG,
      HTML_FLAG,
    ],
    notes: [
      'The file names its design (a built-in name, or a module path and the sha256 of its text), the scenario (threads and their operations by name), and the schedule (which thread runs each step). Before anything runs, its threads and operation arguments are checked against what the model declares (`list ops`). A digest of the trace says whether the replay is step for step the recorded one; in a version-2 file, a digest of the design (its functions, operations, lifecycles and bounds) and one of the file itself say whether the model changed or the file was edited since it was saved.',
      'exit status: 1 the recorded violation reproduced, or a different violation happened (named); 0 the run ended without a violation, or its schedule no longer fits the design (as when the design was fixed); 2 the file is missing, malformed, names an unknown design, property, thread or operation, an argument out of range, a setup the bounds of its model do not allow, or a module not given with --variant, or the design is broken (its code throws during the replay, or a step of it does not return within --step-limit).',
    ],
    examples: [
      'vfio-dmabuf-model replay counterexamples/before-close-order/no-mmio-access-while-unavailable.json',
      'vfio-dmabuf-model replay counterexamples/before-close-order/no-mmio-access-while-unavailable.json --variant upstream-7.1',
      'vfio-dmabuf-model replay FILE --variant ./my-variant.ts',
      'vfio-dmabuf-model replay FILE --view threads',
      'vfio-dmabuf-model replay FILE --format mermaid > trace.mmd',
      'vfio-dmabuf-model replay FILE --format mermaid --threads-only',
      'vfio-dmabuf-model replay FILE --html trace.html',
    ],
  },

  async run(args: Args): Promise<number> {
    const file = args.positionals[0] as string;
    const view = (args.get('view') ?? 'diff') as View;
    const cols = width(args);
    const format = formatOrJson(args);
    if (args.has('threads-only') && format !== 'mermaid') throw new UsageError('--threads-only goes with --format mermaid');
    const html = checkHtmlPath(args.get('html'));
    // the replay runs design code: the watcher ends a step that never returns (supervisor.ts)
    announceLimits(stepLimitMs(args), undefined);
    const text = readInput(file, 'counterexample file');
    const variant = args.get('variant');
    const r = await inFile(file, () => replayFile(text, variant === undefined ? {} : { variant }));
    const { cx, loaded, system, result } = r;
    const t = traceInput(result.exec, system, cx.property);
    const code = REPLAY_EXIT[r.outcome];
    const verdict = verdictLine(r);
    const pageNotSaved = html
      ? writePage(
          html,
          replayPage({
            file,
            width: cols,
            cx,
            reproduced: result.reproduced,
            verdict,
            designChanged: r.design.changed === true,
            scenario: scenarioText(cx),
            schedule: scheduleText(cx),
            trace: t,
            command: commandLine(),
          }),
        )
      : null;

    if (format === 'json') {
      printJson({
        format: JSON_FORMAT,
        file,
        variant: r.design.name,
        ...(r.design.module !== null ? { module: r.design.module } : {}),
        outcome: r.outcome,
        design: r.design,
        designChanged: r.design.changed === true,
        edited: r.edited,
        property: cx.property,
        recorded: cx.violation,
        reproduced: result.reproduced,
        sameTrace: result.sameTrace,
        traceChange: r.traceChange,
        reason: result.reason,
        ...(traceJson(t) as object),
      });
      return pageOutcome(code, pageNotSaved, 'stderr');
    }
    if (format === 'mermaid') {
      out(`%% ${r.design.name} / ${cx.property}: ${verdict}`);
      outLines(args.has('threads-only') ? renderMermaidThreads(t) : renderMermaid(t));
      return pageOutcome(code, pageNotSaved, 'stderr');
    }
    out(`replay ${file}`);
    out(designLine(r));
    if (r.edited) out('file: EDITED since it was saved: its content digest differs');
    out(`property: ${cx.property}; recorded violation: ${cx.violation.kind}: ${cx.violation.message}`);
    const defaults = designDomain(loaded.design).defaultBounds;
    const found = Object.entries(cx.found)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => {
        const bounds = k === 'bounds' ? foundBounds(cx) : null;
        if (bounds) {
          const d = Object.entries(bounds).filter(([b, n]) => defaults[b] !== n);
          return `bounds=${d.length ? d.map(([b, n]) => `${b}=${String(n)}`).join(',') : 'default'}`;
        }
        return `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
      });
    out(`found by: ${found.join(' ')}`);
    out(`scenario: ${scenarioText(cx)}`);
    out(
      `schedule: ${scheduleText(cx)} (${cx.trace.steps} steps, ${cx.trace.contextSwitches} context switch${cx.trace.contextSwitches === 1 ? '' : 'es'})`,
    );
    out();
    outLines(renderTrace(t, view, cols));
    out();
    if (!result.reproduced && result.exec.path.length) {
      const n = contextSwitches(result.exec.path);
      out(`replayed ${result.exec.path.length} steps, ${n} context switch${n === 1 ? '' : 'es'}`);
    }
    out(verdict);
    return pageOutcome(code, pageNotSaved, 'stdout');
  },
};
