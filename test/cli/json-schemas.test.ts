/**
 * `--json` on every command: each report validates against its schema in
 * docs/schemas/ (ajv), carries `format`, and is deterministic: no field
 * derived from the clock except the documented `millis`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { type CliResult, cli, expectUsageError, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();

function schema(name: string): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', `${name}.schema.json`), 'utf8')));
    validators.set(name, v);
  }
  return v;
}

/** The report on stdout, checked against docs/schemas/<name>.schema.json. */
function valid(name: string, r: CliResult): Record<string, unknown> {
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  const v = schema(name);
  if (!v(j)) throw new Error(`${name} --json does not fit its schema: ${ajv.errorsText(v.errors)}`);
  expect(j.format).toBe(name === 'diff' ? 2 : 1);
  return j;
}

const CORPUS_CX = 'counterexamples/before-close-order/no-mmio-access-while-unavailable.json';
const ORDER_BREAKER = ['--variant', 'examples/variants/resv-before-memory-lock.ts', '--design', 'examples/lockorder/vfio-dmabuf.order'];

describe('--json fits docs/schemas/', () => {
  it('check: a violation in both modes, and a pass', async () => {
    const [bad, good] = await Promise.all([
      here(['check', '--variant', 'before-close-order', '--runs', '200', '--seed', '7', '--json', '--out', tempDir()]),
      here(['check', '--bound', 'ops=0', '--mode', 'exhaustive', '--property', 'lock-order', '--json', '--out', tempDir()]),
    ]);
    expect(bad.code, bad.stderr).toBe(1);
    expect(valid('check', bad)).toMatchObject({ verdict: 'fail', seed: 7 });
    expect(good.code, good.stderr).toBe(0);
    expect(valid('check', good)).toMatchObject({ verdict: 'pass' });
  });

  it('replay: --json is --format json, with the outcome', async () => {
    const [a, b] = await Promise.all([here(['replay', CORPUS_CX, '--json']), here(['replay', CORPUS_CX, '--format', 'json'])]);
    expect(a.code, a.stderr).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    expect(valid('replay', a)).toMatchObject({ outcome: 'reproduced', reproduced: true });
    expect(expectUsageError(await here(['replay', CORPUS_CX, '--json', '--format', 'mermaid']))).toContain(
      '--json contradicts --format mermaid',
    );
  });

  it('lockorder: a cycle, a deadlock and a broken declared order; and a pass', async () => {
    const [bad, good] = await Promise.all([
      here(['lockorder', ...ORDER_BREAKER, '--json', '--out', tempDir()]),
      here(['lockorder', '--bound', 'ops=0', '--json', '--out', tempDir()]),
    ]);
    expect(bad.code, bad.stderr).toBe(1);
    const j = valid('lockorder', bad) as { verdict: string; cycles: unknown[]; deadlock: unknown };
    expect(j.verdict).toBe('fail');
    expect(j.cycles.length).toBeGreaterThan(0);
    expect(j.deadlock).not.toBeNull();
    expect(good.code, good.stderr).toBe(0);
    expect(valid('lockorder', good)).toMatchObject({ verdict: 'pass', deadlock: null });
  });

  it('lockorder: a recursion (sva-mmput-sync)', async () => {
    const r = await here(['lockorder', '--variant', 'sva-mmput-sync', '--json', '--out', tempDir()]);
    expect(r.code, r.stderr).toBe(1);
    const j = valid('lockorder', r) as { recursions: { class: string; report: string }[] };
    expect(j.recursions.map((x) => x.class)).toEqual(['&iommu->lock']);
    expect(j.recursions[0]?.report).toContain('WARNING: possible recursive locking detected');
  });

  it('diff: designs that differ, and the same design twice', async () => {
    const [differ, same] = await Promise.all([
      here(['diff', 'upstream-7.1', 'examples/variants/resv-before-memory-lock.ts', '--json']),
      here(['diff', 'upstream-7.1', 'upstream-7.1', '--bound', 'ops=0', '--json']),
    ]);
    expect(differ.code, differ.stderr).toBe(1);
    expect(valid('diff', differ)).toMatchObject({ differ: true, verdict: 'fail', same: false });
    expect(same.code, same.stderr).toBe(0);
    expect(valid('diff', same)).toMatchObject({ differ: false, verdict: 'pass', same: true });
  });

  it('diff: one design that fails, twice: they do not differ, and the searches fail', async () => {
    const r = await here(['diff', 'before-close-order', 'before-close-order', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(valid('diff', r)).toMatchObject({ format: 2, differ: false, verdict: 'fail', same: true, complete: true });
  });

  it('matrix, and the committed docs/matrix.json, which is the same object', async () => {
    const r = await here(['matrix', '--variant', 'before-double-free', '--json']);
    expect(r.code, r.stderr).toBe(0);
    valid('matrix', r);
    const committed = readFileSync(join(REPO, 'docs', 'matrix.json'), 'utf8');
    valid('matrix', { code: 0, stdout: committed, stderr: '' });
  });

  it('list: every topic', async () => {
    const topics = ['variants', 'properties', 'commands', 'bounds'];
    const rs = await Promise.all(topics.map((t) => here(['list', t, '--json'])));
    rs.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      const j = valid('list', r);
      expect(Object.keys(j)).toEqual(['format', topics[i]]);
    });
  });
});

describe('--json is deterministic', () => {
  /** The report without its documented time fields. */
  const timeless = (stdout: string) => stdout.replace(/"millis": \d+/g, '"millis": 0');

  it('an exhaustive-only check has no clock seed: two runs are byte-identical but for millis', async () => {
    const args = ['check', '--variant', 'before-close-order', '--mode', 'exhaustive', '--json', '--out', 'runs'];
    // each run in its own empty directory, so both save their counterexamples under the same names
    const [a, b] = await Promise.all([cli(args, { cwd: tempDir() }), cli(args, { cwd: tempDir() })]);
    expect(a.code, a.stderr).toBe(1);
    expect(b.code, b.stderr).toBe(1);
    const j = valid('check', a);
    expect(j).not.toHaveProperty('seed');
    expect(timeless(a.stdout)).toBe(timeless(b.stdout));
  });

  it('a random check prints the seed it used, and repeats with it', async () => {
    const args = ['check', '--bound', 'ops=0', '--mode', 'random', '--runs', '30', '--property', 'refcounts', '--json'];
    const first = await here([...args, '--out', tempDir()]);
    const seed = (valid('check', first) as { seed: number }).seed;
    expect(Number.isInteger(seed)).toBe(true);
    const again = await here([...args, '--seed', String(seed), '--out', tempDir()]);
    expect(timeless(again.stdout)).toBe(timeless(first.stdout));
  });
});
