/** The page of `replay --html`: whether the saved violation reproduced, what the file records, and the replayed trace as thread lanes. */
import type { CounterexampleFile } from '../../checker/counterexample.ts';
import { fmt, type TraceInput } from '../trace.ts';
import { esc, facts } from './markup.ts';
import { commandBlock, renderPage, type Section } from './page.ts';
import { traceSection } from './trace-section.ts';

export interface ReplayPage {
  readonly file: string;
  readonly cx: CounterexampleFile;
  readonly reproduced: boolean;
  /** "REPRODUCED: ..." or "NO LONGER REPRODUCES: ...", as the text report ends */
  readonly verdict: string;
  readonly designChanged: boolean;
  readonly scenario: string;
  readonly schedule: string;
  readonly trace: TraceInput | null;
  readonly command: string;
  /** the width the lanes share, in characters (the threads view's --width) */
  readonly width: number;
}

export function replayPage(p: ReplayPage): string {
  const { cx } = p;
  const found = Object.entries(cx.found)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(' ');
  const known = facts([
    ['verdict', { html: esc(p.verdict), cls: p.reproduced ? 'fail' : 'pass' }],
    [
      'design',
      `${cx.design.name}${cx.design.path ? ` (module ${cx.design.path})` : ''}${p.designChanged ? ' (CHANGED since the file was saved: its digest differs)' : ''}`,
    ],
    ['property', cx.property],
    ['recorded violation', `${cx.violation.kind}: ${cx.violation.message}`],
    ['found by', found],
    ['scenario', p.scenario],
    [
      'schedule',
      `${p.schedule} (${cx.trace.steps} steps, ${cx.trace.contextSwitches} context switch${cx.trace.contextSwitches === 1 ? '' : 'es'})`,
    ],
  ]);
  const sections: Section[] = [
    { id: 'verdict', title: 'Verdict', html: [known, commandBlock(`vfio-dmabuf-model replay ${p.file}`)].join('\n') },
  ];
  if (p.trace)
    sections.push({
      id: 'trace',
      title: p.reproduced
        ? `${cx.property}: violated at step ${p.trace.steps.length}`
        : `the replayed trace (${p.trace.steps.length} steps)`,
      ...(p.reproduced ? { cls: 'bad' } : {}),
      html: traceSection({ prefix: 'trace', trace: p.trace, width: p.width }),
    });
  return renderPage({
    title: `replay ${p.file}: ${p.reproduced ? 'REPRODUCED' : 'NO LONGER REPRODUCES'}`,
    lead: [`${cx.design.name} / ${cx.property}`, p.verdict],
    command: p.command,
    sections,
  });
}
