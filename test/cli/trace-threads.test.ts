/** The threads view fits `--width` (default 100 off a terminal) and wraps only between tokens, with 2 threads and with 5. */
import { describe, expect, it } from 'vitest';
import { width } from '../../cli/io.ts';
import { laneLayout, minWidth, wrapTokens } from '../../cli/wrap.ts';
import { expectUsageError, tempDir } from './helpers.ts';
import { here } from './here.ts';

const TWO = 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json';
// five threads that all take steps: user0, proc0, dma0, kworker0, exit0
const FIVE = 'counterexamples/sva-2018-v2/lock-order.json';

/** The view's lines: from the header row to the end (the steps, then the violation). */
function view(stdout: string): string[] {
  const lines = stdout.split('\n');
  const from = lines.findIndex((l) => l.startsWith('step |'));
  const to = lines.findIndex((l) => /^(REPRODUCED|NO LONGER|counterexample)/.test(l));
  expect(from, stdout).toBeGreaterThanOrEqual(0);
  return lines.slice(from, to < 0 ? undefined : to);
}

/** Every word of the view laid out so wide that nothing wraps: a word of a narrower view that is not one of them was cut. */
async function identifiers(file: string): Promise<Set<string>> {
  const r = await here(['replay', file, '--view', 'threads', '--width', '1000']);
  expect(r.stdout).not.toMatch(/\| {5,}[^ |]/);
  return new Set(r.stdout.match(/[A-Za-z0-9_]+/g) ?? []);
}

function cutWords(lines: readonly string[], whole: Set<string>): string[] {
  return lines.flatMap((l) => (l.match(/[A-Za-z0-9_]+/g) ?? []).filter((w) => !whole.has(w)));
}

const widest = (lines: readonly string[]) => Math.max(...lines.map((l) => l.length));

describe('replay --view threads', () => {
  it('2 threads: at most 100 columns off a terminal, and --width 80 is 80; no name cut', async () => {
    const whole = await identifiers(TWO);
    const plain = await here(['replay', TWO, '--view', 'threads']);
    expect(plain.code, plain.stderr).toBe(1);
    const lines = view(plain.stdout);
    expect(widest(lines)).toBeLessThanOrEqual(100);
    expect(widest(lines)).toBeGreaterThan(90);
    expect(cutWords(lines, whole)).toEqual([]);
    const narrow = await here(['replay', TWO, '--view', 'threads', '--width', '80']);
    expect(widest(view(narrow.stdout))).toBeLessThanOrEqual(80);
    expect(cutWords(view(narrow.stdout), whole)).toEqual([]);
    const wide = await here(['replay', TWO, '--view', 'threads', '--width', '160']);
    expect(widest(view(wide.stdout))).toBeGreaterThan(140);
  }, 60_000);

  it("5 threads: fits 100 columns, wraps more, never inside a name, each step starts in its thread's lane", async () => {
    const whole = await identifiers(FIVE);
    const r = await here(['replay', FIVE, '--view', 'threads']);
    expect(r.code, r.stderr).toBe(1);
    const lines = view(r.stdout);
    expect(widest(lines)).toBeLessThanOrEqual(100);
    expect(cutWords(lines, whole)).toEqual([]);
    const head = lines[0] as string;
    const names = ['user0', 'proc0', 'dma0', 'kworker0', 'exit0'];
    const at = names.map((n) => head.indexOf(n));
    for (const x of at) expect(x).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // a step's first line starts at its thread's column: proc0 runs steps 1-4, dma0 5-6, user0 7-11
    const start = (n: number) => {
      const l = lines.find((x) => x.startsWith(`${String(n).padStart(4)} |`)) ?? '';
      return 5 + l.slice(5).search(/[^ |]/);
    };
    expect([start(1), start(5), start(7)]).toEqual([at[1], at[2], at[0]]);
    // more rows than the same trace 160 columns wide
    const wide = await here(['replay', FIVE, '--view', 'threads', '--width', '160']);
    expect(widest(view(wide.stdout))).toBeLessThanOrEqual(160);
    expect(lines.length).toBeGreaterThan(view(wide.stdout).length);
  }, 60_000);

  it('--width below 40 is a usage error', async () => {
    expect(expectUsageError(await here(['replay', TWO, '--view', 'threads', '--width', '20']))).toMatch(
      /--width 20: expected an integer from 40/,
    );
  });
});

describe("check --view threads and lockorder's deadlock", () => {
  it('lockorder prints the deadlock by the same rule', async () => {
    const r = await here(['lockorder', '--variant', 'examples/variants/resv-before-memory-lock.ts', '--out', tempDir(), '--width', '80']);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.split('\n');
    const from = lines.findIndex((l) => l.startsWith('step |'));
    const to = lines.findIndex((l, i) => i > from && /^(counterexample|not saved)/.test(l));
    expect(from).toBeGreaterThan(0);
    expect(widest(lines.slice(from, to))).toBeLessThanOrEqual(80);
  }, 60_000);

  it('check prints its traces by the same rule', async () => {
    const r = await here([
      ...'check --variant before-close-order --mode exhaustive --bound ops=1 --view threads --width 90'.split(' '),
      '--out',
      tempDir(),
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(widest(view(r.stdout))).toBeLessThanOrEqual(90);
  }, 120_000);
});

describe('wrapTokens and laneLayout', () => {
  it('breaks at spaces first, then after punctuation, never between two characters of a name', () => {
    expect(wrapTokens('  mutex_lock(&devset0->lock) then more', 22, 4)).toEqual([
      '  mutex_lock(',
      '      &devset0->lock)',
      '      then more',
    ]);
    expect(wrapTokens('  a.b_c.d_e', 8, 2)).toEqual(['  a.b_c.', '    d_e']);
    // a name longer than the line stays whole (the layout makes lanes wide enough for it)
    expect(wrapTokens('vfio_iommu_type1_detach_group', 10, 4)).toEqual(['vfio_iommu_type1_detach_group']);
    expect(wrapTokens('x -ENODEV', 4, 2)).toEqual(['x', '  -ENODEV']);
    // a call stack breaks after its ">", never before it
    expect(wrapTokens('  in detach > vfio_group_unset_container > __vfio_group_unset_container', 32, 2)).toEqual([
      '  in detach >',
      '    vfio_group_unset_container >',
      '    __vfio_group_unset_container',
    ]);
  });

  it('minWidth is the narrowest line width that cuts no token', () => {
    expect(minWidth('  held: &container->group_lock (W)', 4)).toBe(2 + 4 + '&container->'.length);
    expect(minWidth('vfio_iommu_type1_detach_group', 4)).toBe(29);
    for (const w of [12, 16, 29, 40])
      for (const l of wrapTokens('  down_write(&container0->group_lock) and __vfio_group_unset_container', w, 4))
        expect(l.length <= w || !/\s/.test(l.trim())).toBe(true);
  });

  it('equal lanes when the widest token fits, else lanes that start closer and run over the empty lanes to their right', () => {
    expect(laneLayout(100, 2, 4, 30)).toEqual({ stride: 48, chars: 45 });
    const five = laneLayout(100, 5, 4, 30);
    expect(five.chars).toBeGreaterThanOrEqual(30);
    expect(4 + 3 + 4 * five.stride + five.chars).toBeLessThanOrEqual(100);
    expect(five.stride).toBeGreaterThanOrEqual(4);
  });
});

describe('the default width', () => {
  const none = { int: () => undefined };
  it("is the terminal's columns on a terminal, else 100; --width wins", () => {
    expect(width(none, { isTTY: true, columns: 143 })).toBe(143);
    expect(width(none, { isTTY: false, columns: 143 })).toBe(100);
    expect(width(none, {})).toBe(100);
    expect(width({ int: () => 77 }, { isTTY: true, columns: 143 })).toBe(77);
  });
});
