/**
 * The report pages in a real browser (Debian's Chromium, headless): they open
 * with no console error and no request for anything outside the file, and
 * the screenshot shows the lanes and the lock graph drawn where the page puts
 * them. Under CI=true a missing Chromium fails the test; elsewhere it is
 * skipped, saying why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launch, noBrowser } from './browser.ts';
import { tempDir } from './helpers.ts';
import { here } from './here.ts';

const missing = noBrowser();
const ci = process.env.CI === 'true';

describe.runIf(ci && missing !== null)('Chromium on CI', () => {
  it('is installed (.ci/run installs it with apt)', () => {
    expect(missing).toBeNull();
  });
});

interface Opened {
  readonly page: Page;
  readonly problems: string[];
}

/** Opens a page as a reader does, noting console errors, page errors and any request that leaves the file. */
async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === `file://${file}`) return route.continue();
    problems.push(`request: ${url}`);
    return route.abort();
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, problems };
}

/** The share of pixels in a box of the screenshot that are not the page's white. */
function ink(png: PNG, box: { x: number; y: number; width: number; height: number }, pixel: (r: number, g: number, b: number) => boolean) {
  let hit = 0;
  let all = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(png.height, box.y + box.height); y++)
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(png.width, box.x + box.width); x++) {
      const i = (y * png.width + x) * 4;
      all++;
      if (pixel(png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number)) hit++;
    }
  return all ? hit / all : 0;
}

/**
 * How much is drawn in each lane of a lanes SVG, between the lane's title and
 * the violation bar under the steps: a lane with no step drawn is its dashed
 * guide line alone, about 0.2%.
 */
async function laneInk(page: Page, shot: PNG, svg: string): Promise<{ thread: string; height: number; ink: number }[]> {
  const verdict = await page.locator(`${svg} rect.verdict`).boundingBox();
  expect(verdict, 'the violation bar under the lanes').not.toBeNull();
  const out: { thread: string; height: number; ink: number }[] = [];
  for (const lane of await page.locator(`${svg} rect.lane`).all()) {
    const box = await lane.boundingBox();
    if (!box || !verdict) continue;
    const steps = { x: box.x, y: box.y + 40, width: box.width, height: verdict.y - box.y - 40 };
    out.push({ thread: (await lane.getAttribute('data-thread')) ?? '', height: steps.height, ink: ink(shot, steps, notWhite) });
  }
  return out;
}

const notWhite = (r: number, g: number, b: number) => r < 235 || g < 235 || b < 235;
const red = (r: number, g: number, b: number) => r > 180 && g < 60 && b < 60;

describe.skipIf(missing !== null)(`the pages in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = tempDir();
  const checkPage = join(dir, 'check.html');
  const lockPage = join(dir, 'lockorder.html');
  let browser: Browser;

  beforeAll(async () => {
    const [c, l] = await Promise.all([
      here(['check', '--variant', 'before-close-order', '--bound', 'ops=1', '--mode', 'exhaustive', '--out', dir, '--html', checkPage]),
      here(['lockorder', '--variant', 'examples/variants/resv-before-memory-lock.ts', '--out', dir, '--html', lockPage]),
    ]);
    expect(c.code, c.stderr).toBe(1);
    expect(l.code, l.stderr).toBe(1);
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('check: opens with no console error and no request outside the file; every lane has its steps drawn', async () => {
    const { page, problems } = await open(browser, checkPage);
    const shot = PNG.sync.read(await page.screenshot({ fullPage: true }));
    expect(problems).toEqual([]);
    const lanes = await laneInk(page, shot, 'svg.lanes');
    expect(lanes.map((l) => l.thread)).toEqual(['primary0', 'sync0']);
    for (const l of lanes) {
      expect(l.height).toBeGreaterThan(600);
      expect(l.ink).toBeGreaterThan(0.02);
    }
    // the violating step is drawn red, in the second lane
    const bad = await page.locator('svg.lanes rect.step.bad').boundingBox();
    expect(bad).not.toBeNull();
    if (bad) expect(ink(shot, { ...bad, height: 6 }, red)).toBeGreaterThan(0.2);
    await page.close();
  }, 60_000);

  it('lockorder: the lock graph is drawn, its cycle edges red; the deadlock lanes are drawn', async () => {
    const { page, problems } = await open(browser, lockPage);
    const shot = PNG.sync.read(await page.screenshot({ fullPage: true }));
    expect(problems).toEqual([]);
    const graph = await page.locator('svg.lockgraph').boundingBox();
    expect(graph).not.toBeNull();
    if (!graph) return;
    expect(graph.width).toBeGreaterThan(400);
    expect(ink(shot, graph, notWhite)).toBeGreaterThan(0.03);
    expect(ink(shot, graph, red)).toBeGreaterThan(0.0005);
    const lanes = await laneInk(page, shot, '#deadlock-lanes');
    expect(lanes.map((l) => l.thread)).toEqual(['primary0', 'sync0', 'exit0']);
    for (const l of lanes) expect(l.ink).toBeGreaterThan(0.02);
    // clicking an edge goes to its witness
    await page.locator('svg.lockgraph g.edge a').first().click();
    expect(await page.evaluate(() => location.hash)).toBe('#g-witness-1');
    await page.close();
  }, 60_000);

  it('the standalone SVG of lockorder --format svg opens too', async () => {
    const file = join(import.meta.dirname, '..', '..', 'docs', 'images', 'lockgraph-upstream-7.1.svg');
    expect(readFileSync(file, 'utf8')).toContain('<svg');
    const { page, problems } = await open(browser, file);
    expect(problems).toEqual([]);
    const shot = PNG.sync.read(await page.screenshot());
    expect(ink(shot, { x: 0, y: 0, width: 900, height: 300 }, notWhite)).toBeGreaterThan(0.02);
    await page.close();
  }, 60_000);
});
