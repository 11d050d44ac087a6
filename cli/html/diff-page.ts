/** The page of `diff --html`: whether two designs behave the same at one bound, the verdicts side by side, the functions and lock edges that differ, and both lock graphs. */
import type { LockEdge } from '../../kernel/lockdep/lockgraph.ts';
import type { PropertyResult } from '../../properties/check.ts';
import type { GraphRun } from '../../properties/lock-graph.ts';
import { graphSections } from './lockorder-page.ts';
import { el, facts, table, textEl } from './markup.ts';
import { completeCell, renderPage, type Section, verdictCell } from './page.ts';

export interface DiffPage {
  readonly a: { readonly name: string; readonly summary: string; readonly source: string };
  readonly b: { readonly name: string; readonly summary: string; readonly source: string };
  readonly bound: string;
  readonly graphs: readonly [GraphRun, GraphRun];
  readonly verdicts: readonly [readonly PropertyResult[], readonly PropertyResult[]];
  readonly functions: readonly {
    readonly name: string;
    readonly a: string | null;
    readonly b: string | null;
    readonly replacedIn: readonly string[];
  }[];
  readonly flags: readonly { readonly flag: string; readonly a: unknown; readonly b: unknown }[];
  readonly added: readonly LockEdge[];
  readonly removed: readonly LockEdge[];
  readonly same: boolean;
  readonly complete: boolean;
  readonly command: string;
}

const vtext = (r: PropertyResult | undefined) =>
  r?.verdict === 'fail' && r.counterexample
    ? `${r.counterexample.violation.kind} in ${r.counterexample.path.length} steps: ${r.counterexample.violation.message}`
    : (r?.note ?? '');

const edgeItem = (sign: string, e: LockEdge) =>
  textEl(
    'li',
    {},
    `${sign} ${e.from} -> ${e.to} [${e.types.join(',')}] at ${e.witness.at} (${e.witness.threadName} in ${e.witness.stack.join(' > ')})`,
  );

export async function diffPage(p: DiffPage): Promise<string> {
  const [ga, gb] = p.graphs;
  const [va, vb] = p.verdicts;
  const verdict = facts([
    [
      'result',
      p.same
        ? {
            html: p.complete ? 'the designs behave the same at this bound' : 'no difference found, but the time limit cut the search',
            cls: 'pass',
          }
        : { html: 'the designs behave differently at this bound', cls: 'fail' },
    ],
    ['search', completeCell(p.complete)],
    ['bound', p.bound],
    ['a', `${p.a.name}: ${p.a.summary} (source: ${p.a.source})`],
    ['b', `${p.b.name}: ${p.b.summary} (source: ${p.b.source})`],
  ]);
  const props = table(
    ['property', p.a.name, p.b.name, 'changed', `${p.a.name}: violation`, `${p.b.name}: violation`],
    va.map((ra) => {
      const rb = vb.find((x) => x.property === ra.property);
      const changed = rb !== undefined && rb.verdict !== ra.verdict;
      return [
        ra.property,
        verdictCell(ra.verdict),
        rb ? verdictCell(rb.verdict) : '-',
        changed ? { html: 'CHANGED', cls: 'fail' } : '',
        vtext(ra),
        vtext(rb),
      ];
    }),
  );
  const fns = p.functions.length
    ? table(
        ['function', p.a.name, p.b.name, 'replaced in'],
        p.functions.map((f) => [f.name, f.a ?? '(none)', f.b ?? '(none)', f.replacedIn.join(', ')]),
      )
    : textEl('p', {}, 'none: the function tables are identical');
  const flags = p.flags.length
    ? table(
        ['flag', p.a.name, p.b.name],
        p.flags.map((f) => [f.flag, String(f.a), String(f.b)]),
      )
    : '';
  const edges = el(
    'ul',
    {},
    ...p.added.map((e) => edgeItem('+', e)),
    ...p.removed.map((e) => edgeItem('-', e)),
    ...(p.added.length + p.removed.length ? [] : [textEl('li', {}, 'none: both designs take the same lock edges')]),
  );
  const sections: Section[] = [
    { id: 'verdict', title: 'Verdict', html: verdict },
    { id: 'properties', title: 'Properties', html: props },
    { id: 'functions', title: `Functions that differ (${p.functions.length})`, html: [fns, flags].join('\n') },
    {
      id: 'lock-edges',
      title: `Lock edges: ${p.added.length} added, ${p.removed.length} removed; cycles ${ga.cycles.length} -> ${gb.cycles.length}`,
      html: edges,
    },
  ];
  for (const [k, g, d] of [
    ['a', ga, p.a.name],
    ['b', gb, p.b.name],
  ] as const) {
    const { graph, edges: list } = await graphSections(g, null, `lock dependency graph of ${d}`, k, null);
    sections.push({
      id: `graph-${k}`,
      title: `Lock graph of ${d}`,
      html: [graph, el('details', {}, textEl('summary', {}, `its ${g.edges.length} edges and their witnesses`), list)].join('\n'),
    });
  }
  return renderPage({
    title: `diff ${p.a.name} ${p.b.name}: ${p.same ? 'the same' : 'different'}`,
    lead: [`bound: ${p.bound}`],
    command: p.command,
    sections,
  });
}
