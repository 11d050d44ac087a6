import { parse } from '@babel/parser';

/**
 * tsx compiles with esbuild's keepNames, which wraps each function expression
 * that takes its name from where it stands in `__name(fn, "name")`, e.g. the
 * `fire: (w) => ...` of a scheduling point, made at every step: an
 * Object.defineProperty at each creation, a tenth of random mode's time. Where
 * the language would infer that very name for the bare function (an object
 * property of that key, a variable or an assignment of that name), the call
 * is dropped and the function left bare: the same name, at no cost. A call
 * around anything else (the compiled engine's `__rt.cap(...)`, a named
 * function) is kept, since the name is not inferred there.
 */
/** esbuild's helper, as its output defines it: no other `__name` is touched */
const HELPER = 'var __name = (target, value) => __defProp(target, "name"';

export function inferNames(js: string): string {
  if (!js.includes(HELPER)) return js;
  const ast = parse(js, { sourceType: 'module' });
  // [start, end, text in its place]: a dropped call may hold others, inside its function
  const edits: [number, number, string][] = [];
  visit(ast.program as unknown as Node, null, (node, parent) => {
    const wrapped = unwrappable(node);
    if (wrapped === null || parent === null || !infersName(parent, node, wrapped.name)) return;
    const { fn, cap, name } = wrapped;
    const start = node.start as number;
    const end = node.end as number;
    if (cap === null) {
      edits.push([start, fn.start as number, ''], [fn.end as number, end, '']);
      return;
    }
    // the compiled engine's tag around a closure (made in plain code, or a point's closure over the locals it
    // captures): the function is named in an object literal instead, which costs an object, not a defineProperty
    const key = JSON.stringify(name);
    edits.push(
      [start, cap.start as number, ''],
      [fn.start as number, fn.start as number, `({ ${key}: `],
      [fn.end as number, fn.end as number, ` })[${key}]`],
      [cap.end as number, end, ''],
    );
  });
  let out = '';
  let at = 0;
  for (const [start, end, text] of edits.sort((a, b) => a[0] - b[0])) {
    out += js.slice(at, start) + text;
    at = end;
  }
  return out + js.slice(at);
}

type Node = { type: string; start?: number | null; end?: number | null; [k: string]: unknown };

/**
 * `__name(<anonymous function or arrow>, "name")`, or `__name(__rt.cap(<one>, ...), "name")`
 * (cap: that call): the function, the cap call and the name.
 */
function unwrappable(node: Node): { fn: Node; cap: Node | null; name: string } | null {
  if (node.type !== 'CallExpression') return null;
  const callee = node.callee as Node;
  const args = node.arguments as Node[];
  if (callee.type !== 'Identifier' || callee.name !== '__name' || args.length !== 2) return null;
  const [inner, name] = args as [Node, Node];
  if (name.type !== 'StringLiteral') return null;
  const cap = isCap(inner) ? inner : null;
  const fn = cap === null ? inner : madeBy((cap.arguments as Node[])[0] as Node);
  return anonymous(fn) ? { fn, cap, name: name.value as string } : null;
}

/**
 * The function a cap's first argument makes: itself, or, for the transform's
 * capture of locals `((lock, me) => (w) => ...)(lock, me)`, the function that
 * call returns (named where it stands, inside the capturing arrow).
 */
function madeBy(arg: Node): Node {
  if (arg.type !== 'CallExpression') return arg;
  const callee = arg.callee as Node;
  return callee.type === 'ArrowFunctionExpression' && anonymous(callee.body as Node) ? (callee.body as Node) : arg;
}

function anonymous(fn: Node): boolean {
  return fn.type === 'ArrowFunctionExpression' || (fn.type === 'FunctionExpression' && fn.id === null);
}

/** `__rt.cap(f, ...)`: what the compiled transform makes of a closure (runtime.ts cap returns f) */
function isCap(node: Node): boolean {
  if (node.type !== 'CallExpression' || (node.arguments as Node[]).length === 0) return false;
  const c = node.callee as Node;
  const o = c.object as Node | undefined;
  const p = c.property as Node | undefined;
  return c.type === 'MemberExpression' && !c.computed && o?.type === 'Identifier' && o.name === '__rt' && p?.name === 'cap';
}

/** Whether a bare function standing where `node` does would be named `name` by the language. */
function infersName(parent: Node, node: Node, name: string): boolean {
  const key = (k: unknown): string | null => {
    const n = k as Node;
    return n.type === 'Identifier' ? (n.name as string) : n.type === 'StringLiteral' ? (n.value as string) : null;
  };
  if (parent.type === 'ObjectProperty') return parent.value === node && !parent.computed && key(parent.key) === name;
  if (parent.type === 'VariableDeclarator')
    return parent.init === node && key(parent.id) === name && (parent.id as Node).type === 'Identifier';
  if (parent.type === 'AssignmentExpression')
    return parent.right === node && parent.operator === '=' && (parent.left as Node).type === 'Identifier' && key(parent.left) === name;
  return false;
}

/** Every node under `node` with its parent, depth first. */
function visit(node: Node, parent: Node | null, f: (node: Node, parent: Node | null) => void): void {
  f(node, parent);
  for (const k in node) {
    if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments' || k === 'innerComments') continue;
    const v = node[k];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof (c as Node).type === 'string') visit(c as Node, node, f);
    } else if (v && typeof (v as Node).type === 'string') visit(v as Node, node, f);
  }
}
