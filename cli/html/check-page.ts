/** The page of `check --html`: the verdict table with its bound and completeness, and each violated property's shortest counterexample as thread lanes. */
import type { Mode, PropertyResult } from '../../properties/check.ts';
import { type CoverageReport, changeText } from '../../properties/coverage-report.ts';
import { dur, num } from '../io.ts';
import { describeBound, type Target } from '../setup.ts';
import type { TraceInput } from '../trace.ts';
import { el, esc, table, textEl } from './markup.ts';
import { commandBlock, completeCell, renderPage, type Section, verdictCell } from './page.ts';
import { traceSection } from './trace-section.ts';

export interface CheckPageResult {
  readonly result: PropertyResult;
  /** the saved counterexample file */
  readonly path: string | null;
  readonly trace: TraceInput | null;
}

export interface CheckPage {
  readonly target: Target;
  readonly results: readonly CheckPageResult[];
  readonly modes: readonly Mode[];
  /** e.g. "random (5,000 runs per property, seed 1, mixed schedule)" */
  readonly modeText: string;
  readonly scenarios: number;
  readonly millis: number;
  readonly command: string;
  /** the width the lanes share, in characters (the threads view's --width) */
  readonly width: number;
  /** the design's functions as the searches ran them (null when no search counted them, e.g. under --jobs) */
  readonly coverage: CoverageReport | null;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');

function verdictTable(p: CheckPage): string {
  const rows = p.results.map(({ result: r }) => [
    r.property,
    r.mode,
    verdictCell(r.verdict),
    r.mode === 'exhaustive' ? completeCell(r.coverage?.complete) : { html: esc(`${num(r.executions)} random runs`), cls: 'na' },
    { html: num(r.executions), cls: 'num' },
    { html: r.mode === 'exhaustive' ? num(r.states) : '-', cls: 'num' },
    r.verdict === 'fail' && r.counterexample
      ? {
          html: el(
            'a',
            { href: `#cx-${slug(r.property)}` },
            esc(
              `${r.counterexample.violation.kind} in ${r.counterexample.path.length} steps${r.mode === 'random' && r.runsToFailure ? ` (run ${num(r.runsToFailure)}, shrunk from ${r.shrunkLength} steps)` : ''}`,
            ),
          ),
        }
      : (r.note ?? ''),
  ]);
  return table(['property', 'mode', 'verdict', 'search', 'executions', 'states', 'counterexample'], rows, 'verdicts');
}

/** The coverage table: what the design replaces and adds first; any of it that never ran leaves the check unexercised. */
function coverageSection(c: CoverageReport): string {
  const rows = c.functions.map((f) => [
    f.name,
    changeText(f),
    { html: num(f.calls), cls: 'num' },
    { html: num(f.executions), cls: 'num' },
    { html: num(f.raced), cls: 'num' },
    f.flag === null ? '' : { html: esc(f.flag), cls: f.flag === 'never ran' && changeText(f) ? 'fail' : 'na' },
  ]);
  return [
    textEl(
      'p',
      { class: c.unexercised.length ? 'fail-line' : '' },
      c.unexercised.length
        ? `Unexercised: the design changes ${c.unexercised.join(', ')}, which never ran in the ${num(c.executions)} ${c.mode} executions counted: the change was not checked at this bound.`
        : `Counted over ${num(c.executions)} ${c.mode} executions. "raced": executions in which another thread ran between the function's first and last step.`,
    ),
    table(['function', 'design', 'calls', 'executions', 'raced', ''], rows, 'coverage'),
  ].join('\n');
}

export function checkPage(p: CheckPage): string {
  const { design } = p.target;
  const failed = p.results.filter((r) => r.result.verdict === 'fail');
  const violated = [...new Set(failed.map((f) => f.result.property))];
  const ex = p.results.find((r) => r.result.mode === 'exhaustive' && r.result.coverage)?.result.coverage;
  const summary = [
    textEl(
      'p',
      { class: violated.length ? 'fail-line' : 'pass' },
      violated.length
        ? `${violated.length} of ${new Set(p.results.map((r) => r.result.property)).size} properties violated: ${violated.join(', ')}`
        : 'No violation: every property passes or does not apply.',
    ),
    verdictTable(p),
    ex
      ? textEl(
          'p',
          {},
          `Exhaustive: every interleaving of ${num(p.scenarios)} scenario${p.scenarios === 1 ? '' : 's'} within the bound (${describeBound(p.target)}): ${num(ex.states)} distinct states, ${num(ex.executions)} executions, longest ${ex.maxDepthSeen} steps; reductions: ${ex.reductions.join(', ') || 'none'}; ${ex.complete ? 'complete' : 'INCOMPLETE (a bound or the time limit cut it)'}.`,
        )
      : '',
    textEl('p', {}, `Modes: ${p.modeText}. Time: ${dur(p.millis)}.`),
  ].join('\n');
  const sections: Section[] = [{ id: 'verdicts', title: 'Verdicts', html: summary }];
  if (p.coverage)
    sections.push({
      id: 'coverage',
      title: `Coverage by function${p.coverage.unexercised.length ? ': UNEXERCISED' : ''}`,
      ...(p.coverage.unexercised.length ? { cls: 'bad' } : {}),
      html: coverageSection(p.coverage),
    });
  for (const property of violated) {
    const mine = failed.filter((f) => f.result.property === property);
    const shortest = [...mine].filter((f) => f.trace).sort((a, b) => (a.trace?.steps.length ?? 0) - (b.trace?.steps.length ?? 0))[0];
    if (!shortest?.trace) continue;
    const files = mine.filter((f) => f.path);
    sections.push({
      id: `cx-${slug(property)}`,
      title: `${property}: violated (${shortest.result.mode}, ${shortest.trace.steps.length} steps)`,
      cls: 'bad',
      html: [
        traceSection({ prefix: `cx-${slug(property)}`, trace: shortest.trace, width: p.width }),
        textEl('h3', {}, 'Replay'),
        ...files.map((f) =>
          el(
            'div',
            {},
            textEl('p', {}, `counterexample (${f.result.mode}): ${f.path}`),
            commandBlock(`vfio-dmabuf-model replay ${f.path}`),
          ),
        ),
      ].join('\n'),
    });
  }
  return renderPage({
    title: `check ${design.name}: ${violated.length ? `${violated.length} violated` : 'no violation'}`,
    lead: [design.summary, `source: ${design.source}`, `bound: ${describeBound(p.target)}`],
    command: p.command,
    sections,
  });
}
