/**
 * Regenerates the rendered page example of the README
 * (docs/images/report-check-before-close-order.png) and the PNG of the lock
 * graph, in Debian's headless Chromium:
 *
 *   npx tsx docs/images/make-page-example.ts
 *
 * (The SVG itself is `vfio-dmabuf-model lockorder --format svg`.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch } from '../../test/cli/browser.ts';

const repo = resolve(import.meta.dirname, '..', '..');
const images = join(repo, 'docs', 'images');
const tmp = mkdtempSync(join(tmpdir(), 'vfio-page-'));
const page = join(tmp, 'check.html');
try {
  execFileSync(
    process.execPath,
    [join(repo, 'cli', 'bin.js'), 'check', '--variant', 'before-close-order', '--bound', 'ops=1', '--mode', 'exhaustive', '--out', join(tmp, 'runs'), '--html', page],
    { stdio: 'ignore' },
  );
} catch (e) {
  // exit 1: the property is violated, which is the point of the example
  if ((e as { status?: number }).status !== 1) throw e;
}
const browser = await launch();
try {
  const p = await browser.context.newPage();
  await p.setViewportSize({ width: 1280, height: 900 });
  await p.goto(`file://${page}`);
  // the verdicts and the lanes down to step 12: what a reader sees first
  const lanes = await p.locator('svg.lanes rect.step[data-step="12"]').boundingBox();
  await p.screenshot({ path: join(images, 'report-check-before-close-order.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil((lanes?.y ?? 1400) + (lanes?.height ?? 0) + 12) } });
  await p.goto(`file://${join(images, 'lockgraph-upstream-7.1.svg')}`);
  await p.locator('svg').screenshot({ path: join(images, 'lockgraph-upstream-7.1.png') });
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
