/**
 * Scenario files (docs/scenarios.md): `run FILE` runs the steps in file
 * order, `check --scenario FILE` every interleaving of the same threads; a
 * file's mistakes are one line, exit 2; handle names resolve as the scenario
 * runs, and a counterexample found from a scenario replays.
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli, expectUsageError, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const EXAMPLE = join(REPO, 'examples', 'scenarios', 'export-mmap-revoke.json');
const EVANS = ['--variant', 'evans-2026-rfc-v2'];

type Step = { thread: string; op: string; args?: Record<string, unknown>; as?: string };
const doc = (steps: Step[], extra: Record<string, unknown> = {}) => ({
  format: 'vfio-dmabuf-model/scenario',
  version: 1,
  bounds: { exported: 0 },
  ...extra,
  steps,
});

function file(dir: string, content: unknown, name = 's.json'): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
/** The --json report on stdout, checked against docs/schemas/<name>.schema.json. */
// biome-ignore lint/suspicious/noExplicitAny: a report read as JSON
function valid(name: string, stdout: string): any {
  const v = ajv.compile(JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', `${name}.schema.json`), 'utf8')));
  const j = JSON.parse(stdout);
  if (!v(j)) throw new Error(`${name} --json does not fit its schema: ${ajv.errorsText(v.errors)}`);
  return j;
}

const exportBuf: Step = { thread: 'primary0', op: 'export_dmabuf', args: { bar: 0 }, as: 'buf1' };

describe('run', () => {
  it('runs the example in file order and prints each return value, errno names included', async () => {
    const r = await here(['run', EXAMPLE, ...EVANS]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\d+ /.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/).slice(1))).toEqual([
      ['primary0', 'export_dmabuf(bar=0, as=buf1)', '3'],
      ['dmmap0', 'dmabuf_mmap(dmabuf=buf1)', '0'],
      ['dmmap0', 'cpu_access()', '0'],
      ['primary0', 'revoke_dmabuf(dmabuf=buf1)', '0'],
      ['dmmap0', 'cpu_access()', 'VM_FAULT_SIGBUS'],
      ['primary0', 'revoke_dmabuf(dmabuf=buf1)', '-EBADFD'],
      ['primary0', 'close_dmabuf_fd(dmabuf=buf1)', '0'],
      ['dmmap0', 'munmap()', '0'],
      ['exit0', 'exit_all() (the processes exit)', '0'],
    ]);
    expect(r.stdout).toContain('No violation: 9 steps ran.');
  });

  it('an error return is an answer, not a failure: upstream-7.1 has no dma-buf mmap', async () => {
    const r = await here(['run', EXAMPLE, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = valid('run', r.stdout);
    expect(j.verdict).toBe('pass');
    expect(j.steps[1]).toMatchObject({ call: 'dmabuf_mmap(dmabuf=buf1)', returned: '-EINVAL' });
    expect(j.steps[3]).toMatchObject({ returned: '-ENOTTY' });
    expect(j.steps.at(-1)).toMatchObject({ thread: 'exit0', implicit: true });
  });

  it('a name whose export failed is no dma-buf: the operation that uses it gets -EBADF', async () => {
    const dir = tempDir();
    const failing: Step = { ...exportBuf, args: { bar: 0, fd_fail: true } };
    const r = await here([
      'run',
      file(dir, doc([failing, { thread: 'primary0', op: 'close_dmabuf_fd', args: { dmabuf: 'buf1' } }])),
      '--json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.steps.map((s: { returned: string }) => s.returned)).toEqual(['-EMFILE', '-EBADF', '0']);
  });

  it('reports a violation: without the exit, what the process still holds is a leak (exit 1)', async () => {
    const dir = tempDir();
    const r = await here(['run', file(dir, doc([exportBuf], { exit: false }))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VIOLATION refcount-leak: leaked at quiescence/);
    const j = valid('run', (await here(['run', file(dir, doc([exportBuf], { exit: false })), '--json'])).stdout);
    expect(j).toMatchObject({ verdict: 'fail', blocked: null });
    expect(j.violations[0].kind).toBe('refcount-leak');
  });

  it('an operation that blocks ends the run, naming what it waits for (exit 1)', async () => {
    const dir = tempDir();
    // the exit waits for every other thread, and primary0 still has a step to run after it
    const steps: Step[] = [
      exportBuf,
      { thread: 'exit0', op: 'exit_all' },
      { thread: 'primary0', op: 'close_dmabuf_fd', args: { dmabuf: 'buf1' } },
    ];
    const r = await here(['run', file(dir, doc(steps))]);
    expect(r.code).toBe(1);
    expect(valid('run', (await here(['run', file(dir, doc(steps)), '--json'])).stdout).blocked).toMatchObject({ step: 1, thread: 'exit0' });
    expect(r.stdout).toMatch(/BLOCKED: step 2 \(exit0\) waits at exit: wait for every other thread to finish/);
    // a driver unbind waits for the open device file: vfio_unregister_group_dev() names its completion
    const unbind = await here(['run', file(dir, doc([{ thread: 'unbind0', op: 'unregister' }], { exit: false }))]);
    expect(unbind.code).toBe(1);
    expect(unbind.stdout).toMatch(/BLOCKED: step 1 \(unbind0\) waits at wait_for_completion/);
  });

  it('--help, and the command is listed', async () => {
    const [h, main] = await Promise.all([here(['run', '--help']), here(['--help'])]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^usage: vfio-dmabuf-model run FILE/);
    expect(main.stdout).toMatch(/^ *run +run a scenario file step by step/m);
  });

  it('runs from a fresh directory outside the repository', async () => {
    const dir = tempDir();
    copyFileSync(EXAMPLE, join(dir, 'mine.json'));
    const r = await cli(['run', 'mine.json', ...EVANS], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('VM_FAULT_SIGBUS');
  });
});

describe('a scenario file is checked before anything runs: one line, exit 2', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{"steps": [', /s\.json: not JSON/],
    ['no steps', { format: 'vfio-dmabuf-model/scenario', version: 1 }, /\(top level\): must have required property 'steps'/],
    ['a stray field', { ...doc([exportBuf]), extra: 1 }, /must NOT have additional properties "extra"/],
    [
      'an unknown op',
      doc([{ thread: 'primary0', op: 'export' }]),
      /steps\[0\]\.op: expected an operation of upstream-7\.1 \("export" is not one/,
    ],
    ['an op of another role', doc([{ thread: 'primary0', op: 'munmap' }]), /steps\[0\]\.op: a primary thread does not run munmap/],
    [
      'an unknown argument',
      doc([{ ...exportBuf, args: { bar: 0, size: 4096 } }]),
      /steps\[0\]\.args\.size: export_dmabuf takes no argument "size"/,
    ],
    ['an ill-typed argument', doc([{ ...exportBuf, args: { bar: 'zero' } }]), /steps\[0\]\.args\.bar: "zero": expected an integer/],
    ['an out-of-range argument', doc([{ ...exportBuf, args: { bar: 9 } }]), /steps\[0\]\.args\.bar: 9 is out of range 0\.\.5/],
    [
      'an unknown handle',
      doc([exportBuf, { thread: 'dmmap0', op: 'dmabuf_mmap', args: { dmabuf: 'buf2' } }]),
      /steps\[1\]\.args\.dmabuf: no operation of the scenario names a dma-buf "buf2"/,
    ],
    [
      'a handle used before the step that gives it',
      doc([{ thread: 'dmmap0', op: 'dmabuf_mmap', args: { dmabuf: 'buf1' } }, exportBuf]),
      /steps\[0\]\.args\.dmabuf: "buf1" is given by steps\[1\], not an earlier step/,
    ],
    ['a name given twice', doc([exportBuf, exportBuf]), /steps\[1\]\.as: "buf1" is given twice/],
    [
      '`as` on an op that creates nothing to name',
      doc([{ thread: 'primary0', op: 'flr', as: 'x' }]),
      /steps\[0\]\.as: flr creates nothing/,
    ],
    ['an unknown thread role', doc([{ thread: 'attacker0', op: 'flr' }]), /steps\[0\]\.thread: "attacker0" is no thread of upstream-7\.1/],
    ["a thread past its role's limit", doc([{ thread: 'primary7', op: 'flr' }]), /steps\[0\]\.thread: "primary7" is no thread/],
    [
      'a gap in the numbering',
      doc([{ thread: 'primary1', op: 'flr' }]),
      /the primary threads are numbered from 0 with no gap: primary0 is missing/,
    ],
    ['an unknown bound', doc([exportBuf], { bounds: { widgets: 1 } }), /bounds: unknown bound "widgets"/],
    ['an impossible bound', doc([exportBuf], { bounds: { devices: 9 } }), /bounds: bound devices=9 is impossible/],
  ];
  for (const [what, content, want] of cases)
    it(what, async () => {
      const dir = tempDir();
      const line = expectUsageError(await here(['run', file(dir, content)]));
      expect(line).toMatch(want);
      // check --scenario reads it the same way (a few: each is a process start)
      if (/handle|JSON|role/.test(what))
        expect(expectUsageError(await here(['check', '--scenario', file(dir, content), '--mode', 'exhaustive']))).toMatch(want);
    });

  it('a missing file', async () => {
    expect(expectUsageError(await here(['run', '/nonexistent/s.json']))).toMatch(/cannot read it \(ENOENT\)/);
  });

  it('--scenario with --bound', async () => {
    expect(expectUsageError(await here(['check', '--scenario', EXAMPLE, '--bound', 'ops=2']))).toMatch(/cannot be combined with --bound/);
  });
});

describe('check --scenario', () => {
  it('explores every interleaving of exactly those threads, and the counterexample replays', async () => {
    const dir = tempDir();
    const r = await here(['check', '--scenario', EXAMPLE, ...EVANS, '--mode', 'exhaustive', '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const j = valid('check', r.stdout);
    expect(j.scenario).toBe(EXAMPLE);
    const failed = j.results.filter((x: { verdict: string }) => x.verdict === 'fail');
    // the fault races revoke: in file order (run) the mmap is refused, here it is not
    expect(failed.map((x: { property: string }) => x.property)).toEqual(['no-mapping-survives-revoke']);
    expect(failed[0].violation.kind).toBe('mapping-survives-revoke');
    const saved = readdirSync(dir);
    expect(saved).toHaveLength(1);
    const cx = JSON.parse(readFileSync(join(dir, saved[0] as string), 'utf8'));
    expect(cx.scenario.threads.map((t: { name: string }) => t.name)).toEqual(['primary0', 'dmmap0', 'exit0']);
    expect(cx.scenario.threads[0].ops[0]).toEqual({ op: 'export_dmabuf', args: { bar: 0, as: 'buf1' } });
    const rep = await here(['replay', join(dir, saved[0] as string)]);
    expect(rep.code).toBe(1);
    expect(rep.stdout).toMatch(/REPRODUCED: mapping-survives-revoke/);
  });

  it('random mode varies only the schedule of the scenario', async () => {
    const r = await here(['check', '--scenario', EXAMPLE, '--mode', 'random', '--runs', '300', '--seed', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.results.every((x: { verdict: string; executions: number }) => x.verdict === 'pass' && x.executions === 300)).toBe(true);
  });
});
