/**
 * The liveness table (checker/compiled/liveness.ts): which locals a compiled
 * body may still read at each resume point, and that a frame's identity hashes
 * only those. A table that called a read local dead would merge states that
 * behave differently; these tests fail if it does.
 */
import { describe, expect, it } from 'vitest';
import { compileModelSource } from '../../checker/compiled/transform.ts';

/** Each compiled function's table, by its order in the output, as lists of names per label. */
function tables(src: string): (string[] | null)[][] {
  const out = compileModelSource(src, '/repo/model/live.js', 'RT');
  return [...out.matchAll(/_live\d* = (\[.*?\]\]);?$/gm)].map((m) =>
    JSON.parse((m[1] as string).replace(/\[,/g, '[null,').replace(/,,/g, ',null,')),
  );
}

const g = 'function* g() {}\n';

describe('the liveness table', () => {
  it('a local read only before a yield is dead after it; one read after is live', () => {
    const [t] = tables(`export function* f(ctx) {\n  const a = ctx.x;\n  const b = ctx.y;\n  yield* g(a);\n  return b;\n}\n${g}`);
    const afterYield = (t as (string[] | null)[])[1];
    expect(afterYield).toContain('$b');
    expect(afterYield).not.toContain('$a');
    expect(afterYield).not.toContain('$ctx');
  });

  it('a loop-carried local is live at a yield inside the loop, and the loop body local is not', () => {
    const [t] = tables(
      `export function* f(xs) {\n  let n = 0;\n  for (const x of xs) {\n    yield* g(x);\n    n++;\n  }\n  return n;\n}\n${g}`,
    );
    const atYield = (t as (string[] | null)[]).find((l) => l?.includes('$_i')) as string[];
    expect(atYield).toEqual(expect.arrayContaining(['$n', '$_i', '$_of', '$_src']));
    expect(atYield).not.toContain('$x');
  });

  it('gives no table to a body with a try statement (every local is hashed there)', () => {
    const src = `export function* f(ctx) {\n  try { yield* g(ctx); } finally { ctx.done(); }\n}\n${g}`;
    expect(compileModelSource(src, '/repo/model/t.js', 'RT')).toMatch(/_frames\d*, null\)/);
  });
});
