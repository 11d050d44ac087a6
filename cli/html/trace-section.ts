/** One counterexample on the page: what it violates, the thread lanes, and a step table whose rows expand to the fields changed. */
import { callerOf } from '../../kernel/primitive.ts';
import { fmt, returnText, type TraceInput, violationLines } from '../trace.ts';
import { lanesSvg, shownChanges } from './lanes.ts';
import { el, esc, textEl } from './markup.ts';

export interface TraceSection {
  readonly prefix: string;
  readonly trace: TraceInput;
  /** characters the lanes share, by the threads view's --width rules */
  readonly width: number;
  /** the step to mark (1-based), when it is not the violation at the end (a lock edge's witness) */
  readonly mark?: number;
}

function stepTable(t: TraceInput, prefix: string, mark: number): string {
  const rows = t.steps.map((s, i) => {
    const changes = shownChanges(t, i);
    const all = s.changes.filter((c) => !c.obj.startsWith('task:'));
    const detail = [
      ...changes.map((c) => el('li', {}, textEl('code', {}, c))),
      ...(all.length > changes.length
        ? [el('li', { class: 'quiet' }, esc(`${all.length - changes.length} lock and task fields (shown as "held")`))]
        : []),
      ...s.reads.map((r) => el('li', { class: 'quiet' }, 'read ', textEl('code', {}, r))),
      ...s.notes.map((n) => el('li', { class: 'quiet' }, esc(`note: ${n}`))),
    ];
    const changed = detail.length
      ? el(
          'details',
          {},
          textEl(
            'summary',
            {},
            changes.length === 1 ? '1 field changed' : changes.length ? `${changes.length} fields changed` : 'no field changed (details)',
          ),
          el('ul', {}, ...detail),
        )
      : el('span', { class: 'quiet' }, 'nothing changed');
    const switched = i > 0 && t.steps[i - 1]?.thread !== s.thread;
    return el(
      'tr',
      {
        id: `${prefix}-step-${i + 1}`,
        class: [i + 1 === mark ? 'bad' : '', switched ? 'switched' : ''].filter(Boolean).join(' ') || undefined,
      },
      textEl('td', { class: 'n' }, String(i + 1)),
      el('td', {}, esc(s.thread), switched ? el('span', { class: 'switch-tag', title: 'context switch' }, ' ⇄') : ''),
      el(
        'td',
        {},
        s.action.startsWith('call ')
          ? textEl('code', { class: 'call' }, s.action)
          : el('code', {}, el('b', {}, esc(callerOf(s.stack))), esc(`: ${s.action}`)),
        s.stack.length > 1 ? el('div', { class: 'stack' }, esc(s.stack.join(' > '))) : '',
        s.returned ? el('div', { class: 'ret' }, esc(`${s.returned.op}() returned ${returnText(s.returned.value)}`)) : '',
      ),
      el('td', { class: 'held' }, esc(s.context.join(', ') || '-')),
      el('td', {}, changed),
    );
  });
  return el(
    'table',
    { class: 'steps' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['step', 'thread', 'kernel function: action (call stack)', 'locks held after', 'fields changed'].map((h) => textEl('th', {}, h)),
      ),
    ),
    el('tbody', {}, ...rows),
  );
}

function initialState(t: TraceInput): string {
  const rows = [...t.initial].map(([id, o]) =>
    el(
      'tr',
      {},
      textEl('td', {}, id),
      textEl('td', {}, `${o.kind}${o.state ? ` [${o.state}]` : ''}`),
      textEl(
        'td',
        {},
        Object.entries(o.fields)
          .map(([k, v]) => `${k}=${fmt(v)}`)
          .join(' '),
      ),
    ),
  );
  return el(
    'details',
    { class: 'initial' },
    textEl('summary', {}, `State 0: ${t.initial.size} objects before the first step`),
    el('table', { class: 'objects' }, el('tbody', {}, ...rows)),
  );
}

export function traceSection(s: TraceSection): string {
  const t = s.trace;
  const mark = s.mark ?? (t.violation ? t.steps.length : 0);
  const v = violationLines(t);
  const [head, ...rest] = v;
  return [
    head
      ? el(
          'div',
          { class: 'violation' },
          textEl('p', { class: 'vhead' }, head),
          rest.length ? textEl('pre', {}, rest.join('\n').replace(/^\n+/, '')) : '',
        )
      : '',
    el(
      'figure',
      { class: 'lanes-figure' },
      lanesSvg(t, { prefix: s.prefix, width: s.width, mark }),
      el(
        'figcaption',
        {},
        esc(`Threads ${t.threads.join(', ')}: one lane per thread that ran, steps top to bottom. `),
        el('span', { class: 'key-switch' }, '⇄ dashed arrow'),
        esc(': context switch. '),
        el('span', { class: 'key-bad' }, 'red box'),
        esc(mark && t.violation ? ': the violating step. ' : mark ? ': the step that makes the edge. ' : ''),
        esc('Click a box for its row below.'),
      ),
    ),
    el(
      'details',
      { class: 'steps-box', open: t.steps.length <= 60 },
      textEl('summary', {}, `Step table (${t.steps.length} steps)`),
      stepTable(t, s.prefix, mark),
    ),
    initialState(t),
  ].join('\n');
}
