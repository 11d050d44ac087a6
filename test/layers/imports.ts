// The import graph of the tree, read with @babel/parser (already a dependency): the layer rules and
// "no cycles" are properties of this graph, and a parser sees `import type` and re-exports that a
// regex would miss or mis-split.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from '@babel/parser';

export type Graph = Map<string, Set<string>>;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    // test fixtures are graphs made to break the rules (layers.test.ts reads them on their own)
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Relative specifiers of every import, export-from and import() in one file; type-only ones included. */
export function specifiers(code: string): string[] {
  return allSpecifiers(code).filter((s) => s.startsWith('.'));
}

/** Every specifier of one file's imports, export-froms and import()s: packages and Node's modules too. */
function allSpecifiers(code: string): string[] {
  const ast = parse(code, { sourceType: 'module', plugins: ['typescript'] });
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const n = node as { type?: string; source?: { value?: unknown }; callee?: { type?: string }; arguments?: { value?: unknown }[] };
    const n2 = node as { argument?: { value?: unknown; literal?: { value?: unknown } } };
    let spec: unknown;
    if (n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration') spec = n.source?.value;
    // import('x') as a value, and import('x').T as a type
    else if (n.type === 'CallExpression' && n.callee?.type === 'Import') spec = n.arguments?.[0]?.value;
    else if (n.type === 'TSImportType') spec = n2.argument?.value ?? n2.argument?.literal?.value;
    if (typeof spec === 'string') out.push(spec);
    for (const [key, value] of Object.entries(n)) if (key !== 'loc' && key !== 'start' && key !== 'end') visit(value);
  };
  visit(ast.program.body);
  return out;
}

/** File → files it imports, as paths relative to `root`, for every .ts file under it. */
export function importGraph(root: string): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(resolve(root))) {
    const from = relative(root, file);
    const edges = new Set<string>();
    for (const spec of specifiers(readFileSync(file, 'utf8'))) edges.add(relative(root, resolve(dirname(file), spec)));
    graph.set(from, edges);
  }
  return graph;
}

/** Every strongly connected component with more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const strong = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) out.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  return out;
}

/** A layer may not import from the listed places (folder prefixes ending in '/', or files). */
export interface LayerRule {
  layer: string;
  mayNotImport: string[];
}

export function violations(graph: Graph, rules: LayerRule[]): string[] {
  const within = (file: string, place: string) => (place.endsWith('/') ? file.startsWith(place) : file === place);
  const out: string[] = [];
  for (const [from, edges] of graph)
    for (const rule of rules) {
      if (!within(from, rule.layer)) continue;
      for (const to of edges) for (const place of rule.mayNotImport) if (within(to, place)) out.push(`${from} -> ${to}`);
    }
  return out.sort();
}

/** File → the modules of Node's it imports (`node:fs`, …), for every .ts file under `root`. */
export function nodeImports(root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sourceFiles(resolve(root))) {
    const mods = allSpecifiers(readFileSync(file, 'utf8')).filter((s) => s.startsWith('node:'));
    if (mods.length > 0) out.set(relative(root, file), mods);
  }
  return out;
}

/** Files under the `layers` (folder prefixes) that import one of the `forbidden` modules, but for the files `allowed`. */
export function ioViolations(
  imports: ReadonlyMap<string, readonly string[]>,
  layers: readonly string[],
  forbidden: readonly string[],
  allowed: readonly string[],
): string[] {
  const out: string[] = [];
  for (const [file, mods] of imports) {
    if (!layers.some((l) => file.startsWith(l)) || allowed.includes(file)) continue;
    for (const m of mods) if (forbidden.includes(m)) out.push(`${file} -> ${m}`);
  }
  return out.sort();
}
