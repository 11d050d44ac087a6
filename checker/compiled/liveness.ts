/**
 * Which locals of a compiled body may still be read at each resume point, so
 * that a frame's identity (identity.ts) leaves out the ones that cannot: two
 * states that differ only in a value no path will read again are one state.
 *
 * It reads regenerator's output after moveLocals: one `switch (_context.n)`
 * whose cases are the resume points, locals spelt `_context.L.$x`. Within a
 * case, a statement `L.$x = e;` at the top of the case writes x on every path
 * that reaches the statements after it; every other statement may read what
 * it names and may leave for any label it names. Backwards over each case,
 * to a fixed point over the labels: a local is live at a label when some path
 * from it reads the local before a top-level write. Everything the analysis
 * cannot follow gives no table (every local is hashed, as before): a try
 * statement (a throw or a finally can resume at labels the code does not name),
 * `_context.L` used other than as `L.$x`, a local read inside a nested
 * function (it runs when it is called, not where it is written), or a body
 * that is not one switch.
 */
import type { NodePath } from '@babel/core';
import type * as T from '@babel/types';

/** For each resume label, the `$`-names of the locals live there (an array indexed by label). */
export type LiveTable = (readonly string[] | undefined)[];

/** The table for a compiled body, or null when it cannot be built soundly. */
export function liveTable(body: NodePath<T.FunctionExpression>, ctxId: string, hasTries: boolean): LiveTable | null {
  if (hasTries) return null;
  const sw = theSwitch(body.node);
  if (!sw) return null;
  const labels: number[] = [];
  for (const c of sw.cases) {
    if (c.test?.type !== 'NumericLiteral') return null;
    labels.push(c.test.value);
  }
  const blocks: Block[] = [];
  for (const c of sw.cases) {
    const b = block(c.consequent, ctxId, new Set(labels));
    if (!b) return null;
    blocks.push(b);
  }
  // backwards to a fixed point: live-in of a case from its statements, its jumps and its fall-through
  const liveIn = labels.map(() => new Set<string>());
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = blocks.length - 1; i >= 0; i--) {
      const live = new Set<string>(i + 1 < blocks.length ? (liveIn[i + 1] as Set<string>) : []);
      const b = blocks[i] as Block;
      for (let s = b.length - 1; s >= 0; s--) {
        const st = b[s] as Stmt;
        if (st.writes !== null) live.delete(st.writes);
        for (const r of st.reads) live.add(r);
        for (const to of st.jumps) for (const x of liveIn[labels.indexOf(to)] as Set<string>) live.add(x);
      }
      const was = liveIn[i] as Set<string>;
      if (live.size !== was.size) {
        liveIn[i] = live;
        changed = true;
      }
    }
  }
  const table: LiveTable = [];
  labels.forEach((l, i) => {
    table[l] = [...(liveIn[i] as Set<string>)].sort();
  });
  return table;
}

interface Stmt {
  /** the local a top-level `L.$x = e` writes after reading e */
  readonly writes: string | null;
  readonly reads: readonly string[];
  readonly jumps: readonly number[];
}
type Block = Stmt[];

/** `while (1) switch (...) {...}`, as regenerator writes every body. */
function theSwitch(fn: T.FunctionExpression): T.SwitchStatement | null {
  const [only, ...rest] = fn.body.body;
  if (!only || rest.length > 0 || only.type !== 'WhileStatement' || only.body.type !== 'SwitchStatement') return null;
  return only.body;
}

function block(stmts: readonly T.Statement[], ctxId: string, labels: ReadonlySet<number>): Block | null {
  const out: Block = [];
  for (const s of stmts) {
    const seen = scan(s, ctxId, labels);
    if (!seen) return null;
    let writes: string | null = null;
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=') {
      writes = localName(s.expression.left, ctxId);
      // the target itself is not a read
      if (writes !== null) seen.reads.splice(seen.reads.indexOf(writes), 1);
    }
    out.push({ writes, reads: seen.reads, jumps: seen.jumps });
  }
  return out;
}

/** Every local a statement names and every label it names; null when it uses the frame's locals otherwise. */
function scan(s: T.Node, ctxId: string, labels: ReadonlySet<number>): { reads: string[]; jumps: number[] } | null {
  const reads: string[] = [];
  const jumps: number[] = [];
  let ok = true;
  const walk = (n: T.Node, nested: boolean): void => {
    if (!ok) return;
    if (n.type === 'MemberExpression') {
      const name = localName(n, ctxId);
      if (name !== null) {
        if (nested) ok = false;
        else reads.push(name);
        return;
      }
      // _context.L other than as _context.L.$x
      if (isCtxL(n, ctxId)) {
        ok = false;
        return;
      }
    }
    const to = jumpOf(n, ctxId);
    if (to === BAD || (to !== null && !labels.has(to))) {
      ok = false;
      return;
    }
    if (to !== null) jumps.push(to);
    // `_context.n = K` is all jump: its target is not a read of the resume point
    if (n.type === 'AssignmentExpression' && to !== null) return;
    // `_context.n` read: the code looks at its own resume point
    if (n.type === 'MemberExpression' && isCtx(n, ctxId, 'n')) {
      ok = false;
      return;
    }
    const inner = nested || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'FunctionDeclaration';
    for (const key of Object.keys(n) as (keyof T.Node)[]) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
      const v = n[key] as unknown;
      if (Array.isArray(v)) {
        for (const x of v) if (x && typeof (x as T.Node).type === 'string') walk(x as T.Node, inner);
      } else if (v && typeof (v as T.Node).type === 'string') walk(v as T.Node, inner);
    }
  };
  walk(s, false);
  return ok ? { reads, jumps } : null;
}

function isCtxL(n: T.MemberExpression, ctxId: string): boolean {
  return isCtx(n, ctxId, 'L');
}

/** `_context.<field>` */
function isCtx(n: T.MemberExpression, ctxId: string, field: string): boolean {
  return (
    n.object.type === 'Identifier' &&
    n.object.name === ctxId &&
    n.property.type === 'Identifier' &&
    n.property.name === field &&
    !n.computed
  );
}

const BAD = -1;

/**
 * The label a node transfers control to, in regenerator's output without try
 * statements: `_context.n = K` (a jump, or the resume point of a plain yield),
 * `_context.d(x, K)` (`yield* x`, resumed at K), `_context.a(3, K)` (a jump
 * through abrupt). BAD for a transfer whose label is not a number.
 */
function jumpOf(n: T.Node, ctxId: string): number | null {
  if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && isCtx(n.left, ctxId, 'n'))
    return n.operator === '=' && n.right.type === 'NumericLiteral' ? n.right.value : BAD;
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return null;
  const [first, second] = n.arguments;
  if (isCtx(n.callee, ctxId, 'd')) return second?.type === 'NumericLiteral' ? second.value : BAD;
  if (isCtx(n.callee, ctxId, 'a') && first?.type === 'NumericLiteral' && first.value === 3)
    return second?.type === 'NumericLiteral' ? second.value : BAD;
  if (isCtx(n.callee, ctxId, 'f')) return BAD;
  return null;
}

/** `x` of `_context.L.$x`, else null. */
function localName(n: T.Node, ctxId: string): string | null {
  if (n.type !== 'MemberExpression' || n.computed || n.property.type !== 'Identifier') return null;
  if (n.object.type !== 'MemberExpression' || !isCtxL(n.object, ctxId)) return null;
  return n.property.name;
}
