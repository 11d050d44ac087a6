/**
 * What `replay` says, as a user runs it: each outcome with its exit status,
 * a corrupted file or a broken design as one line and exit 2 (never "no
 * longer reproduces"), and a module only when the user names it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const dir = tempDir();
/** written by the test's variant modules when imported */
const marker = join(dir, 'imported');
const CORPUS = 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json';
const corpus = () => JSON.parse(readFileSync(join(REPO, CORPUS), 'utf8'));
const file = (name: string, o: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof o === 'string' ? o : JSON.stringify(o, null, 2));
  return path;
};

describe('a corrupted file is one line and exit 2', () => {
  it('an operation argument out of range names the field', async () => {
    const cx = corpus();
    cx.scenario.threads[0].ops[0] = { op: 'runtime_resume', args: { dev: 5 } };
    const line = expectUsageError(await here(['replay', file('dev5.json', cx)]));
    expect(line).toContain('scenario.threads[0].ops[0].args.dev: 5 is out of range 0..0');
  });

  it('a renamed thread', async () => {
    const cx = corpus();
    cx.scenario.threads[1].name = 'primary1';
    cx.schedule = cx.schedule.map(([t, n]: [string, number]) => [t === 'sync0' ? 'primary1' : t, n]);
    expect(expectUsageError(await here(['replay', file('renamed.json', cx)]))).toContain('a primary thread does not run sync_attach');
  });

  it('5,000-deep nesting', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const raw = JSON.stringify({ ...corpus(), found: { mode: 'exhaustive', x: 0 } }).replace('"x":0', `"x":${deep}`);
    expect(expectUsageError(await here(['replay', file('deep.json', raw)]))).toContain('found.x: expected values nested at most 32 deep');
  });
});

describe('the outcomes and their exit status', () => {
  it('a different violation: exit 1, named', async () => {
    const cx = corpus();
    cx.violation.kind = 'mmio-while-revoked';
    const r = await here(['replay', file('different.json', cx)]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /^DIFFERENT VIOLATION: mmio-while-unavailable at step 20 instead of the recorded mmio-while-revoked: importer DMA/m,
    );
  });

  it('the fixed design, named with --variant: exit 0, the schedule no longer fits', async () => {
    const r = await here(['replay', CORPUS, '--variant', 'upstream-7.1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('design: upstream-7.1 (given with --variant; the file was saved with before-close-order)');
    expect(r.stdout).toContain('NO LONGER REPRODUCES: the schedule no longer fits: step 18: thread sync0 cannot run ((done))');
  });
});

describe('a variant module runs only when the user names it', () => {
  const variant = (body: string) =>
    `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'imported');
export default function (api: any) {
  return api.defineVariant(api.designs['before-close-order'], { name: 'mine', summary: 's', source: 's', differences: [], replace: { ${body} } });
}
`;
  let saved: string;
  let module: string;

  beforeAll(async () => {
    module = file('mine.ts', variant(''));
    const r = await here([
      'check',
      '--variant',
      module,
      '--property',
      'no-mmio-access-while-unavailable',
      '--mode',
      'exhaustive',
      '--focus',
      'close_device_fd',
      '--json',
      '--out',
      join(dir, 'out'),
    ]);
    saved = JSON.parse(r.stdout).results[0].counterexample;
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  }, 120_000);

  it('the file records the module by relative path and sha256', () => {
    const cx = JSON.parse(readFileSync(saved, 'utf8'));
    expect(cx.version).toBe(2);
    expect(cx.design.path).toBe(relative(REPO, module));
    expect(cx.design.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('without --variant: one line saying to pass it, and nothing imported', async () => {
    const r = await here(['replay', saved]);
    expect(expectUsageError(r)).toContain(`pass --variant ${relative(REPO, module)} to load it`);
    expect(existsSync(marker)).toBe(false);
  });

  it('with --variant: reproduces, the module checked against the file', async () => {
    const r = await here(['replay', saved, '--variant', module]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(`(module ${module}, the one the file was saved with)`);
    expect(r.stdout).toContain('REPRODUCED: mmio-while-unavailable at step 20, the same trace as recorded');
    const other = file('other.ts', `${variant('')}// edited\n`);
    const o = await here(['replay', saved, '--variant', other]);
    expect(o.stdout).toContain(`(module ${other}: NOT the module the file was saved with, its content digest differs)`);
  });

  it('a design whose code throws during the replay is broken: exit 2, never "no longer reproduces"', async () => {
    const throws = file('throws.ts', variant(`vfio_pci_dma_buf_attach: function* () { throw new TypeError('model bug'); }`));
    const r = await here(['replay', CORPUS, '--variant', throws]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/design mine is broken: at step \d+ \(sync0 in [a-z_ >]+\) its code threw a TypeError: model bug$/);
  });
});
