/**
 * Breaking a lane's text into lines of at most `w` characters: at spaces
 * first, then after the punctuation kernel identifiers are joined with
 * (`>`, `,`, `(`, `.`, `->`); a name longer than a line after an underscore,
 * and mid-word only when it has none.
 */

const BREAK_AFTER = /[\s>,(.]/;

export function wrapLine(text: string, w: number): string[] {
  const indent = text.length - text.trimStart().length;
  const cont = ' '.repeat(indent + 2);
  const out: string[] = [];
  let rest = text;
  let first = true;
  while (rest.length > w) {
    const room = w;
    let cut = -1;
    for (let i = Math.min(room, rest.length - 1); i > (first ? indent : cont.length) + 4; i--)
      if (rest[i] === ' ') {
        cut = i;
        break;
      }
    if (cut < 0)
      for (let i = room - 1; i > (first ? indent : cont.length) + 4; i--)
        if (BREAK_AFTER.test(rest[i] as string) && !(rest[i] === '-' && rest[i + 1] === '>')) {
          cut = i + 1;
          break;
        }
    // a name longer than the line: after an underscore, as a reader splits it
    if (cut < 0)
      for (let i = room - 1; i > (first ? indent : cont.length) + 4; i--)
        if (rest[i] === '_') {
          cut = i + 1;
          break;
        }
    if (cut < 0) cut = room;
    out.push(rest.slice(0, cut).trimEnd());
    rest = `${cont}${rest.slice(cut).trimStart()}`;
    first = false;
  }
  if (rest.trim()) out.push(rest);
  return out;
}

/** Lane width in characters, by the threads view's rule: the total width shared by the lanes, at least 26 each. */
export function laneChars(totalWidth: number, lanes: number, numW: number): number {
  return Math.max(26, Math.floor((totalWidth - numW - 1) / Math.max(1, lanes)) - 3);
}
