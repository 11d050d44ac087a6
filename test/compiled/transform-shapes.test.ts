/**
 * The shapes of model code the transform rewrites, each run compiled and native
 * and compared (what it yields, returns and throws): destructuring declarations
 * (defaults, holes, rest elements, quoted and computed keys, nested patterns),
 * for-of loops over arrays (read live, as their iterator does), over other
 * iterables (listed when the loop starts) and with a single statement as body,
 * generator methods of exported and static classes and quoted object keys,
 * closures made in a compiled body and in plain functions (their tags: maker,
 * site and captured values, which is how a search tells equal frames apart).
 * Compiled here by compileModelSource, in the test worker, so a mutant of
 * transform.ts changes what runs (the vitest plugin compiles in the main process).
 */
import { describe, expect, it } from 'vitest';
import * as rt from '../../checker/compiled/runtime.ts';
import { compileModelSource, hasGenerators, SubsetError } from '../../checker/compiled/transform.ts';

/**
 * The programs, one per test's need: each test compiles what it runs, in the test itself (not in a
 * beforeAll), so that Stryker sees which tests cover each transform mutant and runs only those.
 */
const programs = {
  pats: `
function* pats(o) {
  const { a, b = 'b0', 'c-d': cd, [o.k]: byK, e: [x, , y = 'y0', ...zs] } = o;
  const [p = 'p0', q] = o.arr;
  const { n: { deep = 'deep0' } = {} } = o;
  const w = yield [a, b, cd, byK, x, y, zs, p, q, deep].join('|');
  return w + ':' + a;
}
`,
  loops: `
function* loopsOf(o) {
  const live = [1, 2];
  const seen = [];
  for (const v of live) {
    if (live.length < 4) live.push(v * 10);
    seen.push(yield 'live' + v);
  }
  for (let v of o.set) {
    v = v + '!';
    seen.push(yield 'set' + v);
  }
  for (const v of o.arr) seen.push(yield 'one' + v);
  for (const [k, val] of o.map) seen.push(yield k + '=' + val);
  return seen;
}
`,
  closures: `
function* closures(n) {
  const k = n * 2;
  const fns = [() => k, () => n];
  const plain = () => 'no capture';
  const got = yield fns.map((f) => f()).join(',') + plain();
  return [got, fns[0](), fns[1]()];
}
function adapter(m) {
  return () => m + 1;
}
function selfish() {
  return function () {
    return this;
  };
}
function counting(m) {
  let c = m;
  c++;
  return () => c;
}
const BASE = 100;
function adapter2(m) {
  return (z) => {
    const w = z;
    return m + w + BASE;
  };
}
function selfish2() {
  return function () {
    return () => this;
  };
}
function argy() {
  return function () {
    return arguments.length;
  };
}
`,
  classes: `
export class Exported {
  *g(x) {
    return (yield 'ex' + x) + 1;
  }
  static *s(x) {
    yield 'st' + x;
    return x * 3;
  }
}
const obj = {
  'quoted-key'(x) {
    return x;
  },
  *'q m'(x) {
    return yield 'qm' + x;
  },
};
const o2key = 'ck';
const table2 = {
  [o2key]: function* () {
    yield 'computed';
  },
};
const named = function* inner_name() {
  yield 'named';
};
function* calls() {
  const a = yield* new Exported().g(1);
  const b = yield* Exported.s(2);
  const c = yield* obj['q m'](3);
  return [a, b, c, obj['quoted-key'](4)];
}
`,
  more: `
const naturals = {
  [Symbol.iterator]() {
    let i = 0;
    return { next: () => ({ value: i++, done: false }) };
  },
};
function* more(o) {
  const k = o.k;
  const twice = (k) => k + k;
  const firstTwo = () => {
    const out = [];
    for (const v of naturals) {
      if (v > 1) break;
      out.push(v);
    }
    return out;
  };
  const keys = [];
  for (const key in o.obj) keys.push(key);
  const n = (function () {
    return arguments.length;
  })(1, 2, 3);
  const inner = function* () {
    const f = () => k + '@inner';
    yield f();
    return k;
  };
  const fromInner = yield* inner();
  const tool = { m() { return 'method'; } };
  const r = yield twice(k) + firstTwo().join('') + keys.join('') + n + tool.m();
  return { k, r, fromInner };
}
`,
};

type Gen = (...a: unknown[]) => Generator<unknown, unknown, unknown>;
type Made = Record<'pats' | 'loopsOf' | 'closures' | 'calls' | 'more' | 'named', Gen> & {
  adapter: (m: number) => () => number;
  adapter2: (m: number) => (z: number) => number;
  selfish2: () => () => unknown;
  argy: () => () => number;
  computed: Record<string, Gen>;
  selfish: () => () => unknown;
  counting: (m: number) => () => number;
  Exported: { s: Gen; prototype: { g: Gen } };
  qm: Gen;
};
const exported: Record<keyof typeof programs, string> = {
  pats: 'pats',
  loops: 'loopsOf',
  closures: 'closures, adapter, adapter2, selfish, selfish2, argy, counting',
  classes: "calls, Exported, qm: obj['q m'], computed: table2, named",
  more: 'more',
};
/** Compiles one program (in this worker, so a transform mutant is what compiles it) and returns what it defines. */
function load(which: keyof typeof programs): { made: Made; compiled: string } {
  const compiled = compileModelSource(programs[which], `/repo/model/${which}.js`, 'RT');
  const body = compiled.replace(/^import \* as __rt from "RT";\n/, '').replace(/^export /gm, '');
  return { made: new Function('__rt', `${body}\nreturn { ${exported[which]} };`)(rt) as Made, compiled };
}

/** Runs a thread to its end, feeding each yield `in<n>`: what it yielded, then what it returned or threw. */
function outcome(next: (v: unknown) => IteratorResult<unknown, unknown>): unknown[] {
  const seen: unknown[] = [];
  let v: unknown;
  for (let n = 0; n < 100; n++) {
    let r: IteratorResult<unknown, unknown>;
    try {
      r = next(v);
    } catch (e) {
      return [...seen, `threw ${(e as Error).message}`];
    }
    if (r.done) return [...seen, 'returned', r.value];
    seen.push(r.value);
    v = `in${n}`;
  }
  throw new Error('did not end');
}
const native = (start: () => Generator<unknown, unknown, unknown>) => {
  const g = start();
  return outcome((v) => g.next(v));
};
const compiledRun = (start: () => unknown) => {
  const s = rt.startThread(start);
  return outcome((v) => s.next(v));
};

const input = {
  a: 'A',
  'c-d': 'CD',
  k: 'dyn',
  dyn: 'DYN',
  e: ['X', 'hole', undefined, 'z1', 'z2'],
  arr: [undefined, 'Q'],
  set: new Set(['s1', 's2']),
  map: new Map([['m', 1]]),
};

describe('the transform keeps the meaning of', () => {
  const cases: [string, keyof typeof programs, (made: Made) => Generator<unknown, unknown, unknown>, unknown[]][] = [
    ['destructuring declarations', 'pats', (made) => made.pats(input), ['A|b0|CD|DYN|X|y0|z1,z2|p0|Q|deep0', 'returned', 'in0:A']],
    [
      'destructuring with the nested default not taken',
      'pats',
      (made) => made.pats({ ...input, b: 'B', n: { deep: 'D' }, e: ['X', 0, 'Y'], arr: ['P'] }),
      ['A|B|CD|DYN|X|Y||P||D', 'returned', 'in0:A'],
    ],
    [
      'for-of over a live array, a Set, a single-statement body and a Map',
      'loops',
      (made) => made.loopsOf(input),
      [
        'live1',
        'live2',
        'live10',
        'live20',
        'sets1!',
        'sets2!',
        'oneundefined',
        'oneQ',
        'm=1',
        'returned',
        ['in0', 'in1', 'in2', 'in3', 'in4', 'in5', 'in6', 'in7', 'in8'],
      ],
    ],
    ['closures made in a compiled body', 'closures', (made) => made.closures(3), ['6,3no capture', 'returned', ['in0', 6, 3]]],
    [
      'generator methods of an exported class, static ones and quoted keys',
      'classes',
      (made) => made.calls(),
      ['ex1', 'st2', 'qm3', 'returned', ['in01', 6, 'in2', 4]],
    ],
    ['yield* of a generator method with a quoted key', 'classes', (made) => made.qm(5), ['qm5', 'returned', 'in0']],
    [
      'shadowed and shorthand locals, a for-of in a closure, for-in, arguments of a nested function, a nested generator and a method',
      'more',
      (made) => made.more({ k: 'K', obj: { x: 1, y: 2 } }),
      ['K@inner', 'KK01xy3method', 'returned', { k: 'K', r: 'in1', fromInner: 'K' }],
    ],
  ];
  for (const [what, which, start, expected] of cases)
    it(what, () => {
      const { made } = load(which);
      expect(native(() => start(made))).toEqual(expected);
      expect(compiledRun(() => start(made))).toEqual(expected);
    });

  it('an iterable that is not an array, listed once when its loop starts', () => {
    const { made } = load('loops');
    let listed = 0;
    const once = {
      *[Symbol.iterator]() {
        listed++;
        yield 'only';
      },
    };
    expect(compiledRun(() => made.loopsOf({ ...input, set: once }))).toContain('setonly!');
    expect(listed).toBe(1);
  });
});

describe('the wrappers', () => {
  it('are named as the function, method or property they replace', () => {
    const { made } = load('classes');
    expect([made.Exported.s.name, made.Exported.prototype.g.name, made.qm.name, made.named.name, load('pats').made.pats.name]).toEqual([
      's',
      'g',
      'q m',
      'inner_name',
      'pats',
    ]);
    // a computed key names nothing the transform can read
    expect(made.computed.ck?.name).toBe('');
    expect(native(() => (made.computed.ck as Gen)())).toEqual(['computed', 'returned', undefined]);
    expect(compiledRun(() => (made.computed.ck as Gen)())).toEqual(['computed', 'returned', undefined]);
  });
});

describe('closure tags', () => {
  const tagOf = (f: unknown) => (f as { $tag?: rt.ClosureTag }).$tag;
  const withTags = <T>(f: () => T): T => {
    rt.tags.on = true;
    try {
      return f();
    } finally {
      rt.tags.on = false;
    }
  };

  it('a closure a plain function makes carries the module as maker, its site and the constants it uses', () => {
    const { made } = load('closures');
    const [a, b] = withTags(() => [made.adapter(1), made.adapter(2)]);
    expect(a?.()).toBe(2);
    const [ta, tb] = [tagOf(a), tagOf(b)];
    expect(ta?.values).toEqual([1]);
    expect(tb?.values).toEqual([2]);
    expect(ta?.of).toBe(tb?.of);
    expect(ta?.site).toBe(tb?.site);
    expect(ta?.in).toBeUndefined();
    expect(typeof ta?.of).toBe('function');
  });

  it('one that uses its own `this`, an arrow’s `this`, its `arguments`, or a local that is reassigned, stays untagged', () => {
    const { made } = load('closures');
    const [s, s2, args, c] = withTags(() => [made.selfish(), made.selfish2(), made.argy(), made.counting(4)]);
    expect(c?.()).toBe(5);
    expect(args?.()).toBe(0);
    for (const f of [s, s2, args, c]) expect(tagOf(f)).toBeUndefined();
  });

  it('the values are the enclosing locals a plain closure uses: not module constants, not its own locals', () => {
    const { made } = load('closures');
    const [a2, a] = withTags(() => [made.adapter2(1), made.adapter(1)]);
    expect(a2?.(2)).toBe(103);
    expect(tagOf(a2)?.values).toEqual([1]);
    expect(tagOf(a2)?.site).not.toBe(tagOf(a)?.site);
    expect(tagOf(a2)?.of).toBe(tagOf(a)?.of);
  });

  it('closures in a compiled body are tagged with the compiled copy, one site each, with the locals they capture', () => {
    const { made } = load('closures');
    const s = rt.startThread(() => made.closures(3));
    const fns = withTags(() => {
      s.next(undefined);
      return (s.frames[0] as rt.Frame).L.$fns as (() => number)[];
    });
    const [t0, t1] = fns.map(tagOf);
    const plain = withTags(() => {
      const t = rt.startThread(() => made.closures(1));
      t.next(undefined);
      return (t.frames[0] as rt.Frame).L.$plain;
    });
    expect(tagOf(plain)?.values).toEqual([]);
    expect([t0?.site, t1?.site]).not.toContain(tagOf(plain)?.site);
    expect(t0?.values).toEqual([6]);
    expect(t1?.values).toEqual([3]);
    expect(t0?.of).toBe(t1?.of);
    expect(t0?.of).toBe((s.frames[0] as rt.Frame).of);
    expect(new Set([t0?.site, t1?.site]).size).toBe(2);
  });

  it('tags nothing when tagging is off', () => {
    const { made } = load('closures');
    expect(tagOf(made.adapter(1))).toBeUndefined();
  });
});

describe('what the transform compiles', () => {
  it('finds generators by their syntax, and only with a yield', () => {
    expect(hasGenerators('function* f() { yield 1; }')).toBe(true);
    expect(hasGenerators('function *f() { yield 1; }')).toBe(true);
    expect(hasGenerators('const o = { *m() { yield 1; } };')).toBe(true);
    expect(hasGenerators('const o = { *[k]() { yield 1; } };')).toBe(true);
    expect(hasGenerators('function* f() {}')).toBe(false);
    expect(hasGenerators('const yieldCount = a * b;')).toBe(false);
    expect(hasGenerators('function f() { return 1; }')).toBe(false);
  });

  it('passes a syntax error through as it is, and gives a subset error the line alone as its message', () => {
    expect(() => compileModelSource('function* f() { yield 1 +; }', '/repo/model/bad.js', 'RT')).toThrow(SyntaxError);
    try {
      compileModelSource('function* f() { yield* g(arguments); }', '/repo/model/a.js', 'RT');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SubsetError);
      expect((e as SubsetError).message).toBe((e as SubsetError).line);
      expect((e as SubsetError).line).toMatch(/^\/repo\/model\/a\.js:1: `arguments` is outside the compiled subset \(docs\/engine\.md\)$/);
    }
  });

  it("declares the module as closures' maker only when a plain function makes a closure", () => {
    expect(compileModelSource('function* f(o) { yield o; }', '/repo/model/n.js', 'RT')).not.toContain('__frames_module');
  });

  it('returns code without generators unchanged', () => {
    const plain = 'export const x = (a) => a + 1;\n';
    expect(compileModelSource(plain, '/repo/model/p.js', 'RT')).toBe(plain);
  });

  it('leaves native bodies generators and their copies plain functions over frames', () => {
    const { compiled } = load('closures');
    expect(compiled).toMatch(/__rt\.G\(function\* \(n\)/);
    expect(compiled).not.toMatch(/__rt\.C\(/);
    expect(compiled).not.toMatch(/_regenerator/);
    expect(compiled).toMatch(/^function __frames_module\(\) \{\}/m);
  });

  it('rejects the class and method shapes it cannot wrap, naming file and line', () => {
    const cases: [string, RegExp][] = [
      ['const o = { *[k]() { yield 1; } };', /^\/repo\/model\/c\.js:1: a generator method with a computed name is outside/],
      ['class A { *[k]() { yield 1; } }', /a generator class member that is not a plain method/],
      // (a quoted name alone does not make hasGenerators see a generator: a function* beside it does)
      [
        'function* f() { yield 0; }\nclass A { static *"s"() { yield 1; } }',
        /c\.js:2: a generator class member that is not a plain method/,
      ],
      ['const A = class { *g() { yield 1; } };', /a generator method of an anonymous class/],
      ['function* f(o) { for (x of o) yield x; }', /a for-of loop without its own declaration/],
      ['function* f(o) { for (const { length } in o) o.n = length; yield o; }', /a destructuring loop head/],
      ['function* f(o) { const [a] = o; function h() { return a; } yield h; }', /a function declared inside a generator/],
      ['function* f(o) { const a = o; yield { m() { return a; } }; }', /a method capturing a local \(write it as an arrow\)/],
      ['function* f(o) { const { a: { ...r } } = o; yield r; }', /a rest pattern/],
      ['function* f(o) { const a = o; class X { m() { return a; } } yield new X(); }', /a method capturing a local/],
      ['function* f(o) { const a = o; class X { #m() { return a; } } yield new X(); }', /a method capturing a local/],
    ];
    for (const [code, re] of cases) {
      let err: unknown;
      try {
        compileModelSource(code, '/repo/model/c.js', 'RT');
      } catch (e) {
        err = e;
      }
      expect(err, code).toBeInstanceOf(SubsetError);
      expect((err as SubsetError).line, code).toMatch(re);
    }
  });
});
