/**
 * A cut search is never a pass: `check`, `lockorder` and `diff` say
 * `incomplete` in the table, the closing line and --json, and exit 4, when a
 * limit cut a search that found nothing; every result says how far its search
 * got; and a random search cut by the time limit says which runs it made, and
 * repeats exactly with `--runs` that many.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { here } from './here.ts';

/** The property rows of a check's table, without the NOTE column. */
const rows = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^\S+\s+(random|exhaustive)\s{2,}/.test(l))
    .map((l) => l.split(/\s{2,}/).slice(0, 6));

describe('check: a search cut by the time limit', () => {
  it('random: incomplete, exit 4, and `--seed S --runs N` repeats exactly the runs it made', async () => {
    const dir = join(tempDir(), 'runs');
    const r = await here(['check', '--mode', 'random', '--runs', '10000000', '--time-limit', '1', '--seed', '17', '--out', dir]);
    expect(r.code, r.stderr).toBe(4);
    const table = rows(r.stdout);
    expect(table).toHaveLength(8);
    expect(table.every((x) => x[2] === 'INCOMPLETE')).toBe(true);
    expect(r.stdout).not.toMatch(/\brandom\s+pass\b/);
    expect(r.stdout).not.toContain('No violation');
    expect(r.stdout).toContain(
      'INCOMPLETE: no violation found, but the random search of all 8 properties was cut: a cut search proves nothing.',
    );
    const m = r.stdout.match(
      /random: ([\d,]+) of 10,000,000 runs \(cut by the time limit\), seed 17; `--seed 17 --runs (\d+)` repeats exactly these/,
    );
    if (!m) throw new Error(`no random line in:\n${r.stdout}`);
    const runs = m[2] as string;
    expect((m[1] as string).replace(/,/g, '')).toBe(runs);
    const again = await here(['check', '--mode', 'random', '--runs', runs, '--seed', '17', '--out', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No violation: 8 properties checked, no error found.');
    // the same runs: the same executions and steps for every property
    expect(rows(again.stdout)).toEqual(table.map((x) => [...x.slice(0, 2), 'pass', ...x.slice(3)]));
  });

  it('exhaustive: incomplete in --json, with the overall verdict, how far it got, and no clock-derived seed', async () => {
    const dir = join(tempDir(), 'runs');
    const args = ['check', '--mode', 'exhaustive', '--bound', 'ops=2', '--time-limit', '1', '--property', 'lock-order', '--out', dir];
    const [text, json] = await Promise.all([here(args), here([...args, '--json'])]);
    expect(text.code, text.stderr).toBe(4);
    expect(text.stdout).toMatch(/lock-order\s+exhaustive\s+INCOMPLETE\s/);
    expect(text.stdout).toMatch(/INCOMPLETE \(a bound or the time limit cut it after [\d,]+ of [\d,]+ scenarios\)/);
    expect(json.code, json.stderr).toBe(4);
    const j = JSON.parse(json.stdout);
    expect(j).toMatchObject({ format: 1, verdict: 'incomplete' });
    expect(j).not.toHaveProperty('seed');
    const [res] = j.results;
    expect(res).toMatchObject({ property: 'lock-order', mode: 'exhaustive', verdict: 'incomplete', complete: false });
    expect(res.searched.scenarios).toBeLessThan(res.searched.scenariosTotal);
    expect(res.searched.states).toBeGreaterThan(0);
  });

  it('a search that is not cut: pass, complete, exit 0; random results say runs made of runs asked', async () => {
    const dir = join(tempDir(), 'runs');
    const r = await here(['check', '--bound', 'ops=0', '--runs', '40', '--seed', '3', '--property', 'refcounts', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ format: 1, verdict: 'pass', seed: 3 });
    expect(j.results).toEqual([
      expect.objectContaining({ mode: 'random', verdict: 'pass', complete: true, searched: { runs: 40, runsAsked: 40 } }),
      expect.objectContaining({
        mode: 'exhaustive',
        verdict: 'pass',
        complete: true,
        searched: expect.objectContaining({ scenarios: 1, scenariosTotal: 1 }),
      }),
    ]);
  });

  it('a violation still exits 1, with verdict fail', async () => {
    const dir = join(tempDir(), 'runs');
    const r = await here([
      'check',
      '--variant',
      'before-close-order',
      '--mode',
      'random',
      '--runs',
      '2000',
      '--seed',
      '1',
      '--json',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('fail');
    expect(j.results.some((x: { verdict: string }) => x.verdict === 'fail')).toBe(true);
  });
});

describe('lockorder and diff: a search cut by the time limit', () => {
  it('lockorder: exit 4, verdict incomplete, in every format', async () => {
    const dir = join(tempDir(), 'runs');
    const base = ['lockorder', '--bound', 'ops=2', '--time-limit', '1', '--out', dir];
    const [text, json, dot] = await Promise.all([here(base), here([...base, '--format', 'json']), here([...base, '--format', 'dot'])]);
    expect(text.code, text.stderr).toBe(4);
    expect(text.stdout).toMatch(/INCOMPLETE: the time limit or a bound cut the search after [\d,]+ of [\d,]+ scenarios/);
    expect(json.code).toBe(4);
    const j = JSON.parse(json.stdout);
    expect(j).toMatchObject({ format: 1, verdict: 'incomplete', complete: false });
    expect(j.searched.scenarios).toBeLessThan(j.searched.scenariosTotal);
    expect(dot.code).toBe(4);
  });

  it('lockorder that finishes: exit 0, verdict pass', async () => {
    const r = await here(['lockorder', '--bound', 'ops=0', '--format', 'json', '--out', join(tempDir(), 'runs')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      format: 1,
      verdict: 'pass',
      complete: true,
      searched: { scenarios: 1, scenariosTotal: 1 },
    });
  });

  it('diff: a cut search against a failing design is undecided, not a change: exit 4', async () => {
    // a bound the compiled engine cannot finish in 2 s (diff searches only close_device_fd; at ops=2 alone it completes in about 1 s)
    const args = ['diff', 'upstream-7.1', 'before-close-order', '--bound', 'ops=3', 'sync=2', '--time-limit', '2'];
    const [text, json] = await Promise.all([here(args), here([...args, '--json'])]);
    expect(text.code, text.stderr).toBe(4);
    expect(text.stdout).toContain('undecided (a search was cut)');
    expect(text.stdout).toContain('INCOMPLETE: no difference found');
    expect(json.code).toBe(4);
    const j = JSON.parse(json.stdout);
    expect(j).toMatchObject({ format: 2, differ: false, same: true, complete: false });
    // the searches' own verdict: before-close-order fails wherever its cut search got far enough (timing decides)
    expect(['incomplete', 'fail']).toContain(j.verdict);
  });
});

describe('exit 4 is documented', () => {
  it('in the top-level help and the help of check, lockorder and diff', async () => {
    const [main, ...helps] = await Promise.all([here(['--help']), ...['check', 'lockorder', 'diff'].map((c) => here([c, '--help']))]);
    expect(main.stdout).toContain('4 incomplete (check, lockorder, diff)');
    for (const h of helps) expect(h.stdout).toMatch(/4 incomplete: /);
  });
});
