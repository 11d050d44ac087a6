/**
 * The load-time transform of model code into the compiled form (docs/engine.md).
 * Each generator function keeps its native body and gains a compiled sibling;
 * the function itself becomes a wrapper that picks one by the engine's mode:
 *
 *   1. split: every generator becomes `dual(G(function* native), C(function* copy), name)`;
 *      in the copy, closures capture the generator's locals by value (an IIFE), and
 *      for-of loops that suspend become index loops (an iterator is not data);
 *   2. regenerator (@babel/plugin-transform-regenerator) turns each copy into a
 *      state machine over its context;
 *   3. the copy's parameters and hoisted locals move into the context (`_context.$x`),
 *      so the frame alone is the activation.
 * A construct outside the subset is reported by check(); built-in model code
 * must be inside it, a user's file falls back to the native form.
 */
import { type NodePath, type PluginObj, type types as T, transformFromAstSync, transformSync } from '@babel/core';
// @ts-expect-error: the plugin ships no types
import regenerator from '@babel/plugin-transform-regenerator';
import { type LiveTable, liveTable } from './liveness.ts';

export interface Compiled {
  readonly code: string;
  /** why the file was left native (one line), or null when it compiled */
  readonly outside: string | null;
}

/** A construct outside the compiled subset: `line` is the one line to show (Babel prefixes the message). */
export class SubsetError extends Error {
  constructor(readonly line: string) {
    super(line);
  }
}

const RT = '__rt';

function isRt(node: T.Node | null | undefined, name: string): boolean {
  return (
    // Stryker disable next-line OptionalChaining: the value is always there at this point
    node?.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    node.callee.object.type === 'Identifier' &&
    node.callee.object.name === RT &&
    node.callee.property.type === 'Identifier' &&
    node.callee.property.name === name
  );
}

export function hasGenerators(code: string): boolean {
  return /function\s*\*|\*\s*\[?[A-Za-z_$][\w$]*\]?\s*\(/.test(code) && code.includes('yield');
}

/**
 * compileModelSource(js, file, runtime): `runtime` is the specifier of
 * checker/compiled/runtime.ts for the importing module system. Throws a
 * SubsetError naming file, line and construct when the code is outside the subset.
 */
export function compileModelSource(code: string, file: string, runtime: string, lineOf?: (line: number, column: number) => number): string {
  linesOf = lineOf ?? null;
  try {
    return compileUnchecked(code, file, runtime);
  } catch (e) {
    throw e instanceof SubsetError ? new SubsetError(e.line) : e;
  } finally {
    linesOf = null;
  }
}

/**
 * The file's lines for the code being compiled, when that code was made from
 * it (load.ts modelJavaScript); module state because every check and location
 * string names one, and the transform is synchronous.
 */
let linesOf: ((line: number, column: number) => number) | null = null;

function compileUnchecked(code: string, file: string, runtime: string): string {
  if (!hasGenerators(code)) return code;
  // Stryker disable next-line ObjectLiteral: Babel's defaults (no Babel config in the repository, module source) do the same here
  const opts = { babelrc: false, configFile: false, sourceType: 'module' as const, filename: file, compact: false, retainLines: false };
  const one = transformSync(code, { ...opts, ast: true, code: false, plugins: [split(file)] });
  // Stryker disable next-line OptionalChaining: Babel returns the AST it is asked for
  if (!one?.ast) return code;
  const two = transformFromAstSync(one.ast, undefined, { ...opts, ast: false, code: true, plugins: [hideNative, regenerator, showNative] });
  // Stryker disable next-line OptionalChaining: Babel returns the code it is asked for
  if (!two?.code) return code;
  const three = transformSync(two.code, { ...opts, plugins: [intoContext(runtime)] });
  // Stryker disable next-line OptionalChaining: Babel returns the code it is asked for
  return three?.code ?? code;
}

function where(file: string, node: T.Node): string {
  const at = node.loc?.start;
  if (!at) return `${file}:?`;
  return `${file}:${linesOf ? linesOf(at.line, at.column) : at.line}`;
}

function fail(file: string, node: T.Node, construct: string): never {
  throw new SubsetError(`${where(file, node)}: ${construct} is outside the compiled subset (docs/engine.md)`);
}

function nameOf(path: NodePath<T.Function>): string {
  const n = path.node;
  if ((n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression') && n.id) return n.id.name;
  if (n.type === 'ObjectMethod' || n.type === 'ClassMethod') {
    if (n.computed) return '';
    return n.key.type === 'Identifier' ? n.key.name : n.key.type === 'StringLiteral' ? n.key.value : '';
  }
  const p = path.parent;
  if (p.type === 'ObjectProperty' && !p.computed)
    return p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : '';
  if (p.type === 'VariableDeclarator' && p.id.type === 'Identifier') return p.id.name;
  return '';
}

function rt(t: typeof T, name: string, args: T.Expression[]): T.CallExpression {
  return t.callExpression(t.memberExpression(t.identifier(RT), t.identifier(name)), args);
}

function asExpression(t: typeof T, n: T.Function): T.FunctionExpression {
  return t.functionExpression(null, n.params as T.FunctionExpression['params'], n.body as T.BlockStatement, true, false);
}

/** Pass 1: every generator function gets its native body and a compiled copy. */
function split(file: string) {
  return ({ types: t }: { types: typeof T }): PluginObj => {
    const seen = new WeakSet<T.Node>();
    return {
      visitor: {
        Program: {
          exit(path) {
            tagPlainClosures(t, path);
            path.unshiftContainer(
              'body',
              t.importDeclaration([t.importNamespaceSpecifier(t.identifier(RT))], t.stringLiteral('__RUNTIME__')),
            );
          },
        },
        Function: {
          exit(path) {
            const n = path.node;
            if (!n.generator || seen.has(n)) return;
            if (n.async) fail(file, n, 'an async generator');
            if (isRt(path.parent, 'G') || isRt(path.parent, 'C')) return;
            const name = nameOf(path);
            const native = t.cloneNode(asExpression(t, n), true);
            const copy = t.cloneNode(asExpression(t, n), true);
            seen.add(native);
            seen.add(copy);
            const pair = rt(t, 'dual', [rt(t, 'G', [native]), rt(t, 'C', [copy]), t.stringLiteral(name)]);
            let copyPath: NodePath | undefined;
            if (n.type === 'FunctionDeclaration' && n.id) {
              // the wrapper stays a hoisted declaration (import cycles see it before the module body runs)
              const id = n.id.name;
              const g = t.identifier(`${id}$native`);
              const c = t.identifier(`${id}$compiled`);
              const pick = t.conditionalExpression(
                t.memberExpression(t.memberExpression(t.identifier(RT), t.identifier('mode')), t.identifier('on')),
                c,
                g,
              );
              const wrapper = t.functionDeclaration(
                t.identifier(id),
                [],
                t.blockStatement([
                  t.returnStatement(
                    t.callExpression(t.memberExpression(pick, t.identifier('apply')), [t.thisExpression(), t.identifier('arguments')]),
                  ),
                ]),
              );
              const decl = t.variableDeclaration('var', [
                t.variableDeclarator(t.cloneNode(g), rt(t, 'G', [native])),
                t.variableDeclarator(t.cloneNode(c), rt(t, 'C', [copy])),
              ]);
              const body = (path.parentPath.isExportNamedDeclaration() ? path.parentPath.parentPath : path.parentPath) as NodePath<
                T.Program | T.BlockStatement
              >;
              path.replaceWith(wrapper);
              seen.add(path.node);
              // the wrapper's source says nothing of the body: an analysis of the source reads the native one
              body.unshiftContainer('body', t.expressionStatement(rt(t, 'nativeIs', [t.identifier(id), t.cloneNode(g)])));
              const [inserted] = body.unshiftContainer('body', decl);
              copyPath = (inserted as NodePath<T.VariableDeclaration>).get('declarations.1.init.arguments.0') as NodePath;
            } else if (n.type === 'ObjectMethod') {
              if (n.computed) fail(file, n, 'a generator method with a computed name');
              const [replaced] = path.replaceWith(t.objectProperty(t.cloneNode(n.key), pair));
              copyPath = replaced.get('value.arguments.1.arguments.0') as NodePath;
            } else if (n.type === 'ClassMethod') {
              if (n.computed || n.kind !== 'method' || n.key.type !== 'Identifier')
                fail(file, n, 'a generator class member that is not a plain method');
              const cls = path.parentPath.parentPath as NodePath<T.ClassDeclaration>;
              if (!cls.isClassDeclaration() || !cls.node.id) fail(file, n, 'a generator method of an anonymous class');
              const owner = n.static
                ? t.identifier(cls.node.id.name)
                : t.memberExpression(t.identifier(cls.node.id.name), t.identifier('prototype'));
              const assign = t.expressionStatement(t.assignmentExpression('=', t.memberExpression(owner, t.identifier(n.key.name)), pair));
              const after = cls.parentPath.isExportNamedDeclaration() ? cls.parentPath : cls;
              path.remove();
              const [inserted] = after.insertAfter(assign);
              copyPath = (inserted as NodePath).get('expression.right.arguments.1.arguments.0') as NodePath;
            } else {
              const [replaced] = path.replaceWith(pair);
              copyPath = replaced.get('arguments.1.arguments.0') as NodePath;
            }
            prepareCopy(t, file, copyPath as NodePath<T.FunctionExpression>);
          },
        },
      },
    };
  };
}

/** In the copy: closures capture locals by value, suspending for-of loops index, and nothing outside the subset. */
function prepareCopy(t: typeof T, file: string, fn: NodePath<T.FunctionExpression>): void {
  fn.scope.crawl();
  const own = (b: { scope: { getFunctionParent(): unknown } } | undefined) => b !== undefined && b.scope.getFunctionParent() === fn.scope;
  fn.traverse({
    Identifier(p) {
      if (p.node.name === 'arguments' && p.isReferencedIdentifier() && p.scope.getFunctionParent() === fn.scope)
        fail(file, p.node, '`arguments`');
    },
    ForInStatement(p) {
      if (containsYield(p.node)) fail(file, p.node, 'a for-in loop around a yield');
    },
    ForOfStatement: {
      exit(p) {
        // Stryker disable next-line OptionalChaining: the value is always there at this point (the loop is inside the copy)
        if (p.getFunctionParent()?.node !== fn.node) return;
        // Stryker disable next-line StringLiteral: unreachable: for await needs an async function, and async generators are refused first
        if (p.node.await) fail(file, p.node, 'for await');
        const left = p.node.left;
        if (left.type !== 'VariableDeclaration') fail(file, p.node, 'a for-of loop without its own declaration');
        // no yield in it: its iterator never outlives a step, so it iterates as written (live, return() on an exit)
        if (!containsYield(p.node)) {
          if (contains(p.node, LEAPS)) (outerOf(p) as NodePath).replaceWith(iteratorLoop(t, p, left));
          return;
        }
        // Stryker disable next-line StringLiteral: the prefix of a generated unique name; any prefix gives a unique name
        const arr = p.scope.generateUidIdentifier('of');
        // Stryker disable next-line StringLiteral: the prefix of a generated unique name; any prefix gives a unique name
        const i = p.scope.generateUidIdentifier('i');
        const src = p.node.right;
        const decl = left.declarations[0] as T.VariableDeclarator;
        // an array is read live, as its iterator does; a Set, a Map or another iterable is listed when the loop
        // starts and must not change in it; a generator is refused (runtime.ts items, bound)
        // Stryker disable next-line StringLiteral: the prefix of a generated unique name; any prefix gives a unique name
        const once = p.scope.generateUidIdentifier('src');
        const at = t.stringLiteral(where(file, p.node));
        const init = rt(t, 'items', [t.cloneNode(once), at]);
        const body = t.blockStatement([
          t.variableDeclaration(left.kind, [t.variableDeclarator(decl.id, t.memberExpression(t.cloneNode(arr), t.cloneNode(i), true))]),
          // Stryker disable next-line StringLiteral: a block as the one statement of the new body is the same loop body
          ...(p.node.body.type === 'BlockStatement' ? p.node.body.body : [p.node.body]),
        ]);
        (outerOf(p) as NodePath).replaceWith(
          t.blockStatement([
            t.variableDeclaration('const', [t.variableDeclarator(once, src)]),
            t.variableDeclaration('const', [t.variableDeclarator(arr, init)]),
            labelled(
              t,
              p,
              t.forStatement(
                t.variableDeclaration('let', [t.variableDeclarator(i, t.numericLiteral(0))]),
                t.binaryExpression('<', t.cloneNode(i), rt(t, 'bound', [t.cloneNode(once), t.cloneNode(arr), t.cloneNode(at)])),
                t.updateExpression('++', t.cloneNode(i)),
                body,
              ),
            ),
          ]),
        );
      },
    },
  });
  // regenerator hoists declarations as plain names: patterns are spelt out first
  fn.traverse({
    // Stryker disable next-line BlockStatement: spelling out the patterns of nested functions too keeps their meaning
    Function(p) {
      p.skip();
    },
    VariableDeclaration(p) {
      if (!p.node.declarations.some((d) => d.id.type !== 'Identifier')) return;
      if (p.parentPath.isForXStatement()) fail(file, p.node, 'a destructuring loop head');
      const out: T.VariableDeclarator[] = [];
      for (const d of p.node.declarations) spell(t, file, p, d.id as T.LVal, d.init ?? t.identifier('undefined'), out);
      p.replaceWith(t.variableDeclaration(p.node.kind, out));
      p.skip();
    },
    AssignmentExpression(p) {
      if (p.node.left.type === 'ObjectPattern' || p.node.left.type === 'ArrayPattern') fail(file, p.node, 'a destructuring assignment');
    },
  });
  // the copy is named, so its closures can say which compiled function made them (runtime.ts cap)
  // Stryker disable next-line StringLiteral: the prefix of a generated unique name; any prefix gives a unique name
  fn.node.id ??= fn.scope.generateUidIdentifier('frames');
  const self = fn.node.id.name;
  let site = 0;
  const tagged = new WeakSet<T.Node>();
  fn.scope.crawl();
  fn.traverse({
    Function(p) {
      if (p.node.generator || tagged.has(p.node)) return; // a nested generator was split already; its own copies capture below
      const mine = p.findParent((q) => q.isFunction() && (q.node as T.Function).generator === true)?.node === fn.node;
      const captured = new Set<string>();
      p.traverse({
        Identifier(q) {
          if (!q.isReferencedIdentifier()) return;
          const b = q.scope.getBinding(q.node.name);
          if (!own(b)) return;
          // Stryker disable next-line OptionalChaining: the value is always there at this point (own(b) checked it)
          if (!b?.constant) fail(file, q.node, `a closure capturing \`${q.node.name}\`, which is reassigned`);
          // captured by value (below): the closure would keep a value the frame's local no longer is
          if (b.kind !== 'param' && (p.isDescendant(b.path) || after(b.identifier, p.node)))
            fail(file, q.node, `a closure capturing \`${q.node.name}\` before its declaration is done (itself, or a later local)`);
          // a snapshot copies the frame's arrays and objects, not the closure's: the two would part
          if (!calledAtOnce(p) && changedInPlace(b))
            fail(file, q.node, `a closure capturing \`${q.node.name}\`, which is changed in place`);
          captured.add(q.node.name);
        },
      });
      if (p.node.type === 'FunctionDeclaration') fail(file, p.node, 'a function declared inside a generator');
      const method = p.node.type === 'ObjectMethod' || p.node.type === 'ClassMethod' || p.node.type === 'ClassPrivateMethod';
      if (captured.size === 0 && (method || !mine)) return;
      if (method) fail(file, p.node, 'a method capturing a local (write it as an arrow)');
      tagged.add(p.node);
      const names = [...captured];
      // capture by value: the frame's locals move into its context, which the search copies
      let made: T.Expression =
        names.length === 0
          ? (p.node as T.Expression)
          : t.callExpression(
              t.arrowFunctionExpression(
                names.map((x) => t.identifier(x)),
                p.node as T.Expression,
              ),
              names.map((x) => t.identifier(x)),
            );
      if (mine)
        // Stryker disable next-line UpdateOperator: sites only need to differ within the copy, in either direction
        made = rt(t, 'cap', [made, t.identifier(self), t.numericLiteral(site++), t.arrayExpression(names.map((x) => t.identifier(x)))]);
      p.replaceWith(made);
      p.skip();
    },
  });
}

/** Methods that change an array (or, on a local made by `new Map`/`new Set`, the collection) in place. */
const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);
const COLLECTION_MUTATORS = new Set(['set', 'add', 'delete', 'clear']);

/**
 * Whether a local's value is changed in place anywhere in the generator, the ways one
 * can see: a member of it (at any depth) assigned, updated or deleted, an array method
 * that changes it called, a Map's or Set's made here set. Not through an alias or a callee.
 */
function changedInPlace(b: { path: NodePath; referencePaths: NodePath[] }): boolean {
  const init = b.path.isVariableDeclarator() ? b.path.node.init : null;
  const collection =
    init?.type === 'NewExpression' && init.callee.type === 'Identifier' && (init.callee.name === 'Map' || init.callee.name === 'Set');
  return b.referencePaths.some((r) => {
    let top: NodePath = r;
    while (top.parentPath?.isMemberExpression() && top.parentPath.node.object === top.node) top = top.parentPath;
    if (top === r) return false;
    const par = top.parentPath;
    const n = top.node as T.MemberExpression;
    if (par?.isAssignmentExpression() && par.node.left === n) return true;
    if (par?.isUpdateExpression() || (par?.isUnaryExpression() && par.node.operator === 'delete')) return true;
    if (!par?.isCallExpression() || par.node.callee !== n || n.property.type !== 'Identifier' || n.computed) return false;
    const m = n.property.name;
    return ARRAY_MUTATORS.has(m) || (collection && COLLECTION_MUTATORS.has(m));
  });
}

/** Whether node a begins after node b in the source (the copies keep the written positions, not offsets). */
function after(a: T.Node, b: T.Node): boolean {
  const x = a.loc?.start;
  const y = b.loc?.start;
  return x !== undefined && y !== undefined && (x.line > y.line || (x.line === y.line && x.column > y.column));
}

/** Array methods that call their callback before they return and keep no reference to it. */
const AT_ONCE = new Set([
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'filter',
  'map',
  'flatMap',
  'forEach',
  'reduce',
  'reduceRight',
  'sort',
  'toSorted',
]);

/** `xs.find((b) => !seen.includes(b))`: the closure is gone before the next yield, so no snapshot parts it from the frame. */
function calledAtOnce(p: NodePath<T.Function>): boolean {
  const call = p.parentPath;
  if (!call?.isCallExpression() || !call.node.arguments.includes(p.node as T.Expression)) return false;
  const callee = call.node.callee;
  return (
    callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && AT_ONCE.has(callee.property.name)
  );
}

const MODULE_SITE = '__frames_module';

/**
 * Closures made outside generators (an adapter's `() => release()`) get a tag
 * too, with the module as their maker and the enclosing functions' locals they
 * use as their values, when every such local is constant and they use no
 * `this` or `arguments` of their own scope; others stay untagged (identified
 * by the object: sound, only less merging). Closures in generators were tagged
 * with their copy (prepareCopy); natives need none.
 */
function tagPlainClosures(t: typeof T, program: NodePath<T.Program>): void {
  let site = 0;
  let used = false;
  program.scope.crawl();
  // the locals of enclosing functions `fn` uses, or null when one is reassigned or it uses an outer `this` or `arguments`
  const capturedBy = (fn: NodePath): string[] | null => {
    const values = new Set<string>();
    let ok = true;
    fn.traverse({
      ThisExpression(q) {
        if (q.getFunctionParent() === fn || q.getFunctionParent()?.isArrowFunctionExpression()) ok = false;
      },
      Identifier(q) {
        if (q.node.name === 'arguments' && q.isReferencedIdentifier()) ok = false;
        if (!q.isReferencedIdentifier()) return;
        const b = q.scope.getBinding(q.node.name);
        if (!b || b.scope === program.scope || b.scope.path.isDescendant(fn) || b.scope.path === fn) return;
        if (!b.constant) ok = false;
        values.add(q.node.name);
      },
    });
    return ok ? [...values] : null;
  };
  const capOf = (f: T.Expression, values: readonly string[]) =>
    rt(t, 'cap', [f, t.identifier(MODULE_SITE), t.numericLiteral(site++), t.arrayExpression(values.map((x) => t.identifier(x)))]);
  program.traverse({
    CallExpression(p) {
      // a generator made in a plain function (an operation's arrow handing one to a helper): a new wrapper and
      // compiled copy per call, which its frames and the locals holding it are identified by; the copy gets a
      // tag (dual passes it to the wrapper), so generators made at one place from equal values are equal
      if (!isRt(p.node, 'dual') || !p.getFunctionParent() || isRt(p.parent, 'cap')) return;
      const native = p.get('arguments.0.arguments.0') as NodePath;
      const copy = p.get('arguments.1') as NodePath<T.Expression>;
      if (!native.isFunctionExpression() || !isRt(copy.node, 'C')) return;
      const values = capturedBy(native);
      if (values === null) return;
      used = true;
      copy.replaceWith(capOf(copy.node, values));
      p.skip();
    },
    Function(p) {
      if (p.node.generator) {
        p.skip();
        return;
      }
      if (p.node.type !== 'ArrowFunctionExpression' && p.node.type !== 'FunctionExpression') return;
      if (p.parentPath.isCallExpression() && isRt(p.parent, 'cap')) return;
      if (!p.getFunctionParent()) return; // a module-level function is made once
      // Stryker disable next-line LogicalOperator,EqualityOperator,StringLiteral: tagging a function that is called at once and dropped changes nothing
      if (p.parentPath.isCallExpression() && p.parent.type === 'CallExpression' && p.parent.callee === p.node) return;
      const values = capturedBy(p);
      if (values === null) return;
      used = true;
      p.replaceWith(capOf(p.node as T.Expression, values));
      p.skip();
    },
  });
  if (used) program.unshiftContainer('body', t.functionDeclaration(t.identifier(MODULE_SITE), [], t.blockStatement([])));
}

/** What regenerator must rewrite a statement for (it rewrites no for-of loop: they are spelt out first). */
const LEAPS = new Set(['YieldExpression', 'BreakStatement', 'ContinueStatement', 'ReturnStatement', 'ThrowStatement']);

/**
 * `for (const x of e) body` without a yield, spelt out as the language runs it, for
 * regenerator (which takes no for-of): one iterator, return() when the body leaves
 * early (break, return, throw), none when next() throws; the iterator is gone after
 * the loop, so no frame holds it.
 */
/** A labelled for-of is replaced with its label: the label moves to the loop that replaces it (`continue outer` needs a loop). */
function outerOf(p: NodePath<T.ForOfStatement>): NodePath {
  return p.parentPath.isLabeledStatement() ? p.parentPath : p;
}

function labelled(t: typeof T, p: NodePath<T.ForOfStatement>, loop: T.Statement): T.Statement {
  const par = p.parent;
  return par.type === 'LabeledStatement' ? t.labeledStatement(t.identifier(par.label.name), loop) : loop;
}

function iteratorLoop(t: typeof T, p: NodePath<T.ForOfStatement>, left: T.VariableDeclaration): T.Statement {
  const it = p.scope.generateUidIdentifier('it');
  const r = p.scope.generateUidIdentifier('r');
  const decl = left.declarations[0] as T.VariableDeclarator;
  const iterate = t.callExpression(
    t.memberExpression(p.node.right, t.memberExpression(t.identifier('Symbol'), t.identifier('iterator')), true),
    [],
  );
  const step = [
    t.expressionStatement(t.assignmentExpression('=', t.cloneNode(r), t.identifier('undefined'))),
    t.expressionStatement(
      t.assignmentExpression('=', t.cloneNode(r), t.callExpression(t.memberExpression(t.cloneNode(it), t.identifier('next')), [])),
    ),
    t.ifStatement(t.memberExpression(t.cloneNode(r), t.identifier('done')), t.breakStatement()),
    t.variableDeclaration(left.kind, [t.variableDeclarator(decl.id, t.memberExpression(t.cloneNode(r), t.identifier('value')))]),
    ...(p.node.body.type === 'BlockStatement' ? p.node.body.body : [p.node.body]),
  ];
  const close = t.ifStatement(
    t.logicalExpression('&&', t.cloneNode(r), t.unaryExpression('!', t.memberExpression(t.cloneNode(r), t.identifier('done')))),
    t.expressionStatement(
      t.optionalCallExpression(t.optionalMemberExpression(t.cloneNode(it), t.identifier('return'), false, false), [], true),
    ),
  );
  const clear = t.expressionStatement(
    t.assignmentExpression('=', t.cloneNode(it), t.assignmentExpression('=', t.cloneNode(r), t.identifier('undefined'))),
  );
  return t.blockStatement([
    t.variableDeclaration('let', [t.variableDeclarator(it, iterate), t.variableDeclarator(r)]),
    t.tryStatement(
      t.blockStatement([labelled(t, p, t.forStatement(null, null, null, t.blockStatement(step)))]),
      null,
      t.blockStatement([close, clear]),
    ),
  ]);
}

function containsYield(node: T.Node): boolean {
  return contains(node, YIELD);
}
const YIELD = new Set(['YieldExpression']);

function contains(node: T.Node, types: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (n: unknown): void => {
    if (found || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const node = n as T.Node;
    if (typeof node.type !== 'string') return;
    if (types.has(node.type)) found = true;
    if (
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression' ||
      node.type === 'FunctionDeclaration' ||
      node.type === 'ObjectMethod' ||
      node.type === 'ClassMethod'
    )
      return;
    for (const k of Object.keys(node)) {
      // Stryker disable next-line LogicalOperator,StringLiteral: locations and comments hold no yield
      if (k !== 'loc' && k !== 'leadingComments' && k !== 'trailingComments') visit((node as unknown as Record<string, unknown>)[k]);
    }
  };
  visit(node);
  return found;
}

/** The native bodies are left to V8: regenerator must not see them as generators. */
const hidden: T.Function[] = [];
const hideNative = (): PluginObj => ({
  visitor: {
    Program(path) {
      path.traverse({
        CallExpression(p) {
          if (!isRt(p.node, 'G')) return;
          const f = p.node.arguments[0] as T.Function;
          if (f.generator) {
            f.generator = false;
            hidden.push(f);
          }
        },
      });
    },
  },
});
const showNative = (): PluginObj => ({
  visitor: {
    Program: {
      exit() {
        for (const f of hidden.splice(0)) f.generator = true;
      },
    },
  },
});

/** Pass 3: a compiled copy's parameters and hoisted locals live in its frame. */
function intoContext(runtime: string) {
  return ({ types: t }: { types: typeof T }): PluginObj => ({
    visitor: {
      ImportDeclaration(p) {
        if (p.node.source.value === '__RUNTIME__') p.node.source = t.stringLiteral(runtime);
      },
      CallExpression: {
        exit(p) {
          const n = p.node;
          // _regenerator().m(f) makes f a GeneratorFunction; a copy is a plain function that returns a frame
          if (
            n.callee.type === 'MemberExpression' &&
            isHelperCall(n.callee.object, '_regenerator') &&
            n.callee.property.type === 'Identifier' &&
            n.callee.property.name === 'm'
          ) {
            p.replaceWith(n.arguments[0] as T.Expression);
            return;
          }
          if (isHelperCall(n, '_regeneratorValues')) {
            p.replaceWith(n.arguments[0] as T.Expression);
            return;
          }
          if (!isRt(n, 'C')) return;
          const arg = p.get('arguments.0') as NodePath;
          if (!arg.isFunctionExpression()) return;
          moveLocals(t, arg);
          p.replaceWith(arg.node);
        },
      },
      FunctionDeclaration(p) {
        // Stryker disable next-line OptionalChaining: the value is always there at this point (only an `export default function` has none, and the helpers regenerator emits are named)
        if (p.node.id?.name.startsWith('_regenerator')) p.remove();
      },
    },
  });
}

function isHelperCall(n: T.Node, name: string): boolean {
  return n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === name;
}

function moveLocals(t: typeof T, outer: NodePath<T.FunctionExpression>): void {
  outer.scope.crawl();
  const stmts = outer.get('body.body') as NodePath<T.Statement>[];
  const ret = stmts.find((s) => s.isReturnStatement()) as NodePath<T.ReturnStatement> | undefined;
  const wrap = ret?.get('argument') as NodePath<T.CallExpression> | undefined;
  // Stryker disable next-line OptionalChaining: the value is always there at this point (regenerator's output always returns its wrapper call)
  if (!wrap?.isCallExpression()) return;
  const [bodyFn, of, self, tries] = wrap.node.arguments as T.Expression[];
  const body = wrap.get('arguments.0') as NodePath<T.FunctionExpression>;
  const ctxId = (body.node.params[0] as T.Identifier).name;
  // not the function expression's own name (kind 'local'): nothing in the body refers to it
  const locals = new Set(Object.entries(outer.scope.bindings).flatMap(([n, b]) => (b.kind === 'local' ? [] : [n])));
  body.traverse({
    Identifier(p) {
      const name = p.node.name;
      if (!locals.has(name)) return;
      if (p.scope.getBinding(name) !== outer.scope.getBinding(name)) return;
      if (!((p as NodePath).isBindingIdentifier() || p.isReferencedIdentifier() || isAssigned(p))) return;
      // Stryker disable next-line ObjectLiteral,BooleanLiteral,LogicalOperator,EqualityOperator,BlockStatement: Babel's replaceWith already turns a shorthand property into key: value (transform-shapes.test.ts returns one)
      if (p.parentPath.isObjectProperty({ shorthand: true }) && p.parentPath.node.value === p.node) {
        p.parentPath.replaceWith(t.objectProperty(t.identifier(name), local(t, ctxId, name)));
        return;
      }
      p.replaceWith(local(t, ctxId, name));
    },
  });
  const params = new Set(outer.node.params.flatMap((prm) => Object.keys(t.getBindingIdentifiers(prm))));
  const live = process.env.VFIO_DMABUF_MODEL_NO_LIVENESS ? null : liveTable(body, ctxId, !!tries && tries.type !== 'NullLiteral');
  // one table per function, made once with the module, after its imports
  let liveId: T.Identifier | null = null;
  if (live) {
    const program = outer.findParent((q) => q.isProgram()) as NodePath<T.Program>;
    liveId = program.scope.generateUidIdentifier('live');
    const decl = t.variableDeclaration('var', [t.variableDeclarator(liveId, liveArray(t, live))]);
    const firstCode = program.get('body').find((q) => !q.isImportDeclaration());
    if (firstCode) firstCode.insertBefore(decl);
    else program.pushContainer('body', decl);
  }
  // one object literal per function: every frame of it has the same shape, and copying it is a spread
  const frameLocals = t.objectExpression(
    [...locals].map((x) => t.objectProperty(t.identifier(`$${x}`), params.has(x) ? t.identifier(x) : t.identifier('undefined'))),
  );
  outer.node.body.body = [
    t.returnStatement(
      t.callExpression(t.memberExpression(t.identifier(RT), t.identifier('frame')), [
        bodyFn as T.Expression,
        self && self.type === 'ThisExpression' ? t.thisExpression() : t.nullLiteral(),
        tries && tries.type !== 'NullLiteral' ? tries : t.nullLiteral(),
        frameLocals,
        // Stryker disable next-line LogicalOperator: `of` is always the copy's name, an identifier
        of && of.type === 'Identifier' ? t.identifier(of.name) : t.nullLiteral(),
        liveId ? t.cloneNode(liveId) : t.nullLiteral(),
      ]),
    ),
  ];
}

/** A liveness table as an array literal: one list of `$`-names per resume label, a hole for a label it does not know. */
function liveArray(t: typeof T, live: LiveTable): T.ArrayExpression {
  return t.arrayExpression(Array.from(live, (names) => (names ? t.arrayExpression(names.map((n) => t.stringLiteral(n))) : null)));
}

/** `_context.L.$name`: a local of the frame */
function local(t: typeof T, ctxId: string, name: string): T.MemberExpression {
  return t.memberExpression(t.memberExpression(t.identifier(ctxId), t.identifier('L')), t.identifier(`$${name}`));
}

// Stryker disable next-line BlockStatement: Babel already counts an assignment's target as a binding identifier and an update's argument as referenced (moveLocals asks both first)
function isAssigned(p: NodePath<T.Identifier>): boolean {
  const par = p.parent;
  // Stryker disable next-line LogicalOperator,EqualityOperator,StringLiteral: the identifiers it finds are found already (see the comment on isAssigned)
  return (par.type === 'AssignmentExpression' && par.left === p.node) || (par.type === 'UpdateExpression' && par.argument === p.node);
}

/** `const {a, b: [c]} = e` as `const _t = e, a = _t.a, _t2 = _t.b, c = _t2[0]` (array patterns index arrays). */
function spell(t: typeof T, file: string, p: NodePath, id: T.LVal, init: T.Expression, out: T.VariableDeclarator[]): void {
  if (id.type === 'Identifier') {
    out.push(t.variableDeclarator(id, init));
    return;
  }
  if (id.type === 'AssignmentPattern') {
    // Stryker disable next-line StringLiteral: the prefix of a generated unique name; any prefix gives a unique name
    const tmp = p.scope.generateUidIdentifier('d');
    out.push(t.variableDeclarator(tmp, init));
    const fallback = t.conditionalExpression(
      t.binaryExpression('===', t.cloneNode(tmp), t.identifier('undefined')),
      id.right,
      t.cloneNode(tmp),
    );
    spell(t, file, p, id.left, fallback, out);
    return;
  }
  if (id.type !== 'ObjectPattern' && id.type !== 'ArrayPattern') fail(file, id, `a ${id.type} pattern`);
  // Stryker disable next-line StringLiteral: the prefix of a generated unique name; any prefix gives a unique name
  const tmp = p.scope.generateUidIdentifier('p');
  // an array pattern reads what the iterable's first values are (a Set, a Map, a generator), then closes it
  const rest = id.type === 'ArrayPattern' && id.elements.some((el) => el?.type === 'RestElement');
  out.push(
    t.variableDeclarator(tmp, id.type === 'ArrayPattern' ? rt(t, 'take', [init, t.numericLiteral(rest ? -1 : id.elements.length)]) : init),
  );
  if (id.type === 'ObjectPattern') {
    for (const prop of id.properties) {
      if (prop.type === 'RestElement') fail(file, prop, 'a rest pattern');
      const key = prop.computed
        ? (prop.key as T.Expression)
        : // Stryker disable next-line StringLiteral: the key node itself or a copy of its name make the same member expression
          prop.key.type === 'Identifier'
          ? t.identifier(prop.key.name)
          : (prop.key as T.Expression);
      spell(
        t,
        file,
        p,
        prop.value as T.LVal,
        t.memberExpression(t.cloneNode(tmp), t.cloneNode(key), prop.computed || prop.key.type !== 'Identifier'),
        out,
      );
    }
    return;
  }
  id.elements.forEach((el, i) => {
    if (el === null) return;
    if (el.type === 'RestElement') {
      spell(
        t,
        file,
        p,
        el.argument,
        t.callExpression(t.memberExpression(t.cloneNode(tmp), t.identifier('slice')), [t.numericLiteral(i)]),
        out,
      );
      return;
    }
    spell(t, file, p, el as T.LVal, t.memberExpression(t.cloneNode(tmp), t.numericLiteral(i), true), out);
  });
}
