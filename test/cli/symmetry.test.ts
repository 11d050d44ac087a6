/**
 * `check --symmetry` from the command line: the same verdicts as the plain
 * search in fewer states, the same with --jobs, the reduction named in the report, and the
 * combinations and bounds it refuses, each in one line with exit 2.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, tempDir } from './helpers.ts';
import { here } from './here.ts';

type Report = { results: { property: string; verdict: string; states?: number }[] };

describe('check --symmetry', () => {
  it('gives the plain verdicts in fewer states, and says so', async () => {
    const out = tempDir();
    const args = ['check', '--variant', 'broken-cleanup-no-file-check', '--mode', 'exhaustive', '--bound', 'fdclosers=2', '--out', out];
    const plain = await here([...args, '--json']);
    const reduced = await here([...args, '--json', '--symmetry']);
    expect(reduced.code).toBe(plain.code);
    const of = (stdout: string) => JSON.parse(stdout) as Report;
    const verdicts = (r: Report) => r.results.map((x) => `${x.property}:${x.verdict}`);
    expect(verdicts(of(reduced.stdout))).toEqual(verdicts(of(plain.stdout)));
    const states = (r: Report) => Math.max(...r.results.map((x) => x.states ?? 0));
    expect(states(of(reduced.stdout))).toBeLessThan(states(of(plain.stdout)));
    // the workers of --jobs find each scenario's interchangeable threads themselves: the same search, split
    const jobs = await here([...args, '--json', '--symmetry', '--jobs', '2']);
    expect(states(of(jobs.stdout))).toBe(states(of(reduced.stdout)));
    expect(verdicts(of(jobs.stdout))).toEqual(verdicts(of(reduced.stdout)));
    const text = await here([...args, '--symmetry']);
    expect(text.stdout).toContain('exhaustive (symmetry reduction)');
  }, 120_000);

  it('refuses --dpor, --reduce, --shard, --mode random and too many interchangeable threads in one line', async () => {
    const ex = ['check', '--mode', 'exhaustive', '--symmetry'];
    expect(expectUsageError(await here([...ex, '--dpor']))).toContain('--symmetry does not combine with --dpor');
    expect(expectUsageError(await here([...ex, '--reduce']))).toContain('does not combine with');
    expect(expectUsageError(await here([...ex, '--shard', '1/2', '--json']))).toContain('does not combine with');
    expect(expectUsageError(await here(['check', '--mode', 'random', '--symmetry']))).toContain(
      '--symmetry is a reduction of the exhaustive search',
    );
    expect(expectUsageError(await here([...ex, '--bound', 'sync=3', '--bound', 'fdclosers=3']))).toContain(
      'up to 36 permutations of interchangeable threads at this bound, more than 24',
    );
  }, 60_000);
});
