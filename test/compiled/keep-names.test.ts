/**
 * inferNames: esbuild's keepNames wrappers dropped where the language names the
 * bare function the same, so that every function keeps its name (ctx.call
 * reads it for stack frames) without a defineProperty at each creation.
 */
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { inferNames } from '../../checker/compiled/keep-names.ts';

/** Model-like code as tsx compiles it (esbuild, keepNames): every function it makes ends up in `out`. */
const source = `
const out: Function[] = [];
const cap = <F>(f: F): F => f;
const k = 'computed';
const g = (w: number) => 1;
const o = { fire: (w: number) => 2, 'en-abled': () => 3, [k]: () => 4, named: function inner() {} };
let z: () => number;
z = () => 0;
function* gen(lock: number) {
  yield { fire: (w: number) => lock, nested: () => { const h = function () {}; return h; }, held: cap(() => 5) };
}
const p = gen(1).next().value as { fire: Function; nested: () => Function; held: Function };
out.push(g, o.fire, o['en-abled'], o[k], o.named, z, p.fire, p.nested, p.nested(), p.held, gen);
`;

function names(js: string): string[] {
  return (new Function(`${js}; return out;`)() as { name: string }[]).map((f) => f.name);
}

describe('inferNames', () => {
  const js = transformSync(source, { loader: 'ts', keepNames: true, format: 'esm' }).code;

  it('leaves every function the name keepNames gave it', () => {
    expect(js).toContain('__name(');
    const before = names(js);
    expect(before).toEqual(['g', 'fire', 'en-abled', 'computed', 'inner', 'z', 'fire', 'nested', 'h', '', 'gen']);
    expect(names(inferNames(js))).toEqual(before);
  });

  it('drops the wrappers around functions the language names, nested ones included', () => {
    const out = inferNames(js);
    expect(out).not.toMatch(/__name\(\s*\(/);
    expect(out).not.toMatch(/__name\(\s*function\s*\(/);
    expect(out).toContain('__name(gen, "gen")');
  });

  it('names a closure the compiled transform tagged (__rt.cap) in an object literal instead, its tag kept', () => {
    const helper =
      'var __defProp = Object.defineProperty;\nvar __name = (target, value) => __defProp(target, "name", { value, configurable: true });\n';
    const js = `${helper}var __rt = { cap: (f, of) => { f.of = of; return f; } };\nvar out = [{ held: __name(__rt.cap((w) => w, "tag", 0, []), "held") }.held];`;
    const out = inferNames(js);
    expect(out).not.toContain('__name(__rt');
    const [before] = new Function(`${js}; return out;`)() as { name: string; of: string }[];
    const [after] = new Function(`${out}; return out;`)() as { name: string; of: string }[];
    expect([after?.name, after?.of]).toEqual([before?.name, before?.of]);
    expect(after?.name).toBe('held');
  });

  it("names a point's closure over captured locals inside the capturing arrow, its tag kept", () => {
    const helper =
      'var __defProp = Object.defineProperty;\nvar __name = (target, value) => __defProp(target, "name", { value, configurable: true });\n';
    const js = `${helper}var __rt = { cap: (f, of) => { f.of = of; return f; } };\nvar out = [{ fire: __name(__rt.cap(((x) => (w) => x + w)(1), "tag", 0, [1]), "fire") }.fire];`;
    const out = inferNames(js);
    expect(out).not.toContain('__name(__rt');
    const [before] = new Function(`${js}; return out;`)() as ((w: number) => number)[];
    const [after] = new Function(`${out}; return out;`)() as ((w: number) => number)[];
    expect([after?.name, (after as unknown as { of: string }).of, after?.(2)]).toEqual(['fire', 'tag', 3]);
    expect([before?.name, before?.(2)]).toEqual(['fire', 3]);
  });

  it('keeps a wrapper the language would not stand in for: around a call, under another name, a named function', () => {
    const helper =
      'var __defProp = Object.defineProperty;\nvar __name = (target, value) => __defProp(target, "name", { value, configurable: true });\n';
    const kept = [
      'var a = { fire: __name(__rt.cap(make(1), F, 0, [1]), "fire") };',
      'var b = { x: __name((w) => 1, "y") };',
      'var c = __name(function named() {}, "c");',
      'var d = [__name(() => 1, "d")];',
    ].join('\n');
    expect(inferNames(helper + kept)).toBe(helper + kept);
  });

  it("touches no file without esbuild's helper (a `__name` of the model's own stays)", () => {
    const own = 'function __name(f, n) { return f; }\nvar a = { fire: __name((w) => 1, "fire") };';
    expect(inferNames(own)).toBe(own);
  });
});
