/**
 * A counterexample as a Mermaid sequence diagram of its threads alone (no
 * column per object, unlike `--format mermaid`): each step a note over its
 * thread with the function, the action, the locks held and the fields
 * changed, a dashed arrow at each context switch, and the violating step in a
 * red box. Narrow enough to paste into an issue.
 */
import { callerOf } from '../kernel/primitive.ts';
import { changeText, fmt, isHiddenChange, sameList, type TraceInput } from './trace.ts';
import { wrapTokens } from './wrap.ts';

/** Characters per line of a note: about 320 px at Mermaid's default font. */
const NOTE_WIDTH = 44;

/** Mermaid text: `#` and `;` would start an entity code or end the statement, `<` a tag (notes are HTML). */
function mt(text: string): string {
  const codes: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;' };
  return text.replace(/[#;<]/g, (c) => codes[c] as string).replace(/\n/g, ' ');
}

const note = (lines: readonly string[]) =>
  lines
    .flatMap((l) => wrapTokens(l, NOTE_WIDTH, 2))
    .map((l) => mt(l.trim()))
    .join('<br/>');

export function renderMermaidThreads(t: TraceInput): string[] {
  const threads = t.threads.filter((th) => t.steps.some((s) => s.thread === th));
  const lanes = threads.length ? threads : [...t.threads];
  const id = (th: string) => `T${lanes.indexOf(th)}`;
  const out = ['sequenceDiagram', ...lanes.map((th, i) => `  participant T${i} as ${mt(th)}`)];
  const held = new Map<string, readonly string[]>();
  let prev: string | null = null;
  t.steps.forEach((s, i) => {
    if (prev !== null && prev !== s.thread) out.push(`  ${id(prev)}-->>${id(s.thread)}: context switch`);
    prev = s.thread;
    const lines = s.action.startsWith('call ') ? [`${i + 1}. ${s.action}`] : [`${i + 1}. ${callerOf(s.stack)}: ${s.action}`];
    const before = held.get(s.thread);
    if (!sameList(before, s.context) && (s.context.length > 0 || before !== undefined))
      lines.push(`held: ${s.context.length ? s.context.join(', ') : '(none)'}`);
    held.set(s.thread, s.context);
    for (const c of s.changes) if (!isHiddenChange(c, t.initial)) lines.push(changeText(c));
    if (s.returned) lines.push(`${s.returned.op}() returned ${fmt(s.returned.value)}`);
    const bad = t.violation !== null && i === t.steps.length - 1;
    if (bad) out.push('  rect rgb(255, 215, 215)');
    out.push(`  ${bad ? '  ' : ''}Note over ${id(s.thread)}: ${note(lines)}`);
    if (bad) out.push('  end');
  });
  const v = t.violation;
  if (v) {
    const span = lanes.length > 1 ? `T0,T${lanes.length - 1}` : 'T0';
    const text = `${t.property ? `${t.property} violated: ` : ''}${v.message.startsWith(`${v.kind}:`) ? v.message : `${v.kind}: ${v.message}`}`;
    out.push(`  Note over ${span}: ${note([text])}`);
  }
  return out;
}
