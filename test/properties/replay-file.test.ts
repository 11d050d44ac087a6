/**
 * Loading and replaying a counterexample file (properties/replay.ts): what
 * it checks before anything runs, the four outcomes, and the digests that
 * tell a changed model from an edited file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CounterexampleFile,
  CounterexampleFormatError,
  makeCounterexample,
  parseCounterexample,
} from '../../checker/counterexample.ts';
import { runScenario } from '../../checker/run.ts';
import { pathToRuns } from '../../checker/trace.ts';
import { designDigest } from '../../model/design-digest.ts';
import { domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { ReplayInputError, replayFile } from '../../properties/replay.ts';
import { systemOf } from '../../properties/system.ts';

const CORPUS = 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json';
const v1 = (): CounterexampleFile => JSON.parse(readFileSync(CORPUS, 'utf8'));
const text = (o: unknown) => JSON.stringify(o, null, 2);

/** The corpus file as a version-2 file, as check would save it today. */
async function v2(): Promise<CounterexampleFile> {
  const { result } = await replayFile(readFileSync(CORPUS, 'utf8'));
  const design = findBuiltin('before-close-order');
  if (!design) throw new Error('no design');
  return makeCounterexample({
    design: { name: design.name, digest: designDigest(design) },
    property: 'no-mmio-access-while-unavailable',
    found: { mode: 'exhaustive' },
    exec: result.exec,
  });
}

describe('what a file may name is checked before anything runs', () => {
  it('an operation argument out of its declared range', async () => {
    const cx = v1();
    const threads = cx.scenario.threads.map((t, i) => (i === 0 ? { ...t, ops: [{ op: 'runtime_resume', args: { dev: 5 } }] } : t));
    await expect(replayFile(text({ ...cx, scenario: { ...cx.scenario, threads } }))).rejects.toThrow(
      /^scenario\.threads\[0\]\.ops\[0\]\.args\.dev: 5 is out of range 0\.\.0$/,
    );
  });

  it('an argument the operation does not take', async () => {
    const cx = v1();
    const threads = cx.scenario.threads.map((t, i) =>
      i === 1 ? { ...t, ops: [{ op: 'sync_attach', args: { dmabuf: 0, flags: 1 } }] } : t,
    );
    await expect(replayFile(text({ ...cx, scenario: { ...cx.scenario, threads } }))).rejects.toThrow(
      /scenario\.threads\[1\]\.ops\[0\]\.args\.flags: sync_attach takes no argument "flags"/,
    );
  });

  it('a renamed thread: its name is its role', async () => {
    const cx = v1();
    const rename = (n: string) => (n === 'sync0' ? 'primary1' : n);
    const edited = {
      ...cx,
      scenario: { ...cx.scenario, threads: cx.scenario.threads.map((t) => ({ ...t, name: rename(t.name) })) },
      schedule: cx.schedule.map(([t, n]) => [rename(t), n]),
    };
    await expect(replayFile(text(edited))).rejects.toThrow(
      /scenario\.threads\[1\]\.ops\[0\]\.op: a primary thread does not run sync_attach/,
    );
    const unknown = {
      ...edited,
      scenario: {
        ...edited.scenario,
        threads: edited.scenario.threads.map((t) => ({ ...t, name: t.name === 'primary1' ? 'importer' : t.name })),
      },
    };
    await expect(
      replayFile(text({ ...unknown, schedule: cx.schedule.map(([t, n]) => [t === 'sync0' ? 'importer' : t, n]) })),
    ).rejects.toThrow(/scenario\.threads\[1\]\.name: "importer" is no thread of before-close-order/);
  });

  it('nesting at any depth is refused without overflowing the stack', () => {
    for (const depth of [33, 5_000, 200_000]) {
      const cx = v1();
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const raw = text({ ...cx, found: { ...cx.found, x: null } }).replace('"x": null', `"x": ${deep}`);
      expect(() => parseCounterexample(raw)).toThrow(CounterexampleFormatError);
      expect(() => parseCounterexample(raw)).toThrow(/^found\.x: expected values nested at most 32 deep$/);
    }
  });

  it('a file that names a module is not loaded without --variant, and the module never runs', async () => {
    const marker = join(tmpdir(), `vfio-replay-marker-${process.pid}`);
    const module = join(tmpdir(), `vfio-replay-module-${process.pid}.mjs`);
    writeFileSync(
      module,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default 1;\n`,
    );
    const cx = await v2();
    const named = { ...cx, design: { ...cx.design, path: module, sha256: 'a'.repeat(64) } };
    await expect(replayFile(text(named))).rejects.toThrow(ReplayInputError);
    await expect(replayFile(text(named))).rejects.toThrow(`pass --variant ${module} to load it`);
    // version 1 files named modules by absolute path: the same
    const old = { ...v1(), design: { name: 'x', path: module, digest: '0000000000000000' } };
    await expect(replayFile(text(old))).rejects.toThrow(`pass --variant ${module} to load it`);
    // a name that looks like a path is a name, never a module
    await expect(replayFile(text({ ...v1(), design: { name: module } }))).rejects.toThrow(/unknown variant/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the outcomes', () => {
  it('reproduced: a version-1 corpus file', async () => {
    const r = await replayFile(readFileSync(CORPUS, 'utf8'));
    expect(r.outcome).toBe('reproduced');
    expect(r.result.sameTrace).toBe(true);
    expect(r.edited).toBeNull();
    expect(r.design.changed).toBeNull();
  });

  it('a different violation, named', async () => {
    const cx = v1();
    const r = await replayFile(text({ ...cx, violation: { ...cx.violation, kind: 'mmio-while-revoked' } }));
    expect(r.outcome).toBe('different');
    expect(r.result.violation?.kind).toBe('mmio-while-unavailable');
    expect(r.result.reason).toMatch(/^a different violation happened: mmio-while-unavailable: /);
  });

  it('no longer fits: the fixed design, named with --variant', async () => {
    const r = await replayFile(readFileSync(CORPUS, 'utf8'), { variant: 'upstream-7.1' });
    expect(r.outcome).toBe('no-longer-fits');
    expect(r.design).toMatchObject({ name: 'upstream-7.1', given: true, changed: true });
  });

  it('clean: a schedule that runs to its end without the violation', async () => {
    const design = findBuiltin('upstream-7.1');
    if (!design) throw new Error('no design');
    const system = systemOf(domainOf('dmabuf'), design);
    const scenario = {
      setup: { devices: 1, exported: 1, no_command_memory: false },
      threads: [
        { name: 'primary0', ops: [{ op: 'flr', args: {} }] },
        { name: 'exit0', ops: [{ op: 'exit_all', args: {} }] },
      ],
    };
    const exec = runScenario(system, scenario, { choose: (r) => r[0] as number });
    const cx = {
      ...v1(),
      design: { name: 'upstream-7.1' },
      scenario,
      schedule: pathToRuns(exec.path, exec.threadNames),
      trace: { steps: exec.path.length, contextSwitches: 1, digest: '0' },
    };
    const r = await replayFile(text(cx));
    expect(r.outcome).toBe('clean');
    expect(r.result.reason).toBe('the execution ran to its end without a violation');
  });
});

describe('version 2: the model changed, or the file was edited', () => {
  it('replays as saved', async () => {
    const r = await replayFile(text(await v2()));
    expect(r).toMatchObject({ outcome: 'reproduced', edited: false, traceChange: null });
    expect(r.design.changed).toBe(false);
  });

  it('an edited trace digest says the file was edited, not that the model changed', async () => {
    const cx = await v2();
    const r = await replayFile(text({ ...cx, trace: { ...cx.trace, digest: '0123456789abcdef' } }));
    expect(r).toMatchObject({ outcome: 'reproduced', edited: true, traceChange: 'the file was edited since it was saved' });
    expect(r.design.changed).toBe(false);
  });

  it('a design digest that differs says the design changed', async () => {
    const cx = await v2();
    const r = await replayFile(text({ ...cx, design: { ...cx.design, digest: 'f'.repeat(64) }, trace: { ...cx.trace, digest: '0' } }));
    expect(r.design.changed).toBe(true);
    expect(r.traceChange).toBe('the design changed since the file was saved');
  });

  it('reformatting is no edit', async () => {
    const r = await replayFile(JSON.stringify(await v2()));
    expect(r.edited).toBe(false);
  });
});
