/** `--html FILE` on every command, `lockorder --format svg` and `replay --format mermaid --threads-only`: valid, self-contained, and saying what the text report says. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, expectUsageError, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';
import { danglingLinks, externalReferences, htmlProblems } from './html-page.ts';

const ABBA = 'examples/variants/resv-before-memory-lock.ts';
const ORDER = 'examples/lockorder/vfio-dmabuf.order';
const CORPUS = 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json';
const FIVE = 'counterexamples/sva-2018-v2/lock-order.json';

async function expectGoodPage(path: string): Promise<string> {
  const html = readFileSync(path, 'utf8');
  expect(await htmlProblems(html)).toEqual([]);
  expect(externalReferences(html)).toEqual([]);
  expect(danglingLinks(html)).toEqual([]);
  return html;
}

describe('check --html', () => {
  const dir = tempDir();
  const page = join(dir, 'check.html');
  let r: CliResult;
  beforeAll(async () => {
    r = await here(['check', '--variant', 'before-close-order', '--bound', 'ops=1', '--mode', 'exhaustive', '--out', dir, '--html', page]);
  }, 120_000);

  it('writes one valid page with no external reference, and only the page (no temporary file left)', async () => {
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(`wrote ${page}\n`);
    await expectGoodPage(page);
    expect(readdirSync(dir).sort()).toEqual(['before-close-order.no-mmio-access-while-unavailable.1.json', 'check.html']);
  });

  it('has the verdict table with the bound and completeness, and the replay command', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(
      /<td>no-mmio-access-while-unavailable<\/td><td>exhaustive<\/td><td class="fail">FAIL<\/td><td class="complete">complete<\/td>/,
    );
    expect(html).toContain('bound: default; primary commands: close_device_fd');
    expect(html).toContain(
      `<code class="cmd">vfio-dmabuf-model replay ${join(dir, 'before-close-order.no-mmio-access-while-unavailable.1.json')}</code>`,
    );
  });

  it('draws the counterexample as lanes: one per thread that ran, the context switch, the violating step marked', () => {
    const html = readFileSync(page, 'utf8');
    const lanes = [...html.matchAll(/<rect class="lane" [^>]*data-thread="([^"]+)"/g)].map((m) => m[1]);
    expect(lanes).toEqual(['primary0', 'sync0']);
    // the schedule is primary0×9 sync0×11: one switch, before step 10
    expect(html.match(/<line class="switch"/g)).toHaveLength(1);
    expect(html.match(/<rect class="step bad"[^>]*>/g)).toEqual([expect.stringContaining('data-step="20"')]);
    expect(html).toContain('<tr id="cx-no-mmio-access-while-unavailable-step-20" class="bad">');
    // the call stack and the locks held, per step, and the fields changed behind a <details>
    expect(html).toContain(
      '<div class="stack">____fput &gt; __fput &gt; vfio_device_fops &gt; vfio_device_fops_release &gt; vfio_pci_core_close_device',
    );
    // in the lanes, the stack wraps after a ">", never inside a name
    expect(html).toMatch(/<text class="stack" x="[\d.]+" y="\d+">in ____fput &gt; __fput &gt; vfio_device_fops &gt;<\/text>/);
    expect(html).toContain('held: &amp;dev_set-&gt;lock, &amp;vdev-&gt;memory_lock (W)');
    expect(html).toMatch(
      /<details><summary>4 fields changed<\/summary><ul><li><code>vdev0\.barmap: \[0\] -&gt; \[\]<\/code><\/li><li><code>vdev0\.vconfig: true -&gt; false<\/code>/,
    );
  });
});

describe('--html FILE that cannot be written', () => {
  it('a missing directory or a directory as FILE: one line, exit 2, before any search, nothing saved', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [
        ['check', '--variant', 'before-close-order', '--out', dir, '--html', join(dir, 'no', 'x.html')],
        /--html .*x\.html: cannot write the page: no directory/,
      ],
      [['lockorder', '--out', dir, '--html', dir], /cannot write the page: it is a directory/],
      [['replay', CORPUS, '--html', join(dir, 'no', 'x.html')], /cannot write the page: no directory/],
      [['matrix', '--variant', 'before-close-order', '--html', join(dir, 'no', 'x.html')], /cannot write the page: no directory/],
      [['diff', 'upstream-7.1', 'before-close-order', '--html', join(dir, 'no', 'x.html')], /cannot write the page: no directory/],
    ];
    for (const [args, want] of cases) {
      const t0 = Date.now();
      const r = await here(args);
      expect(expectUsageError(r)).toMatch(want);
      expect(Date.now() - t0).toBeLessThan(20_000);
    }
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);
});

describe('lockorder --html on a design with an inversion', () => {
  const dir = tempDir();
  const page = join(dir, 'lockorder.html');
  let r: CliResult;
  beforeAll(async () => {
    r = await here(['lockorder', '--variant', ABBA, '--design', ORDER, '--out', dir, '--html', page]);
  }, 120_000);

  it('the graph: cycle and broken edges red, each edge linking to its witness with lanes, the never-taken declared edge to its line', async () => {
    expect(r.code, r.stderr).toBe(1);
    const html = await expectGoodPage(page);
    expect(html).toContain('<svg class="lockgraph"');
    const edges = [...html.matchAll(/<g id="g-edge\d+" class="edge">([\s\S]*?)<\/g>\n<\/g>/g)].map((m) => m[1] as string);
    expect(edges).toHaveLength(6); // 5 observed, 1 declared but never taken
    const title = (e: string) => /<title>(.*?)<\/title>/.exec(e)?.[1];
    const red = edges.filter((e) => e.includes('stroke="#cc0000"'));
    // the two edges of the ABBA cycle
    expect(red.map(title)).toEqual([
      '&amp;vdev&#45;&gt;memory_lock&#45;&gt;reservation_ww_class_mutex',
      'reservation_ww_class_mutex&#45;&gt;&amp;vdev&#45;&gt;memory_lock',
    ]);
    const [never, ...taken] = [...edges].sort((a, b) => Number(b.includes('never taken')) - Number(a.includes('never taken')));
    for (const e of taken) expect(e).toMatch(/xlink:href="#g-witness-\d"/);
    // the declared edge no execution made: dotted grey, and a link to where the order file declares it
    expect(title(never ?? '')).toBe('&amp;mm&#45;&gt;mmap_lock&#45;&gt;&amp;vdev&#45;&gt;memory_lock');
    expect(never).toContain('stroke="#999999" stroke-dasharray');
    expect(never).toMatch(
      /xlink:href="#g-declared-1" xlink:title="declared at examples\/lockorder\/vfio&#45;dmabuf\.order:\d+, never taken within the bound"/,
    );
    expect(html).toMatch(
      /<li id="g-declared-1">NEVER EXERCISED &amp;mm-&gt;mmap_lock -&gt; &amp;vdev-&gt;memory_lock \(examples\/lockorder\/vfio-dmabuf\.order:\d+\)<\/li>/,
    );
    expect(html.match(/<div class="edge bad" id="g-witness-\d">/g)).toHaveLength(2);
    expect(html).toContain(
      '<span class="tag red">breaks the declared order: inverts the declared order &amp;vdev-&gt;memory_lock -&gt; reservation_ww_class_mutex</span>',
    );
    // the witness of each edge as lanes, the step that makes it marked
    expect(html.match(/<svg class="lanes" id="g-w\d-lanes"/g)).toHaveLength(5);
  });

  it('the verdict, the cycle as lockdep reports it, and the deadlock with its replay command', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<th scope="row">cycles</th><td class="fail">1 (lockdep would warn)</td>');
    expect(html).toContain('<th scope="row">search</th><td class="complete">complete</td>');
    expect(html).toContain('WARNING: possible circular locking dependency detected');
    expect(html).toContain('<svg class="lanes" id="deadlock-lanes"');
    const saved = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(saved).toEqual(['user-resv-before-memory-lock.lock-order.1.json']);
    expect(html).toContain(`<code class="cmd">vfio-dmabuf-model replay ${join(dir, saved[0] as string)}</code>`);
  });
});

describe('lockorder --html on a design that takes a lock it holds', () => {
  it("says lockdep would warn: the recursion in lockdep's words, as the text report and check's lock-order do", async () => {
    const dir = tempDir();
    const page = join(dir, 'lockorder.html');
    const r = await here(['lockorder', '--variant', 'sva-mmput-sync', '--out', dir, '--html', page]);
    expect(r.code, r.stderr).toBe(1);
    const html = await expectGoodPage(page);
    expect(html).toContain('<h1>lockorder sva-mmput-sync: 1 recursive locking');
    expect(html).toContain('Recursion 1 (lockdep-recursion): &amp;iommu-&gt;lock taken while already held');
    expect(html).toContain('possible recursive locking detected');
    expect(html).not.toContain('lockdep would not warn');
  }, 120_000);
});

describe('replay, diff and matrix --html', () => {
  it('replay: the verdict, what the file records, the lanes', async () => {
    const page = join(tempDir(), 'replay.html');
    const r = await here(['replay', CORPUS, '--html', page]);
    expect(r.code, r.stderr).toBe(1);
    const html = await expectGoodPage(page);
    expect(html).toContain('<td class="fail">REPRODUCED: mmio-while-unavailable at step 20, the same trace as recorded</td>');
    expect(html).toContain('<th scope="row">schedule</th><td>primary0×9 sync0×11 (20 steps, 1 context switch)</td>');
    expect(html).toContain(`<code class="cmd">vfio-dmabuf-model replay ${CORPUS}</code>`);
    expect(html.match(/<rect class="lane" /g)).toHaveLength(2);
  }, 60_000);

  it("replay of 5 threads: the lanes follow the threads view's --width rules (default 100), never cutting a name", async () => {
    const dir = tempDir();
    const pages = { plain: join(dir, 'plain.html'), wide: join(dir, 'wide.html'), whole: join(dir, 'whole.html') };
    const runs = await Promise.all([
      here(['replay', FIVE, '--html', pages.plain]),
      here(['replay', FIVE, '--html', pages.wide, '--width', '160']),
      here(['replay', FIVE, '--html', pages.whole, '--width', '1000']),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(1);
    const svgWidth = (html: string) => Number(/<svg class="lanes" id="trace-lanes"[^>]* width="(\d+)"/.exec(html)?.[1]);
    const texts = (html: string) =>
      [...html.matchAll(/<text class="(?:fn|call|action|stack|held|chg|note|ret)"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);
    const [plain, wide, whole] = [pages.plain, pages.wide, pages.whole].map((f) => readFileSync(f, 'utf8')) as [string, string, string];
    await expectGoodPage(pages.plain);
    // 100 characters of 7.23 px and the step column; 160 makes it wider
    expect(svgWidth(plain)).toBeLessThanOrEqual(100 * 7.23 + 60);
    expect(svgWidth(wide)).toBeGreaterThan(svgWidth(plain) + 300);
    const words = new Set(texts(whole).flatMap((t) => t.match(/[A-Za-z0-9_]+/g) ?? []));
    expect(texts(plain).flatMap((t) => (t.match(/[A-Za-z0-9_]+/g) ?? []).filter((w) => !words.has(w)))).toEqual([]);
    expect(plain.match(/<rect class="lane" /g)).toHaveLength(5);
  }, 60_000);

  it('diff: both verdicts, the function that differs, both lock graphs', async () => {
    const page = join(tempDir(), 'diff.html');
    const r = await here(['diff', 'upstream-7.1', 'before-close-order', '--bound', 'ops=1', '--html', page]);
    expect(r.code, r.stderr).toBe(1);
    const html = await expectGoodPage(page);
    expect(html).toMatch(
      /<td>no-mmio-access-while-unavailable<\/td><td class="pass">pass<\/td><td class="fail">FAIL<\/td><td class="fail">CHANGED<\/td>/,
    );
    expect(html).toContain('<td>vfio_pci_core_close_device</td><td>vfio_pci_core_close_device</td><td>close_disable_then_cleanup</td>');
    expect(html.match(/<svg class="lockgraph"/g)).toHaveLength(2);
    expect(html).toContain('<th scope="row">search</th><td class="complete">complete</td>');
  }, 120_000);

  it('matrix: the table, each failing cell linked to its counterexample and replay command', async () => {
    const page = join(tempDir(), 'matrix.html');
    const r = await here(['matrix', '--variant', 'before-close-order', '--html', page]);
    expect(r.code, r.stderr).toBe(0);
    const html = await expectGoodPage(page);
    expect(html).toContain(
      '<td class="fail"><a href="#cell-before-close-order-no-mmio-access-while-unavailable">FAIL 20</a> (7.1: pass)</td>',
    );
    // like check's verdict table: the bound searched and whether the search covered it
    expect(html).toContain('<th>design</th><th>bound; primary commands</th><th>states</th><th>search</th>');
    expect(html).toMatch(
      /<td>default; close_device_fd<\/td><td class="num">[\d,]+<\/td><td class="complete">complete<\/td><td class="fail"><a href="#cell-before-close-order-/,
    );
    expect(html).toContain(`vfio-dmabuf-model replay ${CORPUS} --html before-close-order.no-mmio-access-while-unavailable.html`);
  }, 120_000);
});

describe('lockorder --format svg', () => {
  it('is an SVG document laid out in-process, and docs/images/lockgraph-upstream-7.1.svg is what it prints now', async () => {
    const r = await here(['lockorder', '--format', 'svg']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1.0"[\s\S]*<svg [\s\S]*<\/svg>\n$/);
    expect(r.stdout).toContain('lock dependency graph of upstream&#45;7.1');
    // each edge's witness is its hover text
    expect(r.stdout).toMatch(/<a xlink:title="&amp;dev_set&#45;&gt;lock &#45;&gt; &amp;vdev&#45;&gt;memory_lock &#160;\[EN\]/);
    const committed = readFileSync(join(REPO, 'docs/images/lockgraph-upstream-7.1.svg'), 'utf8');
    expect(committed, 'regenerate: vfio-dmabuf-model lockorder --format svg > docs/images/lockgraph-upstream-7.1.svg').toBe(r.stdout);
  }, 120_000);
});

describe('replay --format mermaid --threads-only', () => {
  it('a participant per thread and no object columns, the switch, the violating step in a red box', async () => {
    const r = await here(['replay', CORPUS, '--format', 'mermaid', '--threads-only']);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.includes('participant'))).toEqual(['  participant T0 as primary0', '  participant T1 as sync0']);
    expect(lines.filter((l) => l.includes('-->>'))).toEqual(['  T0-->>T1: context switch']);
    expect(r.stdout).toContain(
      // vfio_pci_core_disable() frees them with no lock (issue 20): one step up to the reset's first point
      '  Note over T0: 9. vfio_pci_core_disable:<br/>vfio_pci_core_disable(vdev0): release BAR<br/>regions, vfio_config_free()<br/>vdev0.barmap: [0] -> []<br/>vdev0.vconfig: true -> false',
    );
    expect(r.stdout).toContain(
      '  rect rgb(255, 215, 215)\n    Note over T1: 20. importer_dma_access: sync0: device DMA<br/>through att0\n  end',
    );
    // no line is wider than a pasted issue comfortably shows
    expect(
      Math.max(
        ...lines
          .filter((l) => l.includes('Note'))
          .flatMap((l) => l.split('<br/>').map((x) => x.replace(/^ *Note over [^:]+: /, '').length)),
      ),
    ).toBeLessThanOrEqual(44);
  }, 60_000);

  it('--threads-only without --format mermaid is a usage error', async () => {
    expect(expectUsageError(await here(['replay', CORPUS, '--threads-only']))).toMatch(/--threads-only goes with --format mermaid/);
  });
});
