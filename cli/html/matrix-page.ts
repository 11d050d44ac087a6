/** The page of `matrix --html`: the property × variant table, one per domain, each failing cell linked to its counterexample and the command that replays it. */
import type { MatrixCell, MatrixResult, MatrixRow } from '../../properties/matrix.ts';
import { num } from '../io.ts';
import { el, esc, table, textEl } from './markup.ts';
import { commandBlock, completeCell, renderPage, type Section, verdictCell } from './page.ts';

export interface MatrixPage {
  readonly result: MatrixResult;
  readonly command: string;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
const cellId = (r: MatrixRow, p: string) => `cell-${slug(r.design)}-${slug(p)}`;

function cellHtml(r: MatrixRow, p: string, c: MatrixCell | undefined) {
  if (!c) return '-';
  if (c.verdict !== 'fail') return verdictCell(c.verdict);
  const up = r.upstreamAtBound?.[p];
  return {
    html: `${el('a', { href: `#${cellId(r, p)}` }, esc(`FAIL ${c.steps ?? ''}`))}${up ? esc(` (7.1: ${up})`) : ''}`,
    cls: 'fail',
  };
}

export function matrixPage(p: MatrixPage): string {
  const rows = p.result.rows;
  const domains = [...new Set(rows.map((r) => r.domain))];
  const sections: Section[] = [];
  for (const d of domains) {
    const mine = rows.filter((r) => r.domain === d);
    const props = [...new Set(mine.flatMap((r) => Object.keys(r.cells)))];
    const bound = (r: MatrixRow) =>
      `${
        Object.entries(r.bounds)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') || 'default'
      }${r.focus.length ? `; ${r.focus.join(', ')}` : ''}`;
    sections.push({
      id: `matrix-${slug(d)}`,
      title: `${d}: ${mine.length} design${mine.length === 1 ? '' : 's'} × ${props.length} properties`,
      html: [
        table(
          ['design', 'bound; primary commands', 'states', 'search', ...props],
          mine.map((r) => [
            { html: el('span', { title: r.summary }, esc(r.design)) },
            bound(r),
            { html: num(r.states), cls: 'num' },
            completeCell(r.complete),
            ...props.map((x) => cellHtml(r, x, r.cells[x])),
          ]),
          'matrix',
        ),
        textEl(
          'p',
          { class: 'quiet' },
          `Each design is checked exhaustively at its own bound. FAIL n: the shortest counterexample has n steps${mine.some((r) => r.upstreamAtBound) ? '; (7.1: pass) is upstream-7.1 at the same bound' : ''}.`,
        ),
      ].join('\n'),
    });
  }
  const failing = rows.flatMap((r) =>
    Object.entries(r.cells)
      .filter(([, c]) => c.verdict === 'fail')
      .map(([prop, c]) => ({ r, prop, c })),
  );
  if (failing.length)
    sections.push({
      id: 'counterexamples',
      title: `Counterexamples (${failing.length})`,
      cls: 'bad',
      html: failing
        .map(({ r, prop, c }) =>
          el(
            'div',
            { class: 'edge bad', id: cellId(r, prop) },
            textEl('h3', {}, `${r.design} / ${prop}: ${c.steps} steps`),
            textEl('p', {}, c.message ?? ''),
            c.functions.length ? el('p', { class: 'quiet' }, esc(`functions: ${c.functions.join(', ')}`)) : '',
            c.counterexample
              ? commandBlock(`vfio-dmabuf-model replay ${c.counterexample} --html ${slug(r.design)}.${slug(prop)}.html`)
              : '',
          ),
        )
        .join('\n'),
    });
  return renderPage({
    title: `matrix: ${rows.length} designs, ${failing.length} failing cells`,
    lead: ['The property × variant table of docs/matrix.md, checked exhaustively, each design at its own bound.'],
    command: p.command,
    sections,
  });
}
