/**
 * The TypeScript source of a design's model functions, to copy into a new
 * variant file: each function's own text (with its doc comment), the
 * module-level constants and helpers it uses, and what it needs from the
 * public API (index.ts) in place of the model's internal imports. Reads the
 * source with @babel/parser, since the running function's toString() is the
 * transpiled form.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from '@babel/parser';
import { primitiveTable } from '../model/dmabuf/primitives.ts';

/** The repository root (index.ts and model/ are there). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = join(ROOT, 'model');
/** The model folders whose modules hold the built-in designs' functions. */
const MODEL_DIRS = ['dmabuf/upstream', 'dmabuf/variants', 'sva', 'sva/variants'];

/** Source that cannot be copied through the public API: the message names the function and what it needs. */
export class SourceError extends Error {}

// Babel's AST, loosely typed: only start/end, type and the fields read here are used.
interface Node {
  type: string;
  start: number;
  end: number;
  leadingComments?: { start: number }[] | null;
  [key: string]: unknown;
}

interface Declaration {
  readonly name: string;
  readonly kind: 'value' | 'type';
  /** the declaration's text with its doc comment, without `export`, dedented to column 0 */
  readonly text: string;
  readonly node: Node;
  /** set for a function declared inside the module's default-export function (a user's design(api)) */
  readonly enclosing: Enclosing | null;
}

/** The default-export function of a user's module: its api parameter and what it takes from it. */
interface Enclosing {
  readonly apiParam: string | null;
  /** local name -> property of the api */
  readonly fromApi: ReadonlyMap<string, string>;
  readonly declarations: ReadonlyMap<string, Declaration>;
}

interface Import {
  /** absolute path of a relative import, or the bare specifier */
  readonly source: string;
  /** the imported name, 'default' or '*' */
  readonly imported: string;
  readonly type: boolean;
}

interface ModuleSource {
  readonly path: string;
  readonly imports: ReadonlyMap<string, Import>;
  readonly declarations: ReadonlyMap<string, Declaration>;
  readonly enclosing: Enclosing | null;
}

const parseTs = (text: string): Node => parse(text, { sourceType: 'module', plugins: ['typescript'] }).program as unknown as Node;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

/**
 * Where a declaration's own comments start: the comments right above it (no
 * blank line between), not a file header that happens to precede it.
 */
function commentStart(text: string, node: Node): number {
  let from = node.start;
  const comments = (node.leadingComments ?? []) as { start: number; end: number }[];
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i] as { start: number; end: number };
    if (c.start === 0 || /\n[ \t]*\n/.test(text.slice(c.end, from))) break;
    from = c.start;
  }
  return from;
}

/** `text` of `node`, from its doc comment on, with `export ` dropped when `outer` is an export wrapper. */
function declarationText(text: string, outer: Node, inner: Node): string {
  const from = commentStart(text, outer);
  const head = text.slice(from, outer.start);
  const body = text.slice(inner.start, inner.end);
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const column = from - lineStart;
  const joined = head + body;
  if (column === 0) return joined;
  const pad = new RegExp(`^ {0,${column}}`);
  return joined
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.replace(pad, '')))
    .join('\n');
}

function declarationsOf(text: string, statements: readonly Node[], enclosing: Enclosing | null): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  for (const st of statements) {
    const inner = st.type === 'ExportNamedDeclaration' && isNode(st.declaration) ? st.declaration : st;
    const add = (name: string, kind: 'value' | 'type') =>
      out.set(name, { name, kind, text: declarationText(text, st, inner), node: inner, enclosing });
    if (inner.type === 'FunctionDeclaration' && isNode(inner.id)) add(inner.id.name as string, 'value');
    else if (inner.type === 'VariableDeclaration') {
      const decls = inner.declarations as Node[];
      // one declarator per statement: a copy of `const a = 1, b = 2` would have to split it
      if (decls.length === 1 && isNode(decls[0]?.id) && decls[0].id.type === 'Identifier') add(decls[0].id.name as string, 'value');
    } else if ((inner.type === 'TSInterfaceDeclaration' || inner.type === 'TSTypeAliasDeclaration') && isNode(inner.id))
      add(inner.id.name as string, 'type');
  }
  return out;
}

/** A user's `export default function design(api) { const { a, b } = api; function* f() {} ... }`. */
function enclosingOf(text: string, program: Node): Enclosing | null {
  const exp = (program.body as Node[]).find((s) => s.type === 'ExportDefaultDeclaration');
  const fn = exp && isNode(exp.declaration) ? exp.declaration : null;
  if (!fn || (fn.type !== 'FunctionDeclaration' && fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression')) return null;
  const param = (fn.params as Node[])[0];
  const apiParam = param?.type === 'Identifier' ? (param.name as string) : null;
  const body = isNode(fn.body) && fn.body.type === 'BlockStatement' ? (fn.body.body as Node[]) : [];
  const fromApi = new Map<string, string>();
  for (const st of body) {
    if (st.type !== 'VariableDeclaration') continue;
    for (const d of st.declarations as Node[]) {
      const init = d.init as Node | null;
      if (!isNode(d.id) || d.id.type !== 'ObjectPattern' || !init || init.type !== 'Identifier' || init.name !== apiParam) continue;
      for (const p of d.id.properties as Node[])
        if (p.type === 'ObjectProperty' && isNode(p.key) && isNode(p.value) && p.value.type === 'Identifier')
          fromApi.set(p.value.name as string, p.key.name as string);
    }
  }
  const enclosing: { apiParam: string | null; fromApi: Map<string, string>; declarations: Map<string, Declaration> } = {
    apiParam,
    fromApi,
    declarations: new Map(),
  };
  for (const [k, v] of declarationsOf(text, body, enclosing)) enclosing.declarations.set(k, v);
  return enclosing;
}

const modules = new Map<string, ModuleSource>();

function moduleSource(path: string): ModuleSource {
  const cached = modules.get(path);
  if (cached) return cached;
  const text = readFileSync(path, 'utf8');
  let program: Node;
  try {
    program = parseTs(text);
  } catch (e) {
    throw new SourceError(`cannot parse ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const imports = new Map<string, Import>();
  for (const st of program.body as Node[]) {
    if (st.type !== 'ImportDeclaration') continue;
    const spec = (st.source as Node).value as string;
    const source = spec.startsWith('.') ? resolve(dirname(path), spec) : spec;
    for (const s of st.specifiers as Node[]) {
      const local = (s.local as Node).name as string;
      const type = st.importKind === 'type' || s.importKind === 'type';
      if (s.type === 'ImportDefaultSpecifier') imports.set(local, { source, imported: 'default', type });
      else if (s.type === 'ImportNamespaceSpecifier') imports.set(local, { source, imported: '*', type });
      else {
        const imp = s.imported as Node;
        imports.set(local, { source, imported: (imp.name ?? imp.value) as string, type });
      }
    }
  }
  const m: ModuleSource = {
    path,
    imports,
    declarations: declarationsOf(text, program.body as Node[], null),
    enclosing: enclosingOf(text, program),
  };
  modules.set(path, m);
  return m;
}

/** What index.ts exports, by the module and name it re-exports. */
interface PublicApi {
  /** `${module}#${name}` -> the public name and whether it is a type */
  readonly named: ReadonlyMap<string, { name: string; type: boolean }>;
  /** module -> the namespace the API exports it as (`objects`, `errno`) */
  readonly namespaces: ReadonlyMap<string, string>;
  /** every public value name */
  readonly values: ReadonlySet<string>;
}

let publicApi: PublicApi | null = null;

function api(): PublicApi {
  if (publicApi) return publicApi;
  const named = new Map<string, { name: string; type: boolean }>();
  const namespaces = new Map<string, string>();
  const values = new Set<string>();
  // index.ts re-exports api.ts whole (`export *`): its exports are the API's too
  const files = [join(ROOT, 'index.ts')];
  for (const path of files)
    for (const st of parseTs(readFileSync(path, 'utf8')).body as Node[]) {
      if (st.type === 'ExportAllDeclaration' && !st.exported && isNode(st.source)) files.push(resolve(ROOT, st.source.value as string));
      if (st.type !== 'ExportNamedDeclaration') continue;
      if (!isNode(st.source)) {
        const d = st.declaration as Node | null;
        if (d?.type === 'VariableDeclaration')
          for (const v of d.declarations as Node[]) if (isNode(v.id) && v.id.type === 'Identifier') values.add(v.id.name as string);
        continue;
      }
      const from = resolve(ROOT, st.source.value as string);
      for (const s of st.specifiers as Node[]) {
        const exported = (s.exported as Node).name as string;
        if (s.type === 'ExportNamespaceSpecifier') {
          namespaces.set(from, exported);
          values.add(exported);
          continue;
        }
        const type = st.exportKind === 'type' || s.exportKind === 'type';
        named.set(`${from}#${(s.local as Node).name as string}`, { name: exported, type });
        if (!type) values.add(exported);
      }
    }
  publicApi = { named, namespaces, values };
  return publicApi;
}

/** What a copied text needs: from the API, by namespace, and as types. */
export interface Needs {
  /** api.X */
  readonly api: Set<string>;
  /** namespace -> members (objects.memory_lock) */
  readonly members: Map<string, Set<string>>;
  /** import type { X } from the package */
  readonly types: Set<string>;
  /** import type * as X from the package: a user file's namespace of the whole API, used in types (`k: Api.K`) */
  readonly apiNamespaces: Set<string>;
}

export const emptyNeeds = (): Needs => ({ api: new Set(), members: new Map(), types: new Set(), apiNamespaces: new Set() });

const TYPE_GLOBALS = new Set([
  'Record',
  'Partial',
  'Readonly',
  'ReadonlyArray',
  'ReadonlyMap',
  'ReadonlySet',
  'Required',
  'Pick',
  'Omit',
  'Exclude',
  'Extract',
  'NonNullable',
  'ReturnType',
  'Parameters',
  'InstanceType',
  'Awaited',
  'Generator',
  'Iterator',
  'Iterable',
  'IterableIterator',
  'PropertyKey',
  'unknown',
]);

/** The names a declaration refers to but does not declare itself, as values and as types. */
function freeNames(node: Node): { values: Set<string>; types: Set<string> } {
  const declared = new Set<string>();
  const values = new Set<string>();
  const types = new Set<string>();
  const bind = (p: unknown): void => {
    if (!isNode(p)) return;
    if (p.type === 'Identifier') declared.add(p.name as string);
    else if (p.type === 'ObjectPattern') for (const q of p.properties as Node[]) bind(q.type === 'RestElement' ? q.argument : q.value);
    else if (p.type === 'ArrayPattern') for (const q of p.elements as unknown[]) bind(q);
    else if (p.type === 'AssignmentPattern') bind(p.left);
    else if (p.type === 'RestElement') bind(p.argument);
    else if (p.type === 'TSParameterProperty') bind(p.parameter);
  };
  const walk = (n: unknown, parent: Node | null, key: string): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x, parent, key);
      return;
    }
    if (!isNode(n)) return;
    switch (n.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ObjectMethod':
      case 'ClassMethod':
        if (isNode(n.id)) declared.add(n.id.name as string);
        for (const p of n.params as Node[]) bind(p);
        break;
      case 'VariableDeclarator':
        bind(n.id);
        break;
      case 'CatchClause':
        bind(n.param);
        break;
      case 'ClassDeclaration':
        if (isNode(n.id)) declared.add(n.id.name as string);
        break;
      case 'TSTypeParameter':
        declared.add(n.name as string);
        break;
      case 'TSTypeReference': {
        let t = n.typeName as Node;
        while (t.type === 'TSQualifiedName') t = t.left as Node;
        if (t.type === 'Identifier') types.add(t.name as string);
        walk(n.typeParameters, n, 'typeParameters');
        return;
      }
      case 'Identifier': {
        const prop = (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') && key === 'property';
        const objKey =
          (parent?.type === 'ObjectProperty' ||
            parent?.type === 'ObjectMethod' ||
            parent?.type === 'ClassMethod' ||
            parent?.type === 'TSPropertySignature') &&
          key === 'key';
        if ((prop || objKey) && !parent?.computed) return;
        if (key === 'label') return;
        values.add(n.name as string);
        walk(n.typeAnnotation, n, 'typeAnnotation');
        return;
      }
    }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'leadingComments' || k === 'trailingComments' || k === 'innerComments' || k === 'loc' || k === 'extra') continue;
      if (typeof v === 'object' && v !== null) walk(v, n, k);
    }
  };
  walk(node, null, '');
  for (const d of declared) {
    values.delete(d);
    types.delete(d);
  }
  return { values, types };
}

const addMember = (needs: Needs, ns: string, name: string) => {
  needs.api.add(ns);
  let s = needs.members.get(ns);
  if (!s) needs.members.set(ns, (s = new Set()));
  s.add(name);
};

/** Declarations to copy, in dependency order, and what they need; shared across the functions of one file. */
export class Copier {
  readonly needs: Needs = emptyNeeds();
  /** name -> text of values, helpers before the functions that use them */
  readonly texts = new Map<string, string>();
  /** name -> text of types (they go at module level: they need nothing from the api) */
  readonly typeTexts = new Map<string, string>();
  private readonly origin = new Map<string, string>();

  /** Copies `decl` (and what it uses) into the file; `what` names it in errors. */
  copy(decl: Declaration, module: ModuleSource, what: string): void {
    const key = `${module.path}#${decl.name}#${decl.enclosing ? 'inner' : 'top'}`;
    const seen = this.origin.get(decl.name);
    if (seen === key) return;
    if (seen !== undefined) throw new SourceError(`${what}: two different declarations named ${decl.name} would be copied into one file`);
    this.origin.set(decl.name, key);
    const { values, types } = freeNames(decl.node);
    for (const n of values) this.resolve(n, false, module, decl, what);
    for (const n of types) this.resolve(n, true, module, decl, what);
    (decl.kind === 'type' ? this.typeTexts : this.texts).set(decl.name, decl.text);
  }

  private resolve(name: string, type: boolean, module: ModuleSource, decl: Declaration, what: string): void {
    if (!type && (name in globalThis || name === 'undefined')) return;
    if (type && (TYPE_GLOBALS.has(name) || name in globalThis)) return;
    const enc = decl.enclosing;
    if (enc) {
      if (name === enc.apiParam) {
        this.needs.api.add('');
        return;
      }
      const prop = enc.fromApi.get(name);
      if (prop !== undefined) {
        if (prop !== name) throw new SourceError(`${what} uses api.${prop} under the name ${name}; use the same name to copy it`);
        this.needs.api.add(prop);
        return;
      }
      const inner = enc.declarations.get(name);
      if (inner) return void this.copy(inner, module, what);
    }
    const imp = module.imports.get(name);
    if (imp) return void this.resolveImport(name, imp, type, what);
    const top = module.declarations.get(name);
    if (top) {
      // the API's own export of this very declaration, rather than a copy of it
      const named = api().named.get(`${module.path}#${name}`);
      if (named?.name === name) {
        if (named.type || type) this.needs.types.add(name);
        else this.needs.api.add(name);
        return;
      }
      // a type the API exports under another name (the model's K is the API's TypedK): imported under the model's
      if (named !== undefined && (named.type || type)) return void this.needs.types.add(`${named.name} as ${name}`);
      return void this.copy(top, module, what);
    }
    throw new SourceError(`${what} uses ${name}, which is neither declared in ${module.path} nor imported there`);
  }

  private resolveImport(name: string, imp: Import, type: boolean, what: string): void {
    const pub = api();
    const ns = pub.namespaces.get(imp.source);
    if (imp.imported === '*') {
      // the whole public API as a type namespace, as docs/variants.md writes a user's file: the copy imports it so too
      if (imp.source === join(ROOT, 'index.ts') && (type || imp.type)) {
        this.needs.apiNamespaces.add(name);
        return;
      }
      if (ns === undefined)
        throw new SourceError(`${what} uses the namespace ${name} (${imp.source}), which the public API does not export`);
      if (ns !== name) throw new SourceError(`${what} uses the API's ${ns} under the name ${name}; use the same name to copy it`);
      this.needs.api.add(ns);
      return;
    }
    if (ns !== undefined && !imp.type && !type) {
      if (imp.imported !== name) throw new SourceError(`${what} imports ${imp.imported} as ${name}; use the same name to copy it`);
      addMember(this.needs, ns, name);
      return;
    }
    const named = pub.named.get(`${imp.source}#${imp.imported}`);
    if (named) {
      if (named.name !== name) {
        if (named.type || type || imp.type) return void this.needs.types.add(`${named.name} as ${name}`);
        throw new SourceError(`${what} uses ${named.name} of the public API under the name ${name}`);
      }
      if (named.type || type || imp.type) this.needs.types.add(name);
      else this.needs.api.add(name);
      return;
    }
    // a model module's own declaration that the API does not export: copy it, as the model has it
    if (imp.source.startsWith(`${MODEL}/`) && imp.imported !== 'default') {
      const m = moduleSource(imp.source.endsWith('.ts') ? imp.source : `${imp.source}.ts`);
      const d = m.declarations.get(imp.imported);
      if (d && imp.imported === name) return void this.copy(d, m, what);
    }
    throw new SourceError(`${what} uses ${name} from ${imp.source}, which the public API (index.ts) does not export`);
  }
}

/** Where a running model function was declared: found by identity among the model's modules, or by name in a user's module. */
export interface FunctionSource {
  readonly module: ModuleSource;
  readonly declaration: Declaration;
}

let exported: Map<unknown, { path: string; name: string }[]> | null = null;

async function modelExports(): Promise<Map<unknown, { path: string; name: string }[]>> {
  if (exported) return exported;
  const { readdirSync } = await import('node:fs');
  const map = new Map<unknown, { path: string; name: string }[]>();
  for (const dir of MODEL_DIRS) {
    for (const f of readdirSync(join(MODEL, dir))) {
      if (!f.endsWith('.ts')) continue;
      const path = join(MODEL, dir, f);
      const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      for (const [name, v] of Object.entries(mod)) {
        if (typeof v !== 'function') continue;
        const list = map.get(v) ?? [];
        list.push({ path, name });
        map.set(v, list);
      }
    }
  }
  exported = map;
  return map;
}

/** The source of `fn`, the implementation of table entry `entry`, or 'primitive' for the engine's primitives; `userModule`: the design's own file. */
export async function sourceOf(fn: unknown, entry: string, userModule: string | null): Promise<FunctionSource | 'primitive'> {
  if (entry in primitiveTable && (primitiveTable as Record<string, unknown>)[entry] === fn) return 'primitive';
  for (const { path, name } of (await modelExports()).get(fn) ?? []) {
    const module = moduleSource(path);
    const declaration = module.declarations.get(name);
    if (declaration?.kind === 'value') return { module, declaration };
  }
  const fnName = typeof fn === 'function' ? fn.name : '';
  if (userModule && fnName) {
    const module = moduleSource(resolve(userModule));
    const declaration = module.declarations.get(fnName) ?? module.enclosing?.declarations.get(fnName);
    if (declaration?.kind === 'value') return { module, declaration };
  }
  throw new SourceError(`cannot find the TypeScript source of ${entry} (function ${fnName || '(anonymous)'})`);
}

/** A copied declaration's line-by-line indentation, leaving the inside of template literals as it is. */
export function indent(text: string, pad: string): string {
  let inTemplate = false;
  return text
    .split('\n')
    .map((l) => {
      const out = inTemplate || l === '' ? l : pad + l;
      // an odd number of unescaped backticks toggles whether the next line starts inside a template literal
      const ticks = (l.replace(/\\./g, '').match(/`/g) ?? []).length;
      if (ticks % 2 === 1) inTemplate = !inTemplate;
      return out;
    })
    .join('\n');
}
