/**
 * Operations a variant adds (issue 19 item 2) are part of what `check`
 * searches, not only of scenario files: exhaustive and random search choose
 * them as they choose the model's own commands, in this process and in shard
 * workers, `--focus` takes them, `list ops --variant` shows them, and the
 * coverage table says whether they and the functions the design adds ran
 * (one that never ran: `unexercised`, exit 4).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, expectUsageError, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const checkSchema = ajv.compile(JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', 'check.schema.json'), 'utf8')));

// biome-ignore lint/suspicious/noExplicitAny: a report read as JSON
function report(stdout: string): any {
  const j = JSON.parse(stdout);
  if (!checkSchema(j)) throw new Error(`check --json does not fit its schema: ${ajv.errorsText(checkSchema.errors)}`);
  return j;
}

interface Row {
  name: string;
  kind: string;
  change: string | null;
  calls: number;
}
// biome-ignore lint/suspicious/noExplicitAny: a report read as JSON
const rowOf = (j: any, name: string): Row => j.coverage.functions.find((f: Row) => f.name === name);

const REVOKE_ALL = 'examples/variants/feature-revoke-all.ts';
const FEATURE = 'vfio_pci_core_feature_dma_buf_revoke_all';
const T = { timeoutMs: 240_000 };

/**
 * upstream-7.1 with an added function nothing calls, and an added operation
 * whose one argument is a dma-buf name with no default: no search can choose
 * it (only a scenario file that names a dma-buf can run it).
 */
const UNREACHABLE = `import type * as Api from '${join(REPO, 'index.ts')}';
export default function (api: typeof Api): Api.Design {
  function* unused_helper() {
    return 0;
  }
  const revoke_named: Api.AddedOperation = {
    actor: 'primary',
    signature: {
      help: 'revoke a dma-buf given by name',
      args: { dmabuf: { help: 'a dma-buf name', accepts: [{ type: 'handle', handle: 'dma-buf' }] } },
      takes: ['dma-buf'],
      creates: [],
    },
    *run() {
      return 0;
    },
  };
  return api.defineVariant(api.designs['upstream-7.1'] as Api.Design, {
    name: 'unreachable-additions', summary: 's', source: 's', differences: [],
    add: { functions: { unused_helper }, operations: { revoke_named } },
  });
}
`;

/** An operation for an actor the dma-buf model has not. */
const NO_ACTOR = UNREACHABLE.replace("actor: 'primary'", "actor: 'nosuch'");

describe('operations a variant adds', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeFileSync(join(dir, 'unreachable.ts'), UNREACHABLE);
    writeFileSync(join(dir, 'no-actor.ts'), NO_ACTOR);
  });

  it('list ops --variant lists the design operations, the added one marked; plain list ops has none of it', async () => {
    const [text, json, plain] = await Promise.all([
      here(['list', 'ops', '--variant', REVOKE_ALL]),
      here(['list', 'ops', '--variant', REVOKE_ALL, '--json']),
      here(['list', 'ops']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ {4}revoke_all\(dev: 0\.\.0 = 0\) .*\(added by user-feature-revoke-all\)$/m);
    // the model's own operations are there, unmarked; only its domain is listed
    expect(text.stdout).toMatch(/^ {4}flr\(dev: 0\.\.devices-1 = 0\) [^(]*\[takes device fd\]$/m);
    expect(text.stdout).not.toMatch(/^sva$/m);
    const primary = JSON.parse(json.stdout).ops.find((a: { role: string }) => a.role === 'primary');
    const ops = primary.ops as { name: string; added?: boolean }[];
    expect(ops.find((o) => o.name === 'revoke_all')).toMatchObject({ added: true, takes: ['device fd'] });
    expect(ops.filter((o) => o.added).map((o) => o.name)).toEqual(['revoke_all']);
    expect(plain.stdout).not.toContain('revoke_all');
    expect(plain.stdout).toMatch(/^sva$/m);
    expectUsageError(await here(['list', 'variants', '--variant', REVOKE_ALL]));
  });

  it('exhaustive check at the default bound runs the added operation and its function', async () => {
    const r = await here(['check', '--variant', REVOKE_ALL, '--mode', 'exhaustive', '--json', '--out', dir]);
    // the feature revokes for good while the device decodes memory: unrevoke-liveness fails, as it does on the scenario file
    expect(r.code, r.stderr).toBe(1);
    const j = report(r.stdout);
    expect(j.verdict).toBe('fail');
    expect(j.results.find((x: { property: string }) => x.property === 'unrevoke-liveness').violation.kind).toBe('unrevoke-missed');
    expect(rowOf(j, 'revoke_all')).toMatchObject({ kind: 'operation', change: 'added' });
    expect(rowOf(j, 'revoke_all').calls).toBeGreaterThan(0);
    expect(rowOf(j, FEATURE)).toMatchObject({ kind: 'function', change: 'added' });
    expect(rowOf(j, FEATURE).calls).toBeGreaterThan(0);
    expect(j.coverage.unexercised).toEqual([]);
    // what the design changes is listed first
    expect(j.coverage.functions.slice(0, 2).map((f: Row) => f.name)).toEqual([FEATURE, 'revoke_all']);
  }, 240_000);

  it('random search draws it too, and --focus takes it (text table: CHANGE column)', async () => {
    const [random, focused] = await Promise.all([
      here(['check', '--variant', REVOKE_ALL, '--mode', 'random', '--runs', '300', '--seed', '5', '--json', '--out', dir]),
      here(['check', '--variant', REVOKE_ALL, '--mode', 'exhaustive', '--focus', 'revoke_all', '--out', dir]),
    ]);
    const j = report(random.stdout);
    expect(rowOf(j, 'revoke_all').calls).toBeGreaterThan(0);
    expect(focused.code, focused.stderr).toBe(1);
    expect(focused.stdout).toContain('primary commands: revoke_all');
    expect(focused.stdout).toMatch(/^vfio_pci_core_feature_dma_buf_revoke_all +added +[1-9]/m);
    expect(focused.stdout).toMatch(/^revoke_all +added op +[1-9]/m);
    expect(focused.stdout).toMatch(/model functions, 1 of 1 added operations ran/);
  }, 240_000);

  it('shard workers search the same space: --jobs 2 and check --shard + merge give one run’s states and verdicts', async () => {
    const args = ['check', '--variant', REVOKE_ALL, '--mode', 'exhaustive', '--focus', 'revoke_all', '--json'];
    const [one, jobs, s1, s2] = await Promise.all([
      here([...args, '--out', join(dir, 'one')]),
      cli([...args, '--jobs', '2', '--out', join(dir, 'jobs')], T),
      here([...args, '--shard', '1/2', '--out', join(dir, 's1')]),
      here([...args, '--shard', '2/2', '--out', join(dir, 's2')]),
    ]);
    const states = (text: string) =>
      report(text).results.map((r: { property: string; verdict: string; states: number }) => [r.property, r.verdict, r.states]);
    expect(jobs.code, jobs.stderr).toBe(1);
    expect(states(jobs.stdout)).toEqual(states(one.stdout));
    const files = [s1, s2].map((s, i) => {
      const f = join(dir, `shard${i + 1}.json`);
      writeFileSync(f, s.stdout);
      return f;
    });
    const merged = await here(['merge', ...files, '--json', '--out', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(1);
    const m = JSON.parse(merged.stdout);
    const verdicts = (rs: { property: string; verdict: string }[]) => rs.map((r) => [r.property, r.verdict]);
    expect(verdicts(m.results)).toEqual(verdicts(report(one.stdout).results));
    expect(rowOf(m, 'revoke_all').calls).toBe(rowOf(report(s1.stdout), 'revoke_all').calls + rowOf(report(s2.stdout), 'revoke_all').calls);
    expect(rowOf(m, 'revoke_all').calls).toBeGreaterThan(0);
    expect(m.coverage.unexercised).toEqual([]);
  }, 240_000);

  it('an added operation or function that never ran at the bound: unexercised, exit 4', async () => {
    const [focusedOut, unreachable] = await Promise.all([
      // the design's own operation left out of the focus: neither it nor the function it adds ran
      here(['check', '--variant', REVOKE_ALL, '--mode', 'exhaustive', '--focus', 'flr', '--json', '--out', dir]),
      here(['check', '--variant', join(dir, 'unreachable.ts'), '--mode', 'exhaustive', '--focus', 'flr', '--out', dir]),
    ]);
    expect(focusedOut.code, focusedOut.stderr).toBe(4);
    const j = report(focusedOut.stdout);
    expect(j.verdict).toBe('unexercised');
    expect(j.coverage.unexercised).toEqual([FEATURE, 'revoke_all']);
    expect(unreachable.code, unreachable.stderr).toBe(4);
    expect(unreachable.stdout).toMatch(/^unused_helper +added +0 +0 +0 +NEVER RAN$/m);
    expect(unreachable.stdout).toMatch(/^revoke_named +added op +0 +0 +0 +NEVER RAN$/m);
    expect(unreachable.stdout).toContain('UNEXERCISED: no violation found, but unused_helper, revoke_named never ran at this bound');
  }, 240_000);

  it('bad input: an unknown --focus name, an added name on a design without it, an operation for no actor: one line, exit 2', async () => {
    const [typo, builtin, noActor] = await Promise.all([
      here(['check', '--variant', REVOKE_ALL, '--focus', 'revoke_al']),
      here(['check', '--variant', 'upstream-7.1', '--focus', 'revoke_all']),
      here(['check', '--variant', join(dir, 'no-actor.ts')]),
    ]);
    expect(expectUsageError(typo)).toMatch(/unknown command "revoke_al" for --focus.*revoke_all/);
    expect(expectUsageError(builtin)).toMatch(/unknown command "revoke_all" for --focus/);
    expect(expectUsageError(noActor)).toContain('its operation revoke_named is for actor "nosuch", which the dmabuf model has not');
  });
});
