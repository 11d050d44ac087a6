/**
 * The lock graph as SVG, laid out in-process by Graphviz compiled to
 * WebAssembly (no `dot` to install, no browser): the DOT of `lockorder
 * --format dot`, with each edge's witness as its hover text and, on a page,
 * its link.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { GraphRun, OrderCheck } from '../../properties/lock-graph.ts';
import { type DeclaredLink, type EdgeLink, edgeLines, renderDot } from '../lockgraph.ts';

let graphviz: Promise<Graphviz> | null = null;

/** Hover text of an edge: where it was made and by which scenario, as the text report says. */
export const witnessTip: EdgeLink = (e) => ({
  tooltip: edgeLines(e)
    .map((l) => l.trim())
    .join('\n'),
});

/** A standalone SVG document. */
export async function lockGraphSvg(
  run: GraphRun,
  title: string,
  check: OrderCheck | null,
  link: EdgeLink = witnessTip,
  declared?: DeclaredLink,
): Promise<string> {
  graphviz ??= Graphviz.load();
  const gv = await graphviz;
  return gv.dot(renderDot(run, title, check, link, declared).join('\n'), 'svg');
}

/**
 * The same SVG to put inside a page: without the XML prolog and DTD, its ids
 * prefixed (a page can hold two graphs), scaled to the page's width.
 */
export async function inlineLockGraphSvg(
  run: GraphRun,
  title: string,
  check: OrderCheck | null,
  prefix: string,
  link: EdgeLink,
  declared?: DeclaredLink,
): Promise<string> {
  const svg = await lockGraphSvg(run, title, check, link, declared);
  const start = svg.indexOf('<svg');
  return svg
    .slice(start)
    .replace(/<!--[\s\S]*?-->\n?/g, '')
    .replace(/ id="/g, ` id="${prefix}-`)
    .replace('<svg ', `<svg class="lockgraph" role="img" aria-label="${title.replace(/[<>&"]/g, '')}" `)
    .trimEnd();
}
