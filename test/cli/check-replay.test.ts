/** `check` and `replay` as a user runs them: pass, fail, saved counterexamples, every replay view and format. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, cli, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const STEM = 'before-close-order.no-mmio-access-while-unavailable';

describe('check', () => {
  const out = tempDir();
  let fail: CliResult;
  const sentinel = join(out, `${STEM}.1.json`);

  beforeAll(async () => {
    // a file already there under the first name: check must pick a new name and leave it alone
    writeFileSync(sentinel, 'not mine\n');
    fail = await here(['check', '--variant', 'before-close-order', '--bound', 'ops=1', '--mode', 'exhaustive', '--out', out]);
  }, 120_000);

  it('a violation: exit 1, the trace in kernel function names, the counterexample saved under a new name', () => {
    expect(fail.code, fail.stderr).toBe(1);
    expect(fail.stderr).toBe('');
    const o = fail.stdout;
    expect(o).toMatch(/no-mmio-access-while-unavailable\s+exhaustive\s+FAIL/);
    expect(o).toMatch(/no-mapping-survives-revoke\s+exhaustive\s+pass/);
    expect(o).toContain('Error: property no-mmio-access-while-unavailable is violated at step 20');
    expect(o).toContain('mmio-while-unavailable: importer DMA to priv0 reached BAR0 while vdev0 is closed');
    // kernel functions, locks held and the fields that changed
    expect(o).toContain('vfio_pci_runtime_pm_exit: down_write(&vdev0->memory_lock)');
    expect(o).toContain('vfio_pci_core_disable: vfio_pci_core_disable(vdev0): release BAR regions, vfio_config_free()');
    expect(o).toContain('held:   &dev_set->lock, &vdev->memory_lock (W)');
    expect(o).toContain('/\\ vdev0.vconfig: true -> false');
    expect(o).toContain('every interleaving of 1 scenario');
    expect(o).toContain('1 of 8 properties violated: no-mmio-access-while-unavailable');
    const saved = join(out, `${STEM}.2.json`);
    expect(o).toContain(`counterexample (exhaustive): ${saved}`);
    expect(readFileSync(sentinel, 'utf8')).toBe('not mine\n');
    const cx = JSON.parse(readFileSync(saved, 'utf8'));
    expect(cx).toMatchObject({
      format: 'vfio-dmabuf-model/counterexample',
      version: 2,
      design: { name: 'before-close-order' },
      property: 'no-mmio-access-while-unavailable',
    });
    expect(cx.trace.steps).toBe(20);
    expect(cx.found).toMatchObject({ mode: 'exhaustive', focus: 'close_device_fd' });
  });

  it('--json: exactly one object {variant, results[{property, verdict, mode, executions, states, counterexample}]}', async () => {
    const dir = tempDir();
    const r = await here([
      'check',
      '--variant',
      'before-close-order',
      '--property',
      'no-mmio-access-while-unavailable',
      'refcounts',
      '--mode',
      'random',
      '--runs',
      '300',
      '--seed',
      '7',
      '--json',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.variant).toBe('before-close-order');
    expect(j.results.map((x: { property: string }) => x.property)).toEqual(['no-mmio-access-while-unavailable', 'refcounts']);
    const [bad, good] = j.results;
    expect(bad).toMatchObject({ verdict: 'fail', mode: 'random', states: 0 });
    expect(bad.executions).toBeGreaterThan(0);
    expect(typeof bad.counterexample).toBe('string');
    expect(existsSync(bad.counterexample)).toBe(true);
    expect(good).toMatchObject({ property: 'refcounts', verdict: 'pass', mode: 'random', executions: 300, counterexample: null });
    expect(readdirSync(dir)).toEqual([`${STEM}.1.json`]);
  });

  it('all pass: exit 0, nothing saved', async () => {
    const dir = join(tempDir(), 'runs');
    const r = await here(['check', '--bound', 'ops=0', '--runs', '50', '--seed', '1', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('vfio-dmabuf-model check upstream-7.1');
    expect(r.stdout).toMatch(/lock-order\s+random\s+pass\s+50/);
    expect(r.stdout).toMatch(/lock-order\s+exhaustive\s+pass/);
    expect(r.stdout).toContain('No violation: 8 properties checked, no error found.');
    expect(existsSync(dir)).toBe(false);
    const j = await here(['check', '--bound', 'ops=0', '--mode', 'exhaustive', '--property', 'lock-order', '--json', '--out', dir]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout).results).toEqual([
      expect.objectContaining({ property: 'lock-order', verdict: 'pass', mode: 'exhaustive', counterexample: null }),
    ]);
  });

  it('--jobs: a worker that fails ends the search and the other workers at once, in one line', async () => {
    // alone, the first worker's share of ops=3 would run for many minutes: only stopping it ends this in time
    const dir = join(tempDir(), 'runs');
    const r = await cli([
      'check',
      '--variant',
      join('test', 'cli', 'fixtures', 'fails-in-second-worker.ts'),
      '--mode',
      'exhaustive',
      '--bound',
      'ops=3',
      '--jobs',
      '2',
      '--out',
      dir,
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^vfio-dmabuf-model check: internal error: search worker 1 failed: cannot load variant module .*this worker cannot load the design/,
      ),
    ]);
    expect(existsSync(dir)).toBe(false);
  }, 60_000);

  it('--jobs: workers stop when the command is killed', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'cli', 'bin.js'), 'check', '--mode', 'exhaustive', '--bound', 'ops=3', '--jobs', '2'],
      {
        cwd: REPO,
        stdio: 'ignore',
      },
    );
    const pid = child.pid as number;
    const workers = await until(() => {
      const w = childrenOf(pid);
      return w.length === 2 ? w : null;
    });
    child.kill('SIGKILL');
    // each worker notices at its next scenario, or within 1,024 states of a long one
    expect(await until(() => (workers.every((w) => !existsSync(`/proc/${w}`)) ? true : null))).toBe(true);
  }, 60_000);
});

/** Search workers whose parent is `pid`, from /proc (Linux); tsx's esbuild service is a child too. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('shard-worker')) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Polls `f` every 100 ms until it returns a value; fails after 30 s. */
async function until<T>(f: () => T | null): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = f();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gave up waiting');
}

describe('replay', () => {
  let file: string;

  beforeAll(async () => {
    const dir = tempDir();
    const r = await here([
      'check',
      '--variant',
      'before-close-order',
      '--property',
      'no-mmio-access-while-unavailable',
      '--mode',
      'random',
      '--runs',
      '300',
      '--seed',
      '7',
      '--json',
      '--out',
      dir,
    ]);
    file = JSON.parse(r.stdout).results[0].counterexample;
  }, 120_000);

  it('reproduces: exit 1, the same trace, diff view by default', async () => {
    const r = await here(['replay', file]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('design: before-close-order');
    expect(r.stdout).toContain('scenario: primary0: close_device_fd()');
    expect(r.stdout).toMatch(/schedule: primary0×\d+ sync0×\d+/);
    expect(r.stdout).toContain('Step 1: primary0  call close_device_fd()');
    expect(r.stdout).toContain('REPRODUCED: mmio-while-unavailable at step 20, the same trace as recorded');
  });

  it('full and threads views', async () => {
    const full = await here(['replay', file, '--view', 'full']);
    expect(full.code).toBe(1);
    expect(full.stdout).toContain('/\\ vdev0 (vdev) [registered.open]');
    expect(full.stdout).toContain('stack:  ____fput > __fput > vfio_device_fops > vfio_device_fops_release');
    expect(full.stdout).toContain('event:  {type: acquire');
    const threads = await here(['replay', file, '--view', 'threads']);
    expect(threads.code).toBe(1);
    const head = threads.stdout.split('\n').find((l) => l.startsWith('step |')) ?? '';
    expect(head).toMatch(/^step \| primary0 +\| sync0/);
    // the DMA step is shown under the importer's function, not the scheduling point
    expect(threads.stdout).toMatch(/^ +20 \| +\| importer_dma_access/m);
  });

  it('json and mermaid formats', async () => {
    const j = await here(['replay', file, '--format', 'json']);
    expect(j.code).toBe(1);
    const o = JSON.parse(j.stdout);
    expect(o).toMatchObject({
      variant: 'before-close-order',
      property: 'no-mmio-access-while-unavailable',
      reproduced: true,
      sameTrace: true,
    });
    expect(o.steps).toHaveLength(20);
    expect(o.steps[0]).toMatchObject({ step: 1, thread: 'primary0', action: 'call close_device_fd()' });
    const m = await here(['replay', file, '--format', 'mermaid']);
    expect(m.code).toBe(1);
    const lines = m.stdout.split('\n');
    expect(lines[0]).toMatch(/^%% before-close-order \/ no-mmio-access-while-unavailable: REPRODUCED/);
    expect(lines[1]).toBe('sequenceDiagram');
    expect(m.stdout).toContain('participant T0 as primary0');
    expect(m.stdout).toMatch(/T0->>O\d+: 5\. vfio_pci_runtime_pm_exit: down_write\(&vdev0->memory_lock\)/);
    expect(m.stdout).toMatch(/T0->>O\d+: 9\. vfio_pci_core_disable: vfio_pci_core_disable\(vdev0\)/);
    expect(m.stdout).not.toMatch(/[^#\d];[^\n]/);
  });

  it('the corpus file the README replays reproduces', async () => {
    const r = await here(['replay', 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/REPRODUCED: mmio-while-unavailable at step \d+, the same trace as recorded/);
  });

  it('no longer reproduces on the fixed design: exit 0', async () => {
    const r = await here(['replay', file, '--variant', 'upstream-7.1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/NO LONGER REPRODUCES: /);
  });
});
