/**
 * Importer behaviour is table functions (model/dmabuf/upstream/importers.ts), and so are the helpers of
 * evans-2026-rfc-v2: each example design is one replacement, fails a property, and its saved counterexample
 * (examples/counterexamples/) replays.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { here } from './here.ts';

const REMAP = 'examples/variants/importer-remap-in-invalidate.ts';
const DETACH = 'examples/variants/importer-detach-without-unmap.ts';
const DETACH_SCENARIO = 'examples/scenarios/importer-detach-mapped.json';

interface Result {
  property: string;
  verdict: string;
  violation?: { kind: string; length: number };
}
const results = (stdout: string): Result[] => JSON.parse(stdout).results;

/** `replay FILE --variant MODULE` of a committed counterexample: it reproduces, and its trace shows `expected`. */
async function replays(file: string, module: string, expected: readonly string[]): Promise<void> {
  expect(JSON.parse(readFileSync(file, 'utf8')).design).toMatchObject({ path: module });
  const r = await here(['replay', file, '--variant', module]);
  expect(r.code, r.stderr).toBe(1);
  for (const line of expected) expect(r.stdout).toContain(line);
}

describe('an importer that maps again from inside its invalidate callback', () => {
  it('fails lock-order: dma_buf_map_attachment_unlocked() takes the resv the exporter holds', async () => {
    const r = await here(['check', '--variant', REMAP, '--property', 'lock-order', '--mode', 'exhaustive', '--out', tempDir(), '--json']);
    expect(r.code, r.stderr).toBe(1);
    const [res] = results(r.stdout);
    expect(res).toMatchObject({ property: 'lock-order', verdict: 'fail', violation: { kind: 'lockdep-recursion', length: 17 } });
  }, 120_000);

  it(
    'its saved counterexample replays: the recursive resv lock inside the callback',
    () =>
      replays('examples/counterexamples/user-importer-remap-in-invalidate.lock-order.1.json', REMAP, [
        'WARNING: possible recursive locking detected',
        'importer_invalidate_mappings > sync_importer_invalidate_mappings > importer_map > dma_resv_lock',
        'REPRODUCED: lockdep-recursion at step 17',
      ]),
    60_000,
  );
});

describe('an importer that detaches without unmapping first', () => {
  it('fails lifecycle-legality on the scenario where upstream-7.1 passes', async () => {
    const args = ['--scenario', DETACH_SCENARIO, '--property', 'lifecycle-legality', '--mode', 'exhaustive', '--out', tempDir(), '--json'];
    const mine = await here(['check', '--variant', DETACH, ...args]);
    expect(mine.code, mine.stderr).toBe(1);
    expect(results(mine.stdout)[0]).toMatchObject({ verdict: 'fail', violation: { kind: 'illegal-transition', length: 11 } });
    const upstream = await here(['check', '--variant', 'upstream-7.1', ...args]);
    expect(upstream.code, upstream.stderr).toBe(0);
    expect(results(upstream.stdout)[0]).toMatchObject({ verdict: 'pass' });
  }, 120_000);

  it(
    'its saved counterexample replays: DETACH of a mapped attachment',
    () =>
      replays('examples/counterexamples/user-importer-detach-without-unmap.lifecycle-legality.1.json', DETACH, [
        'sync_detach > importer_detach > dma_buf_detach',
        'att0: event DETACH not accepted in state mapped.valid',
        'REPRODUCED: illegal-transition at step 11',
      ]),
    60_000,
  );
});

describe("evans-2026-rfc-v2's helpers are table entries", () => {
  it('a design based on it replaces zap_dmabuf_ptes, and the revoke then leaves a CPU mapping', async () => {
    const scenario = 'examples/scenarios/export-mmap-revoke.json';
    const evans = await here(['run', scenario, '--variant', 'evans-2026-rfc-v2']);
    expect(evans.code, evans.stdout + evans.stderr).toBe(0);
    const mine = await here(['run', scenario, '--variant', 'test/cli/fixtures/evans-no-zap.ts']);
    expect(mine.code, mine.stderr).toBe(1);
    expect(mine.stdout).toContain(
      'VIOLATION mapping-survives-revoke: vfio_pci_core_ioctl_dmabuf_revoke(vdev0, priv0) returned but priv0 is still mapped',
    );
  }, 60_000);
});
