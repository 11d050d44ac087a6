/**
 * The loader check: built-in model code outside the compiled subset fails to
 * load with one line naming file, line and construct; a user's file outside
 * it stays native, with a one-line note.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compiledCode, modelJavaScript } from '../../checker/compiled/load.ts';
import { compileModelSource, SubsetError } from '../../checker/compiled/transform.ts';

const reassignedCapture = `export function* f(ctx) {
  let n = 1;
  yield* g(ctx);
  n = 2;
  return () => n;
}
function* g() {}
`;

const inside = `export function* f(ctx, lock) {
  const { a, b = 2 } = ctx.get(lock, 'x');
  for (const x of [a, b]) yield* g(ctx, x);
  try { yield { action: 'p', enabled: (w) => w.peek(lock, 'owner') === null }; } finally { ctx.note('done'); }
  return a;
}
function* g() {}
`;

describe('the compiled subset', () => {
  afterEach(() => vi.restoreAllMocks());

  it('rejects a closure capturing a reassigned local, naming file, line and construct', () => {
    expect(() => compileModelSource(reassignedCapture, '/repo/model/x.ts', 'rt')).toThrow(SubsetError);
    expect(() => compileModelSource(reassignedCapture, '/repo/model/x.ts', 'rt')).toThrow(
      /^\/repo\/model\/x\.ts:5: a closure capturing `n`, which is reassigned is outside the compiled subset/,
    );
  });

  it('rejects the other constructs by name', () => {
    const cases: [string, RegExp][] = [
      ['export async function* f() { yield 1; }', /an async generator/],
      ['export function* f() { yield* g(arguments); }', /`arguments`/],
      ['export function* f(o) { for (const k in o) yield* g(k); }', /a for-in loop around a yield/],
      ['export function* f(o) { let a; ({ a } = o); yield* g(a); }', /a destructuring assignment/],
      ['export function* f(o) { const { a, ...r } = o; yield* g(a, r); }', /a rest pattern/],
    ];
    for (const [code, re] of cases) expect(() => compileModelSource(code, '/repo/kernel/y.ts', 'rt'), code).toThrow(re);
  });

  it('compiles the constructs it documents', () => {
    const out = compileModelSource(inside, '/repo/kernel/z.ts', 'RUNTIME');
    expect(out).toContain('import * as __rt from "RUNTIME"');
    expect(out).toContain('__rt.frame(');
    // the guard captures lock by value; the frame's locals are data
    expect(out).toMatch(/\(lock => w => w\.peek\(lock, 'owner'\) === null\)\(_context\d*\.L\.\$lock\)/);
    expect(out).not.toContain('_regenerator');
  });

  it("leaves a user's file outside the subset native, with a one-line note", () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // a path outside the repository (nothing is written there): a user's file
    const file = join(tmpdir(), `user-variant-${process.pid}.ts`);
    expect(compiledCode(reassignedCapture, file, 'rt')).toBe(reassignedCapture);
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]?.[0])).toMatch(
      /^vfio-dmabuf-model: note: .*user-variant-\d+\.ts:5: a closure capturing `n`.*; this file runs on the generator engine\n$/,
    );
  });

  it('names the line of the TypeScript as written, not of the JavaScript made from it', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // the type lines are gone from the JavaScript, so its line 5 is the file's line 11
    const typed = `interface Foo {\n  a: number;\n  b: string;\n}\ntype Bar = { c: number };\n\n${reassignedCapture.replace('(ctx)', '(ctx: Foo, _b: Bar)')}`;
    const file = join(tmpdir(), `user-typed-${process.pid}.ts`);
    compiledCode(modelJavaScript(typed, file), file, 'rt');
    expect(String(write.mock.calls[0]?.[0])).toMatch(/user-typed-\d+\.ts:11: a closure capturing `n`/);
    expect(() => compiledCode(modelJavaScript(typed, '/repo/model/typed.ts'), join(process.cwd(), 'model', 'typed.ts'), 'rt')).toThrow(
      /typed\.ts:11: a closure/,
    );
  });

  it("leaves a user's file the transform cannot take native, with a one-line note; a built-in one fails to load", () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const broken = 'export function* f() { yield 1; } }\n';
    const file = join(tmpdir(), `user-broken-${process.pid}.ts`);
    expect(compiledCode(broken, file, 'rt')).toBe(broken);
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]?.[0])).toMatch(
      /^vfio-dmabuf-model: note: .*user-broken-\d+\.ts: .*\(the compiled transform could not take it\); this file runs on the generator engine\n$/,
    );
    expect(() => compiledCode(broken, join(process.cwd(), 'kernel', 'broken.ts'), 'rt')).toThrow(/Unexpected token/);
  });
});
