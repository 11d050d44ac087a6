/**
 * Writes a variant module: the base design with its model functions copied,
 * as they are, for every kernel function a patch series changes, each under
 * the C hunks that change it, so the reviewer edits the model to follow the
 * C. As written, the file is the base design with identical replacements: it
 * loads and checks as the base does. Without a series: a typed skeleton with
 * one example replacement.
 */
import { dirname, relative, resolve } from 'node:path';
import type { LoadedDesign } from '../loader/load.ts';
import { primitiveTable } from '../model/dmabuf/primitives.ts';
import { findBuiltin } from '../model/variants/index.ts';
import { Copier, indent, SourceError, sourceOf } from './model-source.ts';
import { type Plan, patchRef, planFor, type Series, type Touch } from './series.ts';

export interface VariantRequest {
  /** null: a skeleton for a design written by hand */
  readonly series: Series | null;
  readonly base: LoadedDesign;
  /** the new design's name */
  readonly name: string;
  /** where the file goes (for the base module's import path and the next command shown) */
  readonly output: string;
  /** the command line that wrote it, shown in its header */
  readonly command: string;
}

export interface GeneratedVariant {
  readonly text: string;
  readonly plan: Plan;
  /** replaced entries whose model is an engine primitive: listed, not copied */
  readonly primitives: readonly string[];
}

/** A line of a `//` comment: nothing in it may end the comment early. */
const commentSafe = (s: string): string => s.replace(/[\r\u2028\u2029]/g, ' ');

const touchLines = (t: Touch, pad: string): string[] => [
  `${pad}${commentSafe(t.change.header)}`,
  ...t.change.lines.map((l) => `${pad}${commentSafe(l)}`),
];

/** A string literal in the style of the repository's sources (single quotes). */
const quote = (s: string): string => `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;

/** The example a skeleton starts from: a function the base replaces itself, else .attach, else the first non-primitive entry. */
function exampleEntry(base: LoadedDesign, isPrimitive: (e: string) => boolean): string {
  const names = Object.keys(base.design.functions);
  return (
    base.design.replaced[0] ??
    (names.includes('vfio_pci_dma_buf_attach') ? 'vfio_pci_dma_buf_attach' : (names.find((n) => !isPrimitive(n)) ?? ''))
  );
}

export async function generateVariant(req: VariantRequest): Promise<GeneratedVariant> {
  const base = req.base.design;
  const fns = base.functions as Record<string, unknown>;
  const entries = Object.keys(fns);
  const plan: Plan = req.series ? planFor(req.series, entries) : { replace: [], notModelled: [], outside: [] };
  const copier = new Copier();
  const sources = new Map<string, string>();
  const primitives: string[] = [];
  const userModule = req.base.path ?? null;
  const wanted = req.series
    ? plan.replace.map((r) => r.entry)
    : [exampleEntry(req.base, (e) => e in primitiveTable)].filter((e) => e !== '');
  for (const entry of wanted) {
    const src = await sourceOf(fns[entry], entry, userModule);
    if (src === 'primitive') {
      primitives.push(entry);
      continue;
    }
    copier.copy(src.declaration, src.module, `${base.name}'s ${entry}`);
    sources.set(entry, src.declaration.name);
  }

  const out: string[] = [];
  const head = (s = '') => out.push(s === '' ? '//' : `// ${commentSafe(s)}`);
  const series = req.series;
  if (series) {
    const what = series.cover ?? (series.patches.length === 1 ? (series.patches[0]?.mail.title ?? '') : `${series.patches.length} patches`);
    head(`${req.name}: ${base.name} as changed by "${what}".`);
    head(`Written by \`${req.command}\`, from:`);
    for (const p of series.patches) head(`  ${patchRef(p)}${p.mail.messageId ? ` <${p.mail.messageId}>` : ''}`);
    head();
    head(`Each replacement below is ${base.name}'s model function as it is, under the C hunks`);
    head('that change the kernel function it models. Edit it to follow the C, then check it:');
    head(`  vfio-dmabuf-model check --variant ${req.output}`);
    if (plan.replace.length === 0) {
      head();
      head(`No function of ${base.name}'s table is changed by this series: the file is ${base.name} as it is.`);
    }
    for (const p of primitives) {
      head();
      head(`${p} is an engine primitive (model/dmabuf/primitives.ts), not copied here: the series changes ${p} itself.`);
    }
    if (plan.notModelled.length) {
      head();
      head('Not modelled: functions the series adds or changes that the model does not have.');
      for (const n of plan.notModelled) {
        const nearest = n.nearest.length ? n.nearest.join(', ') : 'none';
        for (const t of n.touches) {
          const how = t.change.defined === 'added' ? 'added' : t.change.defined === 'removed' ? 'removed' : 'changed';
          head(`  ${n.name} (${t.change.file}), ${how} by ${patchRef(t.patch)}`);
        }
        head(`    nearest modelled functions by call: ${nearest}`);
        for (const t of n.touches) for (const l of touchLines(t, '    ')) head(l);
      }
    }
    if (plan.outside.length) {
      head();
      head('Outside any function (not modelled):');
      for (const o of plan.outside)
        head(`  ${o.change.file} ${o.change.header} (+${o.change.added} -${o.change.removed}), ${patchRef(o.patch)}`);
    }
  } else {
    head(`${req.name}: a design written by hand, from ${base.name}.`);
    head(`Written by \`${req.command}\`.`);
    head();
    head('Replace model functions by their table name (docs/functions.md lists the table); the one');
    head(`below is ${base.name}'s, as it is: an example to edit or remove. Then check it:`);
    head(`  vfio-dmabuf-model check --variant ${req.output}`);
  }

  const types = [...copier.needs.types].sort();
  out.push('');
  if (types.length) out.push(`import type { ${types.join(', ')} } from 'vfio-dmabuf-model';`);
  for (const ns of [...copier.needs.apiNamespaces].sort()) out.push(`import type * as ${ns} from 'vfio-dmabuf-model';`);
  const builtinBase = findBuiltin(base.name) === base;
  if (!builtinBase && req.base.path) {
    // a base from a file: the new file imports it by its path from where the new file is
    let rel = relative(dirname(resolve(req.output)), req.base.path);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    out.push(`import baseModule from ${quote(rel)};`);
  }
  if (out[out.length - 1] !== '') out.push('');
  // a copied type of the same name (a user's `type Api = any`) stands in for the API's type
  // (a namespace import of the API named Api is that type already, as `typeof Api`)
  const apiType = copier.needs.apiNamespaces.has('Api') ? 'typeof Api' : 'Api';
  if (!copier.typeTexts.has('Api') && apiType === 'Api') out.push("type Api = typeof import('vfio-dmabuf-model');", '');
  for (const text of copier.typeTexts.values()) out.push(text, '');
  out.push(`export default function design(api: ${apiType}) {`);
  const fromApi = new Set([...copier.needs.api].filter((n) => n !== ''));
  fromApi.add('defineVariant');
  if (builtinBase) fromApi.add('designs');
  for (const n of fromApi)
    if (sources.has(n) || copier.texts.has(n)) throw new SourceError(`a copied declaration is named ${n}, as the API's ${n}`);
  out.push(`  const { ${[...fromApi].sort().join(', ')} } = api;`);
  for (const [ns, members] of [...copier.needs.members].sort(([a], [b]) => a.localeCompare(b)))
    out.push(`  const { ${[...members].sort().join(', ')} } = ${ns};`);
  if (!builtinBase) {
    // a base from a file: built the way the tool loads it
    out.push(`  const base = typeof baseModule === 'function' ? baseModule(api) : baseModule;`);
  }

  const entryOf = new Map([...sources].map(([entry, decl]) => [decl, entry]));
  for (const [name, text] of copier.texts) {
    out.push('');
    const entry = entryOf.get(name);
    const r = entry !== undefined ? plan.replace.find((x) => x.entry === entry) : undefined;
    if (r) {
      const what = r.kernel === r.entry ? r.entry : `${r.entry} (part of ${r.kernel})`;
      out.push(`  // ${what}, changed by:`);
      for (const t of r.touches) {
        out.push(`  //   ${commentSafe(patchRef(t.patch))}`);
        for (const l of touchLines(t, '  //   ')) out.push(l);
      }
    } else if (entry !== undefined) out.push(`  // ${entry}: ${base.name}'s, as it is; an example to edit`);
    out.push(indent(text, '  '));
  }

  const differences = series
    ? plan.replace.map((r) => `${r.entry}: ${[...new Set(r.touches.map((t) => patchRef(t.patch)))].join('; ')}`)
    : [];
  const summary = series
    ? (series.cover ?? series.patches.map((p) => p.mail.title).join('; '))
    : `${base.name} with changes written by hand`;
  const source = series ? series.patches.map(patchRef).join(', ') : `written by hand from ${base.name}`;
  const replace = [...sources].map(([entry, decl]) => (entry === decl ? entry : `${entry}: ${decl}`));
  const baseExpr = builtinBase ? `designs[${quote(base.name)}]` : 'base';
  out.push('');
  out.push(`  return defineVariant(${baseExpr}, {`);
  out.push(`    name: ${quote(req.name)},`);
  out.push(`    summary: ${quote(summary)},`);
  out.push(`    source: ${quote(source)},`);
  out.push(`    differences: [${differences.map((d) => `\n      ${quote(d)},`).join('')}${differences.length ? '\n    ' : ''}],`);
  out.push(`    replace: { ${replace.join(', ')} },`);
  const bounds = Object.entries(base.bounds).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)}: ${v}`);
  out.push(`    bounds: {${bounds.length ? ` ${bounds.join(', ')} ` : ''}},`);
  out.push(`    focus: [${base.focus.map(quote).join(', ')}],`);
  out.push('  });');
  out.push('}');
  return { text: `${out.join('\n')}\n`, plan, primitives };
}
