/**
 * Design code that misbehaves is named in one line, exit 2, never a hang, a
 * signal or exit 3: a step that never returns (ended by the watcher of
 * cli/supervisor.ts), a thread that never finishes, a bare yield, `function`
 * for `function*`, a syntax error; and ops=6, the largest legal bound, ends
 * cleanly at a short time limit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectUsageError, tempDir } from './helpers.ts';

const dir = tempDir();
const variant = (name: string, replace: string): string => {
  const path = join(dir, name);
  writeFileSync(
    path,
    `export default function (api: any) {
  return api.defineVariant(api.designs['upstream-7.1'], { name: 'v', summary: 's', source: 's', differences: [], replace: { ${replace} } });
}
`,
  );
  return path;
};
const spin = variant('spin.ts', 'vfio_pci_dma_buf_attach: function* () { for (;;) {} }');
const forever = variant(
  'forever.ts',
  'vfio_pci_dma_buf_attach: function* (k: any, priv: string) { for (;;) { yield* k.dma_resv_lock(api.objects.resv(priv)); yield* k.dma_resv_unlock(api.objects.resv(priv)); } }',
);

describe('a step that never returns', () => {
  it('ends at --step-limit without a time limit', async () => {
    const r = await cli(['check', '--variant', spin, '--mode', 'random', '--runs', '5', '--step-limit', '1'], { timeoutMs: 30_000 });
    expect(expectUsageError({ ...r, stdout: '' })).toMatch(
      /design v is broken: step \d+ of thread sync0 in vfio_pci_dma_buf_attach did not return within the step limit \(1 s\)$/,
    );
  });
  it('ends at --time-limit', async () => {
    const r = await cli(['lockorder', '--variant', spin, '--time-limit', '1'], { timeoutMs: 30_000 });
    expect(expectUsageError(r)).toMatch(
      /design v is broken: step \d+ of thread sync0 in vfio_pci_dma_buf_attach did not return by the time limit$/,
    );
  });
});

describe('a step that never returns, in the workers of --jobs and in replay', () => {
  it('check --jobs 2 ends at --step-limit', async () => {
    const r = await cli(['check', '--variant', spin, '--mode', 'exhaustive', '--jobs', '2', '--step-limit', '1', '--out', tempDir()], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^vfio-dmabuf-model check: design v is broken: step \d+ of thread sync0 in vfio_pci_dma_buf_attach did not return within the step limit \(1 s\)$/,
    );
  });
  it('check --jobs 2 ends at --time-limit', async () => {
    const r = await cli(['check', '--variant', spin, '--mode', 'exhaustive', '--jobs', '2', '--time-limit', '2', '--out', tempDir()], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /design v is broken: step \d+ of thread sync0 in vfio_pci_dma_buf_attach did not return by the time limit$/,
    );
  });
  it('replay ends at --step-limit', async () => {
    const file = 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json';
    const r = await cli(['replay', file, '--variant', spin, '--step-limit', '1'], { timeoutMs: 60_000 });
    expect(expectUsageError(r)).toMatch(
      /^vfio-dmabuf-model replay: design v is broken: step \d+ of thread sync0 in vfio_pci_dma_buf_attach did not return within the step limit \(1 s\)$/,
    );
  });
});

describe('a thread that never finishes', () => {
  for (const mode of ['random', 'exhaustive'])
    it(`is named in ${mode} mode`, async () => {
      const r = await cli(['check', '--variant', forever, '--mode', mode, '--runs', '5'], { timeoutMs: 60_000 });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(
        /design v is broken: thread sync0 in .*vfio_pci_dma_buf_attach > dma_resv_(un)?lock did not finish after 10000 steps$/,
      );
    });
});

describe('code that is not a design function', () => {
  const cases: [string, string, RegExp][] = [
    [
      'bare-yield.ts',
      'vfio_pci_dma_buf_attach: function* () { yield 1; return 0; }',
      /in [a-z_ >]*vfio_pci_dma_buf_attach\) a bare yield of 1 is not a scheduling point/,
    ],
    [
      'not-generator.ts',
      'vfio_pci_dma_buf_attach: function () { return 0; }',
      /vfio_pci_dma_buf_attach is not a generator function: it returned 0/,
    ],
  ];
  for (const [name, replace, want] of cases)
    it(name, async () => {
      const r = await cli(['check', '--variant', variant(name, replace), '--mode', 'exhaustive'], { timeoutMs: 60_000 });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(want);
    });
  it('a syntax error names file:line:column and the compiler message', async () => {
    const path = join(dir, 'syntax.ts');
    writeFileSync(path, "export default function (api: any) {\n  return api.designs['upstream-7.1'] +;\n}\n");
    const r = await cli(['check', '--variant', path, '--mode', 'random', '--runs', '1']);
    expect(expectUsageError(r)).toMatch(/syntax error in .*syntax\.ts:2:38: Unexpected ";"$/);
  });
});

describe('the largest legal bound', () => {
  it('ops=6 ends cleanly at a short time limit, incomplete', async () => {
    const r = await cli(['check', '--mode', 'exhaustive', '--bound', 'ops=6', '--time-limit', '2', '--json', '--out', dir], {
      timeoutMs: 60_000,
    });
    expect([0, 4]).toContain(r.code);
    expect(JSON.parse(r.stdout).results[0].complete).toBe(false);
  });
  it('--max-memory cuts the search like the time limit', async () => {
    const r = await cli(['check', '--mode', 'exhaustive', '--bound', 'ops=3', '--max-memory', '16', '--json', '--out', dir], {
      timeoutMs: 60_000,
    });
    expect([0, 4]).toContain(r.code);
    const j = JSON.parse(r.stdout);
    expect(j.results[0].complete).toBe(false);
    expect(j.results[0].note).toMatch(/the memory limit/);
  });
});
