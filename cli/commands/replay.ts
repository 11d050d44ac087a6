/** `replay`: re-run a saved counterexample exactly and say whether its violation reproduced. */
import { COUNTEREXAMPLE_FORMAT, type CounterexampleFile, CounterexampleFormatError } from '../../checker/counterexample.ts';
import { callLabel } from '../../checker/execution.ts';
import { contextSwitches } from '../../checker/schedule.ts';
import { domainOf } from '../../model/domains.ts';
import { replayFile } from '../../properties/replay.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT, firstLine, isInputError, UsageError } from '../errors.ts';
import { commandLine } from '../html/markup.ts';
import { replayPage } from '../html/replay-page.ts';
import { checkHtmlPath, HTML_FLAG, writePage } from '../html/write.ts';
import { out, outLines, printJson, readInput, width } from '../io.ts';
import { renderMermaidThreads } from '../mermaid-threads.ts';
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
        `${file} is not a valid counterexample file: ${firstLine(e)} (expected "${COUNTEREXAMPLE_FORMAT}" version 1 JSON, as check saves)`,
      );
    if (isInputError(e)) throw new UsageError(`${file}: ${firstLine(e)}`);
    throw e;
  }
}

export const replay: Command = {
  spec: {
    name: 'replay',
    brief: 're-run a saved counterexample and say whether it still reproduces',
    summary:
      'Re-runs a saved counterexample step by step with the same executor and says whether the recorded violation reproduced (exit 1 if it did, 0 if it no longer does).',
    positionals: [{ name: 'FILE', help: 'a counterexample file written by check, lockorder or the matrix' }],
    flags: [
      {
        name: 'view',
        value: 'VIEW',
        choices: VIEWS,
        help: 'diff: changed fields per step (TLC -difftrace); full: whole stacks, footprints, events and object states; threads: a column per thread',
        default: 'diff',
      },
      {
        name: 'format',
        value: 'FORMAT',
        choices: ['text', 'json', 'mermaid'],
        help: 'text report, JSON, or a Mermaid sequence diagram',
        default: 'text',
      },
      {
        name: 'threads-only',
        help: 'with --format mermaid: one participant per thread and no object columns, narrow enough to paste into an issue',
      },
      HTML_FLAG,
    ],
    notes: [
      'The file names its design (a built-in name, or a module path and a digest of it), the scenario (threads and their operations by name), and the schedule (which thread runs each step). A digest of the trace says whether the replay is step for step the recorded one.',
      'exit status: 1 the violation reproduced, 0 it no longer does, 2 the file is missing, malformed, names an unknown design, property or operation, or has a setup the bounds of its model do not allow.',
    ],
    examples: [
      'vfio-dmabuf-model replay counterexamples/before-close-order/no-mmio-access-while-unavailable.json',
      'vfio-dmabuf-model replay FILE --view threads',
      'vfio-dmabuf-model replay FILE --format mermaid > trace.mmd',
      'vfio-dmabuf-model replay FILE --format mermaid --threads-only',
      'vfio-dmabuf-model replay FILE --html trace.html',
    ],
  },

  async run(args: Args): Promise<number> {
    const file = args.positionals[0] as string;
    const view = (args.get('view') ?? 'diff') as View;
    const format = args.get('format') ?? 'text';
    if (args.has('threads-only') && format !== 'mermaid') throw new UsageError('--threads-only goes with --format mermaid');
    const html = checkHtmlPath(args.get('html'));
    const text = readInput(file, 'counterexample file');
    const { cx, loaded, system, result } = await inFile(file, () => replayFile(text));
    const t = result.exec ? traceInput(result.exec, system, cx.property) : null;
    const code = result.reproduced ? EXIT.violation : EXIT.pass;
    const designChanged = cx.design.digest !== undefined && cx.design.digest !== loaded.digest;
    const verdict = result.reproduced
      ? `REPRODUCED: ${cx.violation.kind} at step ${result.exec?.steps.length}${result.sameTrace ? ', the same trace as recorded' : ', by a different trace than recorded (the model changed)'}`
      : `NO LONGER REPRODUCES: ${result.reason}`;
    if (html)
      writePage(
        html,
        replayPage({
          file,
          cx,
          reproduced: result.reproduced,
          verdict,
          designChanged,
          scenario: scenarioText(cx),
          schedule: scheduleText(cx),
          trace: t,
          command: commandLine(),
        }),
      );

    if (format === 'json') {
      printJson({
        file,
        variant: cx.design.name,
        ...(cx.design.path ? { module: cx.design.path } : {}),
        designChanged,
        property: cx.property,
        recorded: cx.violation,
        reproduced: result.reproduced,
        sameTrace: result.sameTrace,
        reason: result.reason,
        ...(t ? (traceJson(t) as object) : { threads: cx.scenario.threads.map((x) => x.name), steps: [], violation: null }),
      });
      return code;
    }
    if (format === 'mermaid') {
      out(`%% ${cx.design.name} / ${cx.property}: ${verdict}`);
      if (t) outLines(args.has('threads-only') ? renderMermaidThreads(t) : renderMermaid(t));
      return code;
    }
    out(`replay ${file}`);
    out(
      `design: ${cx.design.name}${cx.design.path ? ` (module ${cx.design.path})` : ''}${designChanged ? ' (CHANGED since the file was saved: its digest differs)' : ''}`,
    );
    out(`property: ${cx.property}; recorded violation: ${cx.violation.kind}: ${cx.violation.message}`);
    const defaults = domainOf(loaded.design.domain).defaultBounds;
    const found = Object.entries(cx.found)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => {
        if (k === 'bounds' && v && typeof v === 'object' && !Array.isArray(v)) {
          const d = Object.entries(v).filter(([b, n]) => defaults[b] !== n);
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
    if (t) outLines(renderTrace(t, view, width()));
    out();
    if (result.exec && !result.reproduced && result.exec.path.length) {
      const n = contextSwitches(result.exec.path);
      out(`replayed ${result.exec.path.length} steps, ${n} context switch${n === 1 ? '' : 'es'}`);
    }
    out(verdict);
    return code;
  },
};
