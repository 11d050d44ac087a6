/**
 * The page of `lockorder --html`: the verdict (cycles, deadlock, declared
 * order, how much was explored), the lock graph with its red edges, each
 * edge's witness as thread lanes, the cycles in lockdep's words, and the
 * interleaving that deadlocks.
 */
import type { LockEdge } from '../../kernel/lockdep/lockgraph.ts';
import type { GraphRun, OrderCheck } from '../../properties/lock-graph.ts';
import { dur, num } from '../io.ts';
import { edgeLines, onCycle, recursionTitle, recursionWitness, scenarioLine, warningLine } from '../lockgraph.ts';
import type { TraceInput } from '../trace.ts';
import { inlineLockGraphSvg } from './lockgraph-svg.ts';
import { el, esc, facts, textEl } from './markup.ts';
import { commandBlock, completeCell, renderPage, type Section } from './page.ts';
import { traceSection } from './trace-section.ts';

export interface LockorderPage {
  readonly design: string;
  readonly summary: string;
  readonly bound: string;
  readonly run: GraphRun;
  readonly check: OrderCheck | null;
  /** the interleaving that deadlocks, and the counterexample file saved for it */
  readonly deadlock: { readonly trace: TraceInput; readonly file: string | null; readonly note: string } | null;
  /** the execution that made an edge, up to the step that made it */
  readonly witness: (e: LockEdge) => TraceInput;
  readonly command: string;
  /** the width the lanes share, in characters (the threads view's --width) */
  readonly width: number;
}

const bad = (cls: string, text: string) => ({ html: esc(text), cls });

/** The id of the Declared order section's line for a declared edge never taken, which that edge in the graph links to. */
const declaredId = (prefix: string, i: number) => `${prefix}-declared-${i + 1}`;

/** Why an edge is red: it closes a cycle, or the declared order does not allow it. */
export function redReasons(run: GraphRun, check: OrderCheck | null, e: LockEdge): string[] {
  return [
    ...(onCycle(run.cycles, e) ? ['closes a cycle'] : []),
    ...(check?.broken.filter((b) => b.edge === e).map((b) => `breaks the declared order: ${b.why}`) ?? []),
  ];
}

/** The lock graph figure and every edge with its witness; `prefix` keeps two graphs on one page apart. */
export async function graphSections(
  run: GraphRun,
  check: OrderCheck | null,
  title: string,
  prefix: string,
  /** each edge's witness as lanes `width` characters wide; none on the diff page */
  witness: { readonly trace: (e: LockEdge) => TraceInput; readonly width: number } | null,
): Promise<{ graph: string; edges: string }> {
  const svg = await inlineLockGraphSvg(
    run,
    title,
    check,
    prefix,
    (e, i) => ({
      href: `#${prefix}-witness-${i + 1}`,
      tooltip: edgeLines(e)
        .map((l) => l.trim())
        .join('\n'),
    }),
    (_, i) => ({ href: `#${declaredId(prefix, i)}` }),
  );
  const graph = el(
    'figure',
    { class: 'graph' },
    svg,
    el(
      'figcaption',
      {},
      esc('A -> B: B taken (or waited for) while A is held; the label gives the lockdep dependency type and where B was taken. '),
      el('span', { class: 'key-bad' }, 'Red'),
      esc(
        ': the edge closes a cycle (solid) or breaks the declared order (dashed); dotted grey: declared, never taken (it links to its line of the order file). Click an edge for its witness.',
      ),
    ),
  );
  const edges = run.edges.map((e, i) => {
    const why = redReasons(run, check, e);
    const [head, ...rest] = edgeLines(e);
    const w = witness?.trace(e);
    return el(
      'div',
      { class: why.length ? 'edge bad' : 'edge', id: `${prefix}-witness-${i + 1}` },
      el('h3', {}, esc(head ?? ''), ...why.map((r) => textEl('span', { class: 'tag red' }, r))),
      textEl('pre', {}, rest.map((l) => l.trim()).join('\n')),
      w && witness
        ? el(
            'details',
            {},
            textEl('summary', {}, `the witness as thread lanes (${w.steps.length} steps; the last makes the edge)`),
            traceSection({ prefix: `${prefix}-w${i + 1}`, trace: w, mark: w.steps.length, width: witness.width }),
          )
        : '',
    );
  });
  return { graph, edges: edges.join('\n') };
}

export async function lockorderPage(p: LockorderPage): Promise<string> {
  const { run, check } = p;
  const c = run.coverage;
  const verdict = facts([
    ['cycles', run.cycles.length ? bad('fail', `${run.cycles.length} (lockdep would warn)`) : bad('pass', 'none')],
    [
      'recursion',
      run.recursions.length
        ? bad(
            'fail',
            `${run.recursions.length} class${run.recursions.length === 1 ? '' : 'es'} taken while already held (lockdep would warn)`,
          )
        : bad('pass', 'none'),
    ],
    [
      'other lockdep warnings',
      run.warnings.length ? bad('fail', run.warnings.map((w) => w.violation.kind).join(', ')) : bad('pass', 'none'),
    ],
    [
      'deadlock',
      p.deadlock
        ? bad('fail', `reached: ${p.deadlock.trace.steps.length} steps`)
        : bad(
            run.cycles.length ? 'na' : 'pass',
            run.cycles.length ? 'none within the bound (the cycle needs more threads or operations)' : 'none within the bound',
          ),
    ],
    [
      'declared order',
      check
        ? check.broken.length
          ? bad('fail', `${check.broken.length} observed edge${check.broken.length === 1 ? ' breaks' : 's break'} ${check.order.file}`)
          : bad('pass', `kept (${check.order.file})`)
        : bad('na', 'not checked (--design FILE)'),
    ],
    ['search', completeCell(c.complete)],
    ['bound', p.bound],
    ['explored', `${num(run.scenarios)} scenarios, ${num(c.states)} distinct states, ${num(c.executions)} executions, ${dur(run.millis)}`],
    ['lock graph', `${run.edges.length} edges between ${new Set(run.edges.flatMap((e) => [e.from, e.to])).size} classes`],
  ]);
  const { graph, edges } = await graphSections(run, check, `lock dependency graph of ${p.design} (${p.bound})`, 'g', {
    trace: p.witness,
    width: p.width,
  });
  const sections: Section[] = [
    { id: 'verdict', title: 'Verdict', html: verdict },
    { id: 'graph', title: 'Lock graph', html: graph },
    { id: 'edges', title: `Edges and their shortest witnesses (${run.edges.length})`, html: edges },
  ];
  if (run.recursions.length || run.warnings.length)
    sections.push({
      id: 'recursions',
      title: `Recursive locking and other lockdep warnings (${run.recursions.length + run.warnings.length})`,
      cls: 'bad',
      html: [
        ...run.recursions.map((r, i) =>
          [
            textEl('h3', {}, recursionTitle(r, i)),
            textEl('pre', {}, run.graph.recursionReport(r)),
            textEl('p', {}, recursionWitness(r)),
          ].join('\n'),
        ),
        ...run.warnings.map((w) => textEl('p', {}, warningLine(w))),
      ].join('\n'),
    });
  if (run.cycles.length)
    sections.push({
      id: 'cycles',
      title: `Cycles (${run.cycles.length})`,
      cls: 'bad',
      html: run.cycles
        .map((cy, i) =>
          [
            textEl('h3', {}, `Cycle ${i + 1} (${cy.kind}): ${[...cy.classes, cy.classes[0]].join(' -> ')}`),
            textEl('pre', {}, run.graph.report(cy)),
            el(
              'ul',
              {},
              ...cy.hops.map((h) => {
                const k = run.edges.findIndex((e) => e.from === h.from && e.to === h.to);
                const text = `${h.from} -> ${h.to}: ${h.witness.threadName} at step ${h.witness.path.length} of {${scenarioLine(h.witness.scenario)}}`;
                return el('li', {}, k >= 0 ? el('a', { href: `#g-witness-${k + 1}` }, esc(text)) : esc(text));
              }),
            ),
          ].join('\n'),
        )
        .join('\n'),
    });
  if (p.deadlock)
    sections.push({
      id: 'deadlock',
      title: `A real interleaving that deadlocks (${p.deadlock.trace.steps.length} steps)`,
      cls: 'bad',
      html: [
        traceSection({ prefix: 'deadlock', trace: p.deadlock.trace, width: p.width }),
        ...(p.deadlock.file
          ? [
              textEl('p', {}, `counterexample: ${p.deadlock.file}${p.deadlock.note}`),
              commandBlock(`vfio-dmabuf-model replay ${p.deadlock.file}`),
            ]
          : []),
      ].join('\n'),
    });
  if (check)
    sections.push({
      id: 'declared',
      title: `Declared order ${check.order.file}`,
      ...(check.broken.length ? { cls: 'bad' } : {}),
      html: [
        textEl('p', {}, `${check.order.classes.length} classes, ${check.order.edges.length} allowed edges.`),
        el(
          'ul',
          {},
          ...(check.broken.length ? [] : [textEl('li', {}, 'Every observed edge keeps the declared order.')]),
          ...check.broken.map((b) =>
            el(
              'li',
              {},
              el('a', { href: `#g-witness-${run.edges.indexOf(b.edge) + 1}` }, esc(`BROKEN ${b.edge.from} -> ${b.edge.to}`)),
              esc(`: ${b.why}; made at ${b.edge.witness.at} by ${b.edge.witness.threadName} in ${b.edge.witness.stack.join(' > ')}`),
            ),
          ),
          ...(check.unexercised.length ? [] : [textEl('li', {}, 'Every declared edge was exercised.')]),
          ...check.unexercised.map((d, i) =>
            textEl('li', { id: declaredId('g', i) }, `NEVER EXERCISED ${d.from} -> ${d.to} (${check.order.file}:${d.line})`),
          ),
        ),
      ].join('\n'),
    });
  const found = [
    ...(run.cycles.length ? [`${run.cycles.length} cycle${run.cycles.length === 1 ? '' : 's'}`] : []),
    ...(run.recursions.length ? [`${run.recursions.length} recursive locking`] : []),
    ...(run.warnings.length ? [`${run.warnings.length} other lockdep warning${run.warnings.length === 1 ? '' : 's'}`] : []),
    ...(p.deadlock ? ['a deadlock'] : []),
    ...(check?.broken.length ? [`${check.broken.length} broken declared edges`] : []),
  ];
  return renderPage({
    title: `lockorder ${p.design}: ${found.length ? found.join(', ') : 'lockdep would not warn, no deadlock'}`,
    lead: [p.summary, `bound: ${p.bound}`],
    command: p.command,
    sections,
  });
}
