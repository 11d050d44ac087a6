/**
 * `variant new --from-patch`, on real patch text (test/fixtures/patches/README.md):
 * the fix commits behind the before-* designs map to the table entries those
 * designs replace, a function the model lacks is listed as not modelled, and
 * the generated module loads as it is and checks as its base does.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LoadedDesign, loadDesign } from '../../loader/load.ts';
import type { FunctionTable } from '../../model/dmabuf/functions.ts';
import { kernelFunctionOf } from '../../model/dmabuf/kernel-functions.ts';
import { domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { generateVariant } from '../../patch/generate.ts';
import { readMails } from '../../patch/mail.ts';
import { PatchError, planFor, readSeries, type Series } from '../../patch/series.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'patches');
const fixture = (name: string) => join(FIXTURES, name);
const seriesOf = (...files: string[]): Series => readSeries(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
const dir = mkdtempSync(join(tmpdir(), 'vfio-from-patch-'));

/** The fix commits behind the before-* designs. */
const FIXES = [
  { file: 'c64a647c84f3-kref-underflow.eml', design: 'before-kref-underflow', commit: null },
  { file: 'e98137f0a874-double-free.eml', design: 'before-double-free', commit: 'e98137f0a874ab36d0946de4707aa48cb7137d1c' },
  { file: 'd97708701434-close-order.eml', design: 'before-close-order', commit: 'd97708701434ce72968e771976aaf9d3438fcafd' },
] as const;

async function generate(series: Series | null, base: LoadedDesign, name: string) {
  const output = join(dir, `${name}.ts`);
  const g = await generateVariant({ series, base, name, output, command: 'test' });
  writeFileSync(output, g.text, { flag: 'wx' });
  return { ...g, output };
}

/** Verdicts, violation kinds and counterexample lengths of an exhaustive check at the design's own bound (its matrix row's). */
function verdicts(design: LoadedDesign['design'], bounds: Readonly<Record<string, number>>, focus: readonly string[]) {
  const domain = domainOf(design.domain);
  const catalog = propertiesOf(design.domain);
  return checkDesign({
    design,
    domain,
    properties: catalog,
    catalog,
    modes: ['exhaustive'],
    // partial-order reduction: the same verdicts in a fraction of the states
    dpor: true,
    bounds: domain.parseBounds(Object.entries(bounds).map(([k, v]) => `${k}=${v}`)).bounds,
    focus,
  }).map((r) => ({
    property: r.property,
    verdict: r.verdict,
    kind: r.counterexample?.violation.kind ?? null,
    steps: r.counterexample?.path.length ?? null,
  }));
}

describe('reading patches', () => {
  it('takes subjects, commit ids and Message-IDs from list mail, and the diff from the body', () => {
    const [kref] = readMails(readFileSync(fixture('c64a647c84f3-kref-underflow.eml'), 'utf8'), 'x');
    expect(kref?.title).toBe('vfio/pci: fix dma-buf kref underflow after revoke');
    // as posted, before it was merged: no commit id in the mail
    expect(kref?.commit).toBeNull();
    expect(kref?.messageId).toBe('20260507143548.1018405-1-alex.williamson@nvidia.com');
    expect(kref?.diff.startsWith('diff --git a/drivers/vfio/pci/vfio_pci_dmabuf.c')).toBe(true);
    for (const f of FIXES.filter((x) => x.commit)) {
      const [m] = readMails(readFileSync(fixture(f.file), 'utf8'), 'x');
      expect(m?.commit).toBe(f.commit);
    }
  });

  it('reads an mbox series: the cover letter gives the summary, replies and the cover are not patches', () => {
    const s = seriesOf(fixture('evans-rfc-v2-00-03.mbox'));
    expect(s.cover).toBe('vfio/pci: Add mmap() for DMABUFs');
    expect(s.patches.map((p) => p.mail.number)).toEqual([1, 2, 3]);
  });

  it('rejects a file with no diff, naming it', () => {
    const f = join(dir, 'no-diff.txt');
    writeFileSync(f, 'Subject: [PATCH] words only\n\nno diff here\n');
    expect(() => seriesOf(f)).toThrow(PatchError);
    expect(() => seriesOf(f)).toThrow(/^no patch in .*no-diff\.txt: no diff/);
  });

  it('reads git format-patch output: commit ids from the From <sha> lines, the cover subject as summary', () => {
    const repo = join(dir, 'repo');
    const src = join(repo, 'drivers', 'vfio', 'pci');
    mkdirSync(src, { recursive: true });
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', ...a], {
        cwd: repo,
        encoding: 'utf8',
      });
    git('init', '-q');
    const before = [
      'void vfio_pci_core_close_device(struct vfio_device *core_vdev)',
      '{',
      '\tstruct vfio_pci_core_device *vdev = container_of(core_vdev, struct vfio_pci_core_device, vdev);',
      '',
      '\tvfio_pci_core_disable(vdev);',
      '',
      '\tvfio_pci_dma_buf_cleanup(vdev);',
      '',
      '\tmutex_lock(&vdev->igate);',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(src, 'vfio_pci_core.c'), before);
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(
      join(src, 'vfio_pci_core.c'),
      before.replace(
        '\tvfio_pci_core_disable(vdev);\n\n\tvfio_pci_dma_buf_cleanup(vdev);',
        '\tvfio_pci_dma_buf_cleanup(vdev);\n\n\tvfio_pci_core_disable(vdev);',
      ),
    );
    git('commit', '-qam', 'vfio/pci: Clean up DMABUFs before disabling function');
    const sha = git('rev-parse', 'HEAD').trim();
    git('config', 'branch.main.description', 'vfio/pci: close order\n\nOne patch.');
    const mbox = git('format-patch', '--stdout', '--cover-letter', '--cover-from-description=subject', '-1');
    const f = join(dir, 'series.mbox');
    writeFileSync(f, mbox);
    const s = seriesOf(f);
    expect(s.cover).toBe('vfio/pci: close order');
    expect(s.patches.map((p) => [p.mail.commit, p.mail.title])).toEqual([[sha, 'vfio/pci: Clean up DMABUFs before disabling function']]);
    expect(s.patches[0]?.changes.functions.map((c) => c.name)).toEqual(['vfio_pci_core_close_device']);
  });
});

describe('the fix commits behind the before-* designs', () => {
  for (const f of FIXES) {
    it(`${f.file} changes the kernel function of every entry ${f.design} replaces`, () => {
      const design = findBuiltin(f.design);
      if (!design) throw new Error(f.design);
      const s = seriesOf(fixture(f.file));
      const changed = new Set(s.patches.flatMap((p) => p.changes.functions.map((c) => c.name)));
      for (const entry of design.replaced) expect(changed).toContain(kernelFunctionOf(entry));
      const plan = planFor(s, Object.keys(design.functions));
      expect(plan.replace.map((r) => r.entry)).toEqual(expect.arrayContaining([...design.replaced]));
      expect(plan.notModelled).toEqual([]);
    });
  }

  it('maps a helper that is part of a kernel function through that function: export_install_fd', () => {
    const plan = planFor(seriesOf(fixture('e98137f0a874-double-free.eml')), Object.keys(findBuiltin('upstream-7.1')?.functions ?? {}));
    expect(plan.replace.map((r) => [r.entry, r.kernel])).toEqual([
      ['vfio_pci_core_feature_dma_buf', 'vfio_pci_core_feature_dma_buf'],
      ['export_install_fd', 'vfio_pci_core_feature_dma_buf'],
    ]);
  });

  it('lists a function the model lacks as not modelled, and hunks outside functions apart', () => {
    const s = seriesOf(fixture('evans-rfc-v2-00-03.mbox'));
    const plan = planFor(s, Object.keys(findBuiltin('upstream-7.1')?.functions ?? {}));
    expect(plan.notModelled.map((n) => [n.name, n.touches[0]?.change.defined])).toEqual([['vfio_pci_dma_buf_find_pfn', 'added']]);
    expect(plan.replace.map((r) => r.entry)).toEqual(['vfio_pci_core_feature_dma_buf', 'export_install_fd', 'vfio_pci_core_close_device']);
    // the struct moved to the header and the prototype: no function of the model
    expect(plan.outside.map((o) => o.change.file)).toEqual([
      'drivers/vfio/pci/vfio_pci_dmabuf.c',
      'drivers/vfio/pci/vfio_pci_priv.h',
      'drivers/vfio/pci/vfio_pci_priv.h',
    ]);
  });
});

describe('the generated module', () => {
  for (const f of FIXES) {
    it(`from ${f.file} on ${f.design}: loads as it is and checks as ${f.design} does`, async () => {
      const base = await loadDesign(f.design);
      const series = seriesOf(fixture(f.file));
      const g = await generate(series, base, `from-${f.design}`);
      const text = readFileSync(g.output, 'utf8');
      // the hunk sits right above the copy, and the copy is the source text, not the transpiled function
      expect(text).toMatch(/\/\/ {3}@@ [^\n]*\n(?:\s*\/\/[^\n]*\n)*\s*\/\*\*[^\n]*\n\s*(export )?function\*/);
      const loaded = await loadDesign(g.output);
      const d = loaded.design;
      expect(d.base).toBe(f.design);
      expect(d.replaced).toEqual(g.plan.replace.map((r) => r.entry).sort());
      expect(d.summary).toBe(series.patches[0]?.mail.title);
      if (f.commit) expect(d.source).toContain(f.commit.slice(0, 12));
      expect(d.differences.join('\n')).toContain(series.patches[0]?.mail.title);
      expect(d.bounds).toEqual(base.design.bounds);
      expect(d.focus).toEqual(base.design.focus);
      expect(verdicts(d, d.bounds, d.focus)).toEqual(verdicts(base.design, base.design.bounds, base.design.focus));
    });
  }

  it('from a series on upstream-7.1: the cover subject is the summary, the new function is listed at the top', async () => {
    const g = await generate(seriesOf(fixture('evans-rfc-v2-00-03.mbox')), await loadDesign('upstream-7.1'), 'evans');
    const text = readFileSync(g.output, 'utf8');
    const top = text.slice(0, text.indexOf('export default'));
    expect(top).toMatch(
      /Not modelled[^\n]*\n\/\/ {3}vfio_pci_dma_buf_find_pfn \(drivers\/vfio\/pci\/vfio_pci_dmabuf\.c\), added by \[RFC v2 PATCH 03\/10\]/,
    );
    expect(top).toContain('//     +int vfio_pci_dma_buf_find_pfn(struct vfio_pci_dma_buf *vpdmabuf,');
    const d = (await loadDesign(g.output)).design;
    expect(d.summary).toBe('vfio/pci: Add mmap() for DMABUFs');
    expect(d.replaced).toEqual(['export_install_fd', 'vfio_pci_core_close_device', 'vfio_pci_core_feature_dma_buf']);
  });

  it('without a patch: a typed skeleton with one example replacement, bounds and focus inherited', async () => {
    const base = await loadDesign('before-double-free');
    const g = await generate(null, base, 'skeleton');
    const text = readFileSync(g.output, 'utf8');
    // the model's K is the API's TypedK (typed handles); the copy imports it under the model's name
    expect(text).toMatch(/^import type \{ Ref, TypedK as K \} from 'vfio-dmabuf-model';$/m);
    const d = (await loadDesign(g.output)).design;
    expect(d.replaced).toEqual(['export_install_fd']);
    expect(d.bounds).toEqual(base.design.bounds);
    expect(d.focus).toEqual(base.design.focus);
  });

  it("copies from a user's module by path: a function inside design(api), with what it takes from the api", async () => {
    const base = await loadDesign('examples/variants/resv-before-memory-lock.ts');
    const g = await generate(null, base, 'from-user-module');
    const text = readFileSync(g.output, 'utf8');
    expect(text).toMatch(/^import baseModule from '.*examples\/variants\/resv-before-memory-lock\.ts';$/m);
    expect(text).toContain('const { defineVariant, errno, objects } = api;');
    const d = (await loadDesign(g.output)).design;
    expect(d.base).toBe('user-resv-before-memory-lock');
    expect(d.replaced).toEqual(['vfio_pci_dma_buf_attach']);
    expect((d.functions as FunctionTable).vfio_pci_dma_buf_attach).not.toBe(
      (base.design.functions as FunctionTable).vfio_pci_dma_buf_attach,
    );
  });
});
