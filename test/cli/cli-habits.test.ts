/** The command line's habits: did-you-mean, list flags beside arguments, -V, a declared order's unknown class, and traces in kernel terms. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lifecycle } from '../../checker/world.ts';
import { World } from '../../checker/world.ts';
import { parseArgs } from '../../cli/args.ts';
import { diff } from '../../cli/commands/diff.ts';
import { variant } from '../../cli/commands/variant.ts';
import { leaks } from '../../properties/dmabuf/refcounts.ts';
import { expectUsageError, tempDir } from './helpers.ts';
import { here } from './here.ts';

describe('did you mean', () => {
  it.each([
    [['chek'], /unknown command "chek" \(did you mean "check"\?\)/],
    [['help', 'lockordr'], /unknown command "lockordr" \(did you mean "lockorder"\?\)/],
    [['check', '--jbos', '2'], /unknown flag --jbos \(did you mean "--jobs"\?\)/],
    [['check', '--variant', 'upstream-71'], /unknown variant "upstream-71" \(did you mean "upstream-7\.1"\?\) \(variants: /],
    [['check', '--property', 'lock-ordr'], /unknown property "lock-ordr" \(did you mean "lock-order"\?\)/],
    [['check', '--bound', 'opz=1'], /unknown bound "opz" \(did you mean "ops"\?\) \(keys: /],
    [['check', '--focus', 'close_devise_fd'], /unknown command "close_devise_fd" for --focus \(did you mean "close_device_fd"\?\)/],
    [['matrix', '--variant', 'sva-mmput-snc'], /unknown variant "sva-mmput-snc" \(did you mean "sva-mmput-sync"\?\)/],
  ])('%j', async (args, want) => {
    expect(expectUsageError(await here(args))).toMatch(want);
  });

  it('no guess when nothing is near', async () => {
    expect(expectUsageError(await here(['check', '--property', 'xyzzy']))).not.toContain('did you mean');
  });
});

describe('arguments and flags', () => {
  it('a list flag before the arguments leaves them to the command', () => {
    const a = parseArgs(diff.spec, ['--bound', 'ops=1', 'sync=0', 'upstream-7.1', 'before-close-order', '--focus', 'flr', 'hot_reset']);
    expect(a.positionals).toEqual(['upstream-7.1', 'before-close-order']);
    expect(a.raw('bound')).toEqual(['ops=1', 'sync=0']);
    expect(a.list('focus')).toEqual(['flr', 'hot_reset']);
    const b = parseArgs(diff.spec, ['--focus', 'flr', 'upstream-7.1', 'before-close-order']);
    expect(b.positionals).toEqual(['upstream-7.1', 'before-close-order']);
    // once the arguments are all there, a list flag takes every word again
    expect(parseArgs(variant.spec, ['new', '--from-patch', 'a.patch', 'b.patch']).raw('from-patch')).toEqual(['a.patch', 'b.patch']);
  });

  it('diff --bound ops=0 A B runs', async () => {
    const r = await here(['diff', '--bound', 'ops=0', 'upstream-7.1', 'upstream-7.1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The designs behave the same at this bound.');
  });

  it('--bound ops=0,sync=0 says to separate with spaces', async () => {
    expect(expectUsageError(await here(['check', '--bound', 'ops=0,sync=0']))).toMatch(
      /--bound ops=0,sync=0: separate bounds with spaces, not commas \(--bound ops=0 sync=0\)/,
    );
  });

  it('-V prints the version, like --version', async () => {
    const [v, version] = await Promise.all([here(['-V']), here(['--version'])]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^vfio-dmabuf-model \d+\.\d+\.\d+\n$/);
    expect(v.stdout).toBe(version.stdout);
  });

  it('an order file naming an unknown lock class is an error naming the line', async () => {
    const file = join(tempDir(), 'typo.order');
    writeFileSync(file, '# one typo\n&dev_set->lock -> &vdev->memory_lok\n');
    const line = expectUsageError(await here(['lockorder', '--bound', 'ops=0', '--design', file, '--out', tempDir()]));
    expect(line).toContain(`${file}:2: unknown lock class "&vdev->memory_lok" (did you mean "&vdev->memory_lock"?)`);
  });
});

describe('traces in kernel terms', () => {
  it('return values are errno names', async () => {
    const r = await here(['replay', 'counterexamples/before-double-free/refcounts.json']);
    expect(r.stdout).toContain('=> export_dmabuf() returned -EMFILE');
    expect(r.stdout).not.toMatch(/returned -\d/);
  });

  it("the importer's DMA step is shown under the importer's function, not schedule", async () => {
    const r = await here(['replay', 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json']);
    expect(r.stdout).toContain('sync0  sync_dma_access > importer_dma_access: sync0: device DMA through att0');
    expect(r.stdout).not.toMatch(/> schedule:/);
  });

  it('a leak report starts with the reference that was lost', () => {
    const states = ['orphan', 'detached'];
    const lc = (initial: number): Lifecycle => ({ name: 'x', initial, step: () => -1, value: (s) => states[s] as string });
    const w = new World();
    w.create('process', { fds: ['priv0'] }, null, 'proc0');
    w.create('priv', {}, lc(0), 'priv0');
    w.create('priv', {}, lc(0), 'priv1');
    const report = leaks(w);
    expect(report[0]).toMatch(/^priv1 not freed .*no holder left: a reference was lost/);
    expect(report[1]).toMatch(/^priv0 not freed .*held by an fd of proc0/);
  });
});
