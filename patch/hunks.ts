/**
 * Which C functions a diff changes. parse-diff reads the diff format; this
 * file reads C just enough to say, for each changed line, which function it
 * is in: the hunk header's function context names the function the hunk
 * starts in, and a function definition among the hunk's own lines (added,
 * removed or unchanged) starts the next one.
 */
import parseDiff from 'parse-diff';

export interface FunctionChange {
  /** the C function */
  readonly name: string;
  readonly file: string;
  /** the hunk's `@@ -a,b +c,d @@ context` line */
  readonly header: string;
  /** the hunk's removed and added lines in this function, with their - or + */
  readonly lines: readonly string[];
  /** the function's definition is among the added lines (a new function) or the removed ones (deleted) */
  readonly defined: 'added' | 'removed' | null;
  /** functions the added lines call */
  readonly calls: readonly string[];
}

export interface OutsideChange {
  readonly file: string;
  readonly header: string;
  readonly added: number;
  readonly removed: number;
}

export interface DiffFunctions {
  readonly functions: readonly FunctionChange[];
  /** changed lines in no function: structs, prototypes, includes, macros */
  readonly outside: readonly OutsideChange[];
}

const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', 'defined', 'else', 'do', 'case', '__attribute__']);
const DEF_START = /^(?!(?:if|for|while|switch|return|else|do|case|goto|typedef)\b)[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\(/;

/** The function named by a hunk header's context, e.g. "int vfio_pci_core_feature_dma_buf(struct" (git may cut it short). */
export function contextFunction(header: string): string | null {
  const ctx = /^@@[^@]*@@\s?(.*)$/.exec(header)?.[1] ?? '';
  if (!/^[A-Za-z_]/.test(ctx) || /^(?:struct|union|enum)\s+\w+\s*\{/.test(ctx) || /=/.test(ctx.split('(')[0] ?? '')) return null;
  return DEF_START.exec(ctx)?.[1] ?? null;
}

/**
 * The function a line at column 0 starts defining, or null: a declarator
 * with a parameter list whose statement goes on to a `{`, not to a `;` (a
 * prototype or a macro call). `rest` are the following lines on the same side.
 */
function definitionAt(line: string, rest: readonly string[]): string | null {
  const m = DEF_START.exec(line);
  if (!m || /=/.test(line.split('(')[0] ?? '')) return null;
  for (const l of [line, ...rest]) {
    const t = l.replace(/\/\*.*?\*\/|\/\/.*$/g, '').trimEnd();
    if (t.endsWith(';')) return null;
    if (t.endsWith('{') || t === '{') return m[1] as string;
  }
  return m[1] as string; // the hunk ends inside the declarator: most likely a definition
}

/** Functions called on `lines` (comments and strings left out). */
const callsIn = (lines: readonly string[]): string[] => {
  const out = new Set<string>();
  for (const l of lines) {
    const t = l.trim();
    if (t.startsWith('*') || t.startsWith('/*') || t.startsWith('//')) continue;
    const code = t.replace(/\/\*.*?(\*\/|$)|\/\/.*$/g, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const m of code.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) if (!NOT_CALLS.has(m[1] as string)) out.add(m[1] as string);
  }
  return [...out];
};

/** The functions a diff changes, hunk by hunk, in order. */
export function diffFunctions(diff: string): DiffFunctions {
  const functions: FunctionChange[] = [];
  const outside: OutsideChange[] = [];
  for (const file of parseDiff(diff)) {
    const path = (file.to && file.to !== '/dev/null' ? file.to : file.from) ?? '?';
    for (const chunk of file.chunks) {
      const header = chunk.content;
      const changes = chunk.changes.map((c) => ({ type: c.type, text: c.content.slice(1) }));
      let current = contextFunction(header);
      const byFn = new Map<string | null, { lines: string[]; added: string[]; defined: 'added' | 'removed' | null }>();
      const entry = (name: string | null) => {
        let e = byFn.get(name);
        if (!e) byFn.set(name, (e = { lines: [], added: [], defined: null }));
        return e;
      };
      changes.forEach((c, i) => {
        if (/^[A-Za-z_]/.test(c.text)) {
          // the rest of the statement on the same side of the diff
          const side = changes.slice(i + 1).filter((x) => x.type === 'normal' || x.type === c.type);
          const def = definitionAt(
            c.text,
            side.slice(0, 12).map((x) => x.text),
          );
          if (def) {
            current = def;
            if (c.type !== 'normal') entry(def).defined = c.type === 'add' ? 'added' : 'removed';
          }
        }
        // a blank line added or removed outside any function is layout, not a change
        if (c.type !== 'normal' && (current !== null || c.text.trim() !== '')) {
          const e = entry(current);
          e.lines.push(`${c.type === 'add' ? '+' : '-'}${c.text}`);
          if (c.type === 'add') e.added.push(c.text);
        }
        // a closing brace at column 0 ends the function (or the struct) it closes
        if (/^\}\s*;?\s*$/.test(c.text)) current = null;
      });
      for (const [name, e] of byFn) {
        if (e.lines.length === 0) continue;
        if (name === null)
          outside.push({
            file: path,
            header,
            added: e.lines.filter((l) => l.startsWith('+')).length,
            removed: e.lines.filter((l) => l.startsWith('-')).length,
          });
        else
          functions.push({
            name,
            file: path,
            header,
            lines: e.lines,
            defined: e.defined,
            calls: callsIn(e.added).filter((c) => c !== name),
          });
      }
    }
  }
  return { functions, outside };
}
