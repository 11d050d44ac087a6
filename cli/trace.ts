/**
 * Traces in kernel terms, three text views and two machine forms:
 *
 * - `diff` (default): TLC's `-difftrace` — each step's thread, kernel function
 *   and action, the locks it holds, and only the object fields that changed;
 * - `full`: TLC's full trace — the initial state of every object, each step's
 *   whole call stack, footprint (reads, writes) and events, and every change;
 * - `threads`: a column per thread, so the interleaving reads left to right
 *   like the CPU0/CPU1 scenario of a lockdep splat;
 * - `mermaid`: a sequence diagram (threads and the objects they change);
 * - JSON: the steps as recorded.
 */
import { Execution, type Step } from '../checker/execution.ts';
import type { Violation } from '../checker/point.ts';
import type { Scenario, System } from '../checker/scenario.ts';
import type { Value } from '../checker/value.ts';
import type { Change } from '../checker/world.ts';
import { callerOf } from '../kernel/primitive.ts';
import { errname } from '../model/errno.ts';
import { laneLayout, minWidth, wrapTokens } from './wrap.ts';

export type View = 'full' | 'diff' | 'threads';
export const VIEWS: readonly View[] = ['diff', 'full', 'threads'];

export interface ObjSnapshot {
  readonly kind: string;
  readonly state: string | null;
  readonly fields: Readonly<Record<string, Value>>;
}

/** What a trace view needs: a fully recorded execution, and the world before its first step. */
export interface TraceInput {
  readonly steps: readonly Step[];
  readonly threads: readonly string[];
  readonly violation: Violation | null;
  readonly initial: ReadonlyMap<string, ObjSnapshot>;
  /** the property the violation breaks, when known */
  readonly property?: string;
}

/** The world a scenario starts from (setup only, no step taken). */
export function initialWorld(system: System, scenario: Scenario): Map<string, ObjSnapshot> {
  const out = new Map<string, ObjSnapshot>();
  const e = new Execution(system, scenario, {});
  for (const id of e.world.ids()) out.set(id, e.world.describe(id));
  return out;
}

export function traceInput(exec: Execution, system: System, property?: string): TraceInput {
  return {
    steps: exec.steps,
    threads: exec.threadNames,
    violation: exec.violation,
    initial: initialWorld(system, exec.scenario),
    ...(property ? { property } : {}),
  };
}

// ---------------------------------------------------------------------------
// values and changes

const BARE = /^[A-Za-z0-9_.:&>()/@*-][A-Za-z0-9_.:&>()/@*+ -]*$/;

/** A value as a reviewer reads it: bare names, `[a, b]`, `{k: v}`. */
/** A return value as the kernel's code reads it: a negative errno by name (`-ENODEV`, not -19). */
export function returnText(v: Value): string {
  return typeof v === 'number' && v < 0 ? errname(v) : fmt(v);
}

export function fmt(v: Value | undefined): string {
  if (v === undefined) return '(none)';
  if (v === null) return 'null';
  if (typeof v === 'string') return BARE.test(v) && v.trim() === v ? v : JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}: ${fmt(x)}`)
    .join(', ')}}`;
}

const LOCK_KINDS = new Set(['mutex', 'rwsem', 'ww_mutex', 'spinlock', 'lock']);
const LOCK_FIELDS = new Set(['owner', 'readers', 'waiters']);

/** Changes a reader does not need in the short views: held-lock stacks (shown as "held") and lock owners (shown by the action). */
function hidden(c: Change, initial: ReadonlyMap<string, ObjSnapshot>): boolean {
  if (c.obj.startsWith('task:') || c.obj.startsWith('actor.')) return true;
  if (!LOCK_FIELDS.has(c.field)) return false;
  const kind = initial.get(c.obj)?.kind;
  return kind !== undefined ? LOCK_KINDS.has(kind) : /(lock|rwsem|mutex|sem)$/.test(c.obj);
}

function changeText(c: Change): string {
  const name = c.field === '@state' ? `${c.obj}` : `${c.obj}.${c.field}`;
  if (c.from === undefined) return c.field === '@state' ? `${name}: created in ${fmt(c.to)}` : `${name} = ${fmt(c.to)}`;
  return `${name}: ${fmt(c.from)} -> ${fmt(c.to)}`;
}

/** "a > … > d: action" — the operation, the innermost kernel function, and what the step does. */
function where(s: Step): string {
  if (s.action.startsWith('call ')) return s.action;
  const op = s.stack[0];
  const fn = callerOf(s.stack);
  const prefix = op && op !== fn ? `${op} > ${s.stack.length > 3 ? '… > ' : ''}${fn}` : fn;
  return `${prefix}: ${s.action}`;
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

export function violationLines(t: TraceInput, indent = ''): string[] {
  const v = t.violation;
  if (!v) return [];
  const at = t.steps.length;
  const who = v.thread ? ` (${v.thread}${v.stack?.length ? ` in ${v.stack.join(' > ')}` : ''})` : '';
  const head = t.property ? `Error: property ${t.property} is violated at step ${at}${who}:` : `Error: violation at step ${at}${who}:`;
  const out = [`${indent}${head}`, `${indent}  ${v.message.startsWith(`${v.kind}:`) ? v.message : `${v.kind}: ${v.message}`}`];
  if (v.report) out.push('', ...v.report.split('\n').map((l) => `${indent}${l}`));
  return out;
}

// ---------------------------------------------------------------------------
// diff and full views

function objectLine(id: string, o: ObjSnapshot): string {
  const fields = Object.entries(o.fields)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(' ');
  return `${id} (${o.kind})${o.state ? ` [${o.state}]` : ''} ${fields}`.trimEnd();
}

export function renderSteps(t: TraceInput, view: 'diff' | 'full'): string[] {
  const out: string[] = [];
  const full = view === 'full';
  out.push(`State 0: <Initial predicate> threads ${t.threads.join(', ')}`);
  if (full) for (const [id, o] of t.initial) out.push(`  /\\ ${objectLine(id, o)}`);
  else out.push(`  (${t.initial.size} objects; --view full lists them)`);
  const held = new Map<string, readonly string[]>();
  for (const s of t.steps) {
    out.push('', `Step ${s.index + 1}: ${s.thread}  ${where(s)}`);
    if (full) out.push(`  stack:  ${s.stack.join(' > ') || '(none)'}`);
    const before = held.get(s.thread);
    if (full || s.context.length > 0 || (before !== undefined && !sameList(before, s.context)))
      if (!sameList(before, s.context) || full) out.push(`  held:   ${s.context.length ? s.context.join(', ') : '(none)'}`);
    held.set(s.thread, s.context);
    for (const n of s.notes) out.push(`  note:   ${n}`);
    for (const c of s.changes) {
      if (c.obj.startsWith('task:') || (!full && hidden(c, t.initial))) continue;
      out.push(`  /\\ ${changeText(c)}`);
    }
    if (full) {
      if (s.reads.length) out.push(`  reads:  ${s.reads.join(', ')}`);
      if (s.writes.length) out.push(`  writes: ${s.writes.join(', ')}`);
      for (const e of s.events) out.push(`  event:  ${fmt(e as unknown as Value)}`);
    }
    if (s.returned) out.push(`  => ${s.returned.op}() returned ${returnText(s.returned.value)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// threads view: a column per thread

/** A continued line of a lane is indented this much more than its first. */
const CONT = 4;

/** One thread's step as the lines of its lane, before wrapping. */
function threadLines(t: TraceInput, s: Step, before: readonly string[] | undefined): string[] {
  const lines: string[] = [];
  if (s.action.startsWith('call ')) lines.push(`> ${s.action.slice(5)}`);
  else lines.push(callerOf(s.stack), `  ${s.action}`);
  if (!sameList(before, s.context) && (s.context.length > 0 || before !== undefined))
    lines.push(`  held: ${s.context.length ? s.context.join(', ') : '(none)'}`);
  for (const c of s.changes) if (!hidden(c, t.initial)) lines.push(`  ${changeText(c)}`);
  for (const nt of s.notes) lines.push(`  note: ${nt}`);
  if (s.returned) lines.push(`  = ${returnText(s.returned.value)} (${s.returned.op})`);
  return lines;
}

export function renderThreads(t: TraceInput, totalWidth: number): string[] {
  // threads that took no step get no column
  const ran = t.threads.filter((th) => t.steps.some((s) => s.thread === th));
  const idle = t.threads.filter((th) => !ran.includes(th));
  const lanes = ran.length ? ran : [...t.threads];
  const numW = Math.max(4, String(t.steps.length).length + 1);
  const held = new Map<string, readonly string[]>();
  const steps = t.steps.map((s) => {
    const lines = threadLines(t, s, held.get(s.thread));
    held.set(s.thread, s.context);
    return { s, lines };
  });
  const need = Math.max(...lanes.map((x) => x.length), ...steps.flatMap((x) => x.lines.map((l) => minWidth(l, CONT))));
  const { stride, chars } = laneLayout(totalWidth, lanes.length, numW, need);
  const x = (k: number) => numW + 3 + k * stride;
  // each lane's guide `|` two columns before its text, unless a line of a lane to its left runs over it
  const row = (num: string, k: number, text: string) => {
    let line = num.padStart(numW);
    lanes.forEach((_, j) => {
      if (j > k && line.length + 1 > x(j) - 2) return;
      line = `${line.padEnd(x(j) - 2)}|`;
      if (j === k) line = `${line.padEnd(x(j))}${text}`;
    });
    return line.trimEnd();
  };
  // the header: each thread's name over its lane, on a second line when the names before it leave no room
  const header: string[] = [];
  let left = [...lanes.keys()];
  for (let first = true; left.length; first = false) {
    let line = (first ? 'step' : '').padStart(numW);
    const later: number[] = [];
    lanes.forEach((name, j) => {
      if (line.length + 1 > x(j) - 2) later.push(j);
      else line = left.includes(j) ? `${line.padEnd(x(j) - 2)}| ${name}` : `${line.padEnd(x(j) - 2)}|`;
    });
    header.push(line.trimEnd());
    left = later.filter((j) => left.includes(j));
  }
  const rule = [...'-'.repeat(x(lanes.length - 1) + chars)];
  for (let j = 0; j < lanes.length; j++) rule[x(j) - 2] = '+';
  const out = [...header, rule.join('')];
  for (const { s, lines } of steps) {
    const k = lanes.indexOf(s.thread);
    lines
      .flatMap((l) => wrapTokens(l, chars, CONT))
      .forEach((l, i) => {
        out.push(row(i === 0 ? String(s.index + 1) : '', k, l));
      });
  }
  if (idle.length) out.push('', `(no step taken by ${idle.join(', ')})`);
  return out;
}

// ---------------------------------------------------------------------------
// mermaid sequence diagram

/** Mermaid text: `;` ends a statement and `#` starts an entity code, so both are written as entity codes. */
function mm(text: string): string {
  return text.replace(/#/g, '#35;').replace(/;/g, '#59;').replace(/\n/g, ' ');
}

export function renderMermaid(t: TraceInput): string[] {
  const out = ['sequenceDiagram'];
  const ids = new Map<string, string>();
  t.threads.forEach((th, i) => {
    ids.set(th, `T${i}`);
    out.push(`  participant T${i} as ${mm(th)}`);
  });
  const objects: string[] = [];
  const shownChange = (c: Change) => !c.obj.startsWith('task:') && !c.obj.startsWith('actor.');
  for (const s of t.steps) for (const c of s.changes) if (shownChange(c) && !objects.includes(c.obj)) objects.push(c.obj);
  objects.forEach((o, i) => {
    ids.set(o, `O${i}`);
    out.push(`  participant O${i} as ${mm(o)}`);
  });
  for (const s of t.steps) {
    const me = ids.get(s.thread) as string;
    const changes = s.changes.filter(shownChange);
    const label = s.action.startsWith('call ') ? s.action : `${callerOf(s.stack)}: ${s.action}`;
    if (s.action.startsWith('call ')) out.push(`  Note over ${me}: ${mm(`${s.index + 1}. ${label}`)}`);
    const targets = [...new Set(changes.map((c) => c.obj))];
    if (targets.length === 0) {
      if (!s.action.startsWith('call ')) out.push(`  ${me}->>${me}: ${mm(`${s.index + 1}. ${label}`)}`);
    } else {
      targets.forEach((obj, k) => {
        const text = changes
          .filter((c) => c.obj === obj)
          .map((c) => {
            const now = c.from === undefined ? `= ${fmt(c.to)}` : `${fmt(c.from)} → ${fmt(c.to)}`;
            return c.field === '@state'
              ? c.from === undefined
                ? `created ${fmt(c.to)}`
                : now
              : `${c.field}${c.from === undefined ? ` ${now}` : `: ${now}`}`;
          })
          .join(', ');
        const msg = k === 0 && !s.action.startsWith('call ') ? `${s.index + 1}. ${label}` : `${s.index + 1}.`;
        out.push(`  ${me}->>${ids.get(obj)}: ${mm(`${msg} [${text}]`)}`);
      });
    }
    if (s.returned) out.push(`  Note over ${me}: ${mm(`${s.returned.op}() returned ${returnText(s.returned.value)}`)}`);
  }
  const v = t.violation;
  if (v) {
    const who = v.thread && ids.has(v.thread) ? (ids.get(v.thread) as string) : 'T0';
    out.push(`  Note over ${who}: ${mm(`${t.property ? `${t.property} violated: ` : ''}${v.kind}: ${v.message}`)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// JSON

export function traceJson(t: TraceInput): unknown {
  return {
    threads: t.threads,
    steps: t.steps.map((s) => ({
      step: s.index + 1,
      thread: s.thread,
      function: callerOf(s.stack),
      stack: s.stack,
      action: s.action,
      held: s.context,
      changes: s.changes.map((c) => ({ obj: c.obj, field: c.field, from: c.from ?? null, to: c.to })),
      ...(s.notes.length ? { notes: s.notes } : {}),
      ...(s.returned ? { returned: s.returned } : {}),
    })),
    violation: t.violation
      ? {
          kind: t.violation.kind,
          message: t.violation.message,
          thread: t.violation.thread ?? null,
          stack: t.violation.stack ?? [],
          report: t.violation.report ?? null,
        }
      : null,
  };
}

/** The chosen text view, with the violation at the end (in the threads view, in its width too). */
export function renderTrace(t: TraceInput, view: View, totalWidth: number): string[] {
  const body = view === 'threads' ? renderThreads(t, totalWidth) : renderSteps(t, view);
  const v = view === 'threads' ? violationLines(t).flatMap((l) => wrapTokens(l, totalWidth, 2)) : violationLines(t);
  return v.length ? [...body, '', ...v] : body;
}

// the pieces the HTML report and the threads-only Mermaid view show a step with, so every view words it alike
export { changeText, hidden as isHiddenChange, sameList };
