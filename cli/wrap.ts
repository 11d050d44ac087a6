/**
 * The threads view's width rules, shared by the text view, the page's thread
 * lanes and the threads-only Mermaid notes: a line is broken only between
 * tokens (at a space, else after punctuation such as `(`, `,`, `.`, `->`),
 * never inside a name; a name longer than the line stays whole, so the lanes
 * are laid out at least as wide as the trace's widest token.
 */

const WORD = /[A-Za-z0-9_]/;
/** a line does not end on these: `&x`, `*p`, `-ENODEV`, `!cond` read as one token */
const NO_BREAK_AFTER = new Set(['&', '*', '-', '!', '~', '#', '@', '[', '{']);
/** nor start with these: they close or continue what comes before (and `(` stays with the function it calls) */
const NO_BREAK_BEFORE = new Set([')', ']', '}', ',', ';', ':', '.', '>']);

/** Where `s` may be cut (`s.slice(0, i)` ends a line) and whether the cut is at a space. */
function cuts(s: string, from: number): { at: number; space: boolean }[] {
  const out: { at: number; space: boolean }[] = [];
  for (let i = Math.max(1, from); i < s.length; i++) {
    const a = s[i - 1] as string;
    const b = s[i] as string;
    if (b === ' ') {
      // "a > b" breaks after the ">", so a line never starts with what closes or joins the one before
      const next = s.slice(i).trimStart()[0];
      if (a !== ' ' && (next === undefined || !NO_BREAK_BEFORE.has(next))) out.push({ at: i, space: true });
    } else if (
      a !== ' ' &&
      !(WORD.test(a) && (WORD.test(b) || b === '(')) &&
      !NO_BREAK_AFTER.has(a) &&
      !NO_BREAK_BEFORE.has(b) &&
      !s.startsWith('->', i)
    )
      out.push({ at: i, space: false });
  }
  return out;
}

const indentOf = (text: string) => text.length - text.trimStart().length;

/**
 * `text` in lines of at most `w` characters where its tokens allow; a
 * continued line is indented `extra` more than the first. Spaces are preferred
 * unless the last one leaves the line less than half full.
 */
export function wrapTokens(text: string, w: number, extra: number): string[] {
  const cont = ' '.repeat(indentOf(text) + extra);
  const out: string[] = [];
  let rest = text;
  let lead = indentOf(text);
  while (rest.length > w) {
    const all = cuts(rest, lead + 1);
    const fit = all.filter((c) => c.at <= w);
    const space = fit.filter((c) => c.space).at(-1)?.at ?? -1;
    const last = fit.at(-1)?.at ?? -1;
    // nothing fits: the first cut past the line (a token wider than the line stays whole)
    const cut = space >= w / 2 ? space : last >= 0 ? last : (all[0]?.at ?? -1);
    if (cut < 0) break;
    out.push(rest.slice(0, cut).trimEnd());
    rest = `${cont}${rest.slice(cut).trimStart()}`;
    lead = cont.length;
  }
  if (rest.trim() || out.length === 0) out.push(rest);
  return out;
}

/** The narrowest `w` at which `wrapTokens(text, w, extra)` cuts no token: its widest token, with its indent. */
export function minWidth(text: string, extra: number): number {
  const indent = indentOf(text);
  const at = [...cuts(text, indent + 1).map((c) => c.at), text.length];
  let widest = 0;
  let start = 0;
  at.forEach((end, k) => {
    const piece = text.slice(start, end).trim();
    widest = Math.max(widest, (k === 0 ? indent : indent + extra) + piece.length);
    start = end;
  });
  return widest;
}

export interface LaneLayout {
  /** columns from one lane's start to the next */
  readonly stride: number;
  /** characters a lane's line holds: more than the stride when lines run over the lanes to their right */
  readonly chars: number;
}

/** Columns between lanes, at the least: the `|` guide and a space either side. */
const MIN_STRIDE = 4;

/**
 * How `lanes` lanes share `totalWidth` columns after a step-number column of
 * `numW` and a ` | ` before each lane, when no line may be narrower than
 * `need`: equal columns when `need` fits in them; else lanes that start
 * closer together, each line as wide as the last lane's room, running over
 * the lanes to its right (a row holds one thread's step, so they are empty
 * there). Only when even that cannot hold `need` is the view wider than asked.
 */
export function laneLayout(totalWidth: number, lanes: number, numW: number, need: number): LaneLayout {
  const n = Math.max(1, lanes);
  const equal = Math.floor((totalWidth - numW) / n) - 3;
  if (equal >= need || n === 1) return { stride: equal + 3, chars: Math.max(equal, need) };
  const stride = Math.max(MIN_STRIDE, Math.floor((totalWidth - numW - 3 - need) / (n - 1)));
  return { stride, chars: Math.max(need, totalWidth - numW - 3 - (n - 1) * stride) };
}
