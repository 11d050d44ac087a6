/**
 * `check --shard i/N` and `merge` (issue 18 item 6): N shards merged give one
 * run's verdicts, counterexamples (the same files: scenario and schedule) and
 * lock edges (lockorder's, witnesses included), whether the shards split the
 * scenarios (sva-mmput-sync has 7) or the first steps of a single scenario
 * (before-close-order has one at its default bound; upstream-7.1, passing, has 13).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { expectUsageError, REPO, tempDir } from './helpers.ts';
import { here } from './here.ts';

const schema = new Ajv2020({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', 'check.schema.json'), 'utf8')),
);

interface Result {
  property: string;
  verdict: string;
  states: number;
  counterexample: string | null;
  violation?: { kind: string; length: number };
}

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
const cxOf = (path: string | null) => {
  if (!path) return null;
  const c = json(readFileSync(path, 'utf8'));
  return { scenario: c.scenario, schedule: c.schedule };
};
const verdicts = (rs: readonly Result[]) =>
  rs.map((r) => ({
    property: r.property,
    verdict: r.verdict,
    kind: r.violation?.kind,
    length: r.violation?.length,
    cx: cxOf(r.counterexample),
  }));

/** Where the runs several tests share write their reports and counterexamples. */
const shared = tempDir();

/** Runs each distinct command once in this file: two tests need the same shards and the same single run. */
const memo = new Map<string, Promise<unknown>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as Promise<T>;
}

/** Shards 1..n of a check, written to files; returns their paths. */
function shards(design: string, n: number): Promise<string[]> {
  return once(`shards ${design} ${n}`, async () => {
    const files: string[] = [];
    for (let i = 1; i <= n; i++) {
      const r = await here(['check', '--variant', design, '--shard', `${i}/${n}`, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const f = join(shared, `${design}.${i}-of-${n}.json`);
      writeFileSync(f, r.stdout);
      files.push(f);
    }
    return files;
  });
}

/** The same check as one exhaustive run. */
const oneRun = (design: string) =>
  once(`single ${design}`, () => here(['check', '--variant', design, '--mode', 'exhaustive', '--json', '--out', join(shared, design)]));

async function sameAsOneRun(design: string, ns: readonly number[], expected: 'pass' | 'fail'): Promise<void> {
  const dir = tempDir();
  const [one, lock] = await Promise.all([oneRun(design), here(['lockorder', '--variant', design, '--json', '--out', join(dir, 'lock')])]);
  const single = json(one.stdout);
  expect(single.verdict).toBe(expected);
  const edges = (
    json(lock.stdout).edges as { from: string; to: string; types: string[]; witness: { steps: number; path: number[] } }[]
  ).map((e) => ({ from: e.from, to: e.to, types: e.types, length: e.witness.steps, path: e.witness.path }));
  expect(edges.length).toBeGreaterThan(0);
  for (const n of ns) {
    const files = await shards(design, n);
    const m = await here(['merge', ...files, '--json', '--out', join(dir, `merged-${n}`)]);
    expect(m.code, m.stderr).toBe(expected === 'pass' ? 0 : 1);
    const merged = json(m.stdout);
    expect(schema(merged), JSON.stringify(schema.errors)).toBe(true);
    expect(merged.verdict).toBe(single.verdict);
    const results = merged.results as Result[];
    expect(verdicts(results)).toEqual(verdicts(single.results as Result[]));
    const got = (
      merged.merged as { lockEdges: { from: string; to: string; types: string[]; witness: { length: number; path: number[] } }[] }
    ).lockEdges;
    expect(got.map((e) => ({ from: e.from, to: e.to, types: e.types, length: e.witness.length, path: e.witness.path }))).toEqual(edges);
    // sums: never fewer states than one run, which shares its cache across everything
    expect(results[0]?.states).toBeGreaterThanOrEqual((single.results as Result[])[0]?.states ?? 0);
    expect((merged.merged as { sums: string[] }).sums).toContain('states');
  }
}

describe('check --shard and merge', () => {
  it(
    'a failing design of one scenario, cut into shares of its first steps',
    () => sameAsOneRun('before-close-order', [1, 2, 3], 'fail'),
    600_000,
  );
  it('a failing design of 7 scenarios, split by scenario', () => sameAsOneRun('sva-mmput-sync', [2, 3], 'fail'), 600_000);
  it('a passing design', () => sameAsOneRun('upstream-7.1', [2], 'pass'), 600_000);

  it('refuses shards that are not every shard of one run, and files that are not shard reports', async () => {
    const dir = tempDir();
    const a = await shards('before-close-order', 2);
    const b = await shards('sva-mmput-sync', 2);
    const one = await oneRun('before-close-order');
    const plain = join(dir, 'plain.json');
    writeFileSync(plain, one.stdout);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": 1');
    const cases: [string[], string][] = [
      [[a[0] as string], 'missing shard 2/2'],
      [[a[0] as string, a[0] as string], 'shard 1/2 given twice'],
      [[a[0] as string, b[1] as string], 'not a shard of the run of'],
      [[plain], 'not a shard report'],
      [[broken], 'not JSON'],
    ];
    for (const [files, message] of cases) expect(expectUsageError(await here(['merge', ...files]))).toContain(message);
    expect(expectUsageError(await here(['check', '--shard', '3/2', '--json']))).toContain('--shard takes I/N');
    expect(expectUsageError(await here(['check', '--shard', '1/2']))).toContain('it takes --json');
  }, 600_000);
});
