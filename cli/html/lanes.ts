/**
 * A counterexample as thread lanes in SVG, written by hand because it is a
 * grid: one column per thread, one row per step in order; each step's box
 * shows the kernel function, the action, the call stack and the locks held;
 * an arrow between rows marks a context switch, and the violating step is
 * red. Each box links to its row of the step table (which expands the fields
 * changed) and shows them on hover.
 */
import { callerOf } from '../../kernel/primitive.ts';
import { changeText, isHiddenChange, returnText, sameList, type TraceInput } from '../trace.ts';
import { laneLayout, minWidth, wrapTokens } from '../wrap.ts';
import { el, textEl, voidEl } from './markup.ts';

/** DejaVu Sans Mono at 12px: 0.602 em per character. */
const FONT = 12;
const CHAR = 7.23;
const LINE = 15;
const PAD = 6;
const GAP = 14;
const HEAD = 30;
/** A continued line of a box is indented this much more than its first. */
const CONT = 2;

/** Changes shown in a step's box; more are counted, and listed on hover and in the step table. */
const INLINE_CHANGES = 3;

type Kind = 'fn' | 'call' | 'action' | 'stack' | 'held' | 'chg' | 'note' | 'ret';

interface Line {
  readonly text: string;
  readonly kind: Kind;
}

/** The threads that took a step (the others get no lane), in scenario order. */
export function laneThreads(t: TraceInput): string[] {
  const ran = t.threads.filter((th) => t.steps.some((s) => s.thread === th));
  return ran.length ? ran : [...t.threads];
}

export function shownChanges(t: TraceInput, i: number): string[] {
  const s = t.steps[i];
  return s ? s.changes.filter((c) => !isHiddenChange(c, t.initial)).map(changeText) : [];
}

function stepLines(t: TraceInput, i: number, heldBefore: readonly string[] | undefined): Line[] {
  const s = t.steps[i];
  if (!s) return [];
  const lines: Line[] = [];
  if (s.action.startsWith('call ')) lines.push({ text: `> ${s.action.slice(5)}`, kind: 'call' });
  else {
    lines.push({ text: callerOf(s.stack), kind: 'fn' });
    lines.push({ text: `  ${s.action}`, kind: 'action' });
    if (s.stack.length > 1) lines.push({ text: `  in ${s.stack.join(' > ')}`, kind: 'stack' });
  }
  if (s.context.length > 0) lines.push({ text: `  held: ${s.context.join(', ')}`, kind: 'held' });
  else if (heldBefore !== undefined && !sameList(heldBefore, s.context)) lines.push({ text: '  held: (none)', kind: 'held' });
  const changes = shownChanges(t, i);
  // a few changes read best in place; a step that creates an object changes many, which would stretch its row
  if (changes.length <= INLINE_CHANGES) for (const c of changes) lines.push({ text: `  ${c}`, kind: 'chg' });
  else lines.push({ text: `  ${changes.length} fields changed (hover, or see the step table)`, kind: 'chg' });
  for (const n of s.notes) lines.push({ text: `  note: ${n}`, kind: 'note' });
  if (s.returned) lines.push({ text: `  = ${returnText(s.returned.value)} (${s.returned.op} returned)`, kind: 'ret' });
  return lines;
}

export interface LaneOptions {
  /** ids of this trace's elements start with it: several traces share a page */
  readonly prefix: string;
  /** the width, in characters, the lanes share, by the threads view's --width rules (cli/wrap.ts) */
  readonly width: number;
  /** the step to mark as the violating one (1-based); default: the last, when the trace has a violation */
  readonly mark?: number;
}

/** The lanes as one `<svg>` element, sized to its content. */
export function lanesSvg(t: TraceInput, o: LaneOptions): string {
  const threads = laneThreads(t);
  const numW = Math.max(4, String(t.steps.length).length + 1);
  const held = new Map<string, readonly string[]>();
  const steps = t.steps.map((s, i) => {
    const lines = stepLines(t, i, held.get(s.thread));
    held.set(s.thread, s.context);
    return lines;
  });
  const need = Math.max(...threads.map((x) => x.length), ...steps.flatMap((ls) => ls.map((l) => minWidth(l.text, CONT))));
  const { stride, chars } = laneLayout(o.width, threads.length, numW, need);
  const numPx = numW * CHAR + 10;
  const laneW = chars * CHAR + 2 * PAD;
  // as in the threads view: lanes too narrow for the widest name start closer, and a box runs over the lanes to its right
  const over = chars > stride - 3;
  const stridePx = over ? stride * CHAR : laneW + GAP;
  const guideW = over ? stridePx - GAP / 2 : laneW;
  const laneX = (k: number) => numPx + k * stridePx;
  const totalW = laneX(threads.length - 1) + laneW + 4;
  const mark = o.mark ?? (t.violation ? t.steps.length : 0);
  const body: string[] = [];
  let y = HEAD + 8;
  let prev: string | null = null;
  t.steps.forEach((s, i) => {
    const k = threads.indexOf(s.thread);
    const lines = (steps[i] ?? []).flatMap((l) => wrapTokens(l.text, chars, CONT).map((text) => ({ text, kind: l.kind })));
    if (prev !== null && prev !== s.thread) {
      // the switch: an arrow from the lane that ran to the lane that runs now
      const from = threads.indexOf(prev);
      const x1 = laneX(from) + laneW / 2;
      const x2 = laneX(k) + laneW / 2;
      const ay = y + 3;
      body.push(
        voidEl('line', { class: 'switch', x1, y1: ay, x2: x2 + (x2 > x1 ? -8 : 8), y2: ay, 'marker-end': `url(#${o.prefix}-arrow)` }, true),
        textEl('text', { class: 'switch-label', x: numPx - 6, y: ay + 4, 'text-anchor': 'end' }, '⇄'),
      );
      y += 12;
    }
    prev = s.thread;
    const h = lines.length * LINE + 2 * PAD - 3;
    const x = laneX(k);
    const bad = i + 1 === mark;
    const tip = [
      `step ${i + 1}, ${s.thread}: ${s.action}`,
      `stack: ${s.stack.join(' > ') || '(none)'}`,
      `held: ${s.context.join(', ') || '(none)'}`,
      ...shownChanges(t, i).map((c) => `changed: ${c}`),
    ].join('\n');
    const texts = lines.map((l, j) => {
      const lead = l.text.length - l.text.trimStart().length;
      return textEl('text', { class: l.kind, x: x + PAD + lead * CHAR, y: y + PAD + (j + 1) * LINE - 4 }, l.text.trimStart());
    });
    body.push(
      textEl('text', { class: bad ? 'num bad' : 'num', x: numPx - 8, y: y + PAD + LINE - 4, 'text-anchor': 'end' }, String(i + 1)),
      el(
        'a',
        { href: `#${o.prefix}-step-${i + 1}` },
        textEl('title', {}, tip),
        voidEl(
          'rect',
          { class: bad ? 'step bad' : `step t${k % 4}`, x, y, width: laneW, height: h, rx: 4, 'data-step': i + 1, 'data-thread': s.thread },
          true,
        ),
        ...texts,
      ),
    );
    y += h + 6;
  });
  if (t.violation) {
    const v = t.violation;
    const text = `${t.property ? `${t.property} violated` : 'violation'} at step ${t.steps.length}: ${v.message.startsWith(`${v.kind}:`) ? v.message : `${v.kind}: ${v.message}`}`;
    const lines = wrapTokens(text, Math.floor((totalW - numPx - 2 * PAD) / CHAR), CONT);
    const h = lines.length * LINE + 2 * PAD - 3;
    body.push(
      voidEl('rect', { class: 'verdict', x: numPx, y: y + 4, width: totalW - numPx - 4, height: h, rx: 4 }, true),
      ...lines.map((l, j) => textEl('text', { class: 'verdict-text', x: numPx + PAD, y: y + 4 + PAD + (j + 1) * LINE - 4 }, l.trimStart())),
    );
    y += h + 10;
  }
  const height = y + 4;
  const head = threads.flatMap((th, k) => [
    voidEl('rect', { class: 'lane', x: laneX(k), y: 0, width: guideW, height, 'data-thread': th }, true),
    voidEl('rect', { class: 'lane-head', x: laneX(k), y: 0, width: guideW, height: HEAD, rx: 4 }, true),
    textEl('text', { class: 'lane-title', x: laneX(k) + guideW / 2, y: 20, 'text-anchor': 'middle' }, th),
  ]);
  const defs = el(
    'defs',
    {},
    el(
      'marker',
      { id: `${o.prefix}-arrow`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      voidEl('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'switch-head' }, true),
    ),
  );
  return el(
    'svg',
    {
      class: 'lanes',
      id: `${o.prefix}-lanes`,
      xmlns: 'http://www.w3.org/2000/svg',
      width: Math.ceil(totalW),
      height: Math.ceil(height),
      viewBox: `0 0 ${Math.ceil(totalW)} ${Math.ceil(height)}`,
      role: 'img',
      'aria-label': `thread lanes of ${threads.join(', ')}`,
      'font-size': FONT,
    },
    defs,
    ...head,
    textEl('text', { class: 'lane-title', x: numPx - 8, y: 20, 'text-anchor': 'end' }, 'step'),
    ...body,
  );
}

/** Styles of the lanes, for a page or a standalone SVG. */
export const LANES_CSS = `
svg.lanes { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
svg.lanes .lane { fill: none; stroke: #d5dae3; stroke-dasharray: 2 3; }
svg.lanes .lane-head { fill: #e8edf5; stroke: #b8c2d3; }
svg.lanes .lane-title { font-weight: bold; fill: #1f2a3d; }
svg.lanes .step { stroke: #9aa7bd; }
svg.lanes .t0 { fill: #f3f6fc; } svg.lanes .t1 { fill: #f4faf3; } svg.lanes .t2 { fill: #fcf7f0; } svg.lanes .t3 { fill: #f7f3fb; }
svg.lanes .step.bad { fill: #ffe3e3; stroke: #cc0000; stroke-width: 2.5; }
svg.lanes a:hover .step { stroke: #1f5fbf; stroke-width: 2; }
svg.lanes .num { fill: #5b6577; }
svg.lanes .num.bad { fill: #cc0000; font-weight: bold; }
svg.lanes .fn { font-weight: bold; fill: #10213f; }
svg.lanes .call { font-weight: bold; fill: #0b5c2c; }
svg.lanes .action { fill: #1f2a3d; }
svg.lanes .stack { fill: #6b7485; }
svg.lanes .held { fill: #6b2fa3; }
svg.lanes .chg { fill: #8a4b00; }
svg.lanes .note { fill: #555; font-style: italic; }
svg.lanes .ret { fill: #0b5c2c; }
svg.lanes .switch { stroke: #d97706; stroke-width: 1.5; stroke-dasharray: 5 3; }
svg.lanes .switch-head { fill: #d97706; }
svg.lanes .switch-label { fill: #d97706; font-weight: bold; }
svg.lanes .verdict { fill: #cc0000; }
svg.lanes .verdict-text { fill: #ffffff; font-weight: bold; }
`;
