/**
 * Input that once made a command hang or run far past its time limit: a
 * device or a FIFO named as an input file, and --time-limit with a profile
 * bound (it bounded each of the profile's scenarios instead of the run).
 * Each command is killed if it outlives the bound it must keep.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, expectUsageError, tempDir } from './helpers.ts';

const dir = tempDir();
const fifo = join(dir, 'fifo.json');

describe('special files', () => {
  beforeAll(() => {
    execFileSync('mkfifo', [fifo]);
  });

  it.each([
    [['replay', '/dev/zero'], /cannot read counterexample file \/dev\/zero: it is not a regular file/],
    [['replay', fifo], /cannot read counterexample file .*fifo\.json: it is not a regular file/],
    [['lockorder', '--design', '/dev/zero', '--out', dir], /cannot read lock order file \/dev\/zero: it is not a regular file/],
    [['check', '--variant', '/dev/zero', '--out', dir], /cannot read variant module \/dev\/zero: it is not a regular file/],
  ])('%j is refused at once, not read forever', async (args, want) => {
    const r = await cli(args, { timeoutMs: 20_000 });
    expect(expectUsageError(r)).toMatch(want);
  });
});

describe('--time-limit with a profile bounds the whole run', () => {
  it('lockorder: the search stops after the limit, not after the limit for each of the 8 scenarios', async () => {
    const r = await cli(['lockorder', '--bound', 'profile=ref-t4', '--time-limit', '1', '--format', 'json', '--out', dir], {
      timeoutMs: 60_000,
    });
    // cut with nothing found: incomplete
    expect(r.code, r.stderr).toBe(4);
    const j = JSON.parse(r.stdout);
    expect(j.complete).toBe(false);
    // each ref-t4 scenario takes far longer than a second: per-scenario limits explored all 8
    expect(j.scenarios).toBeLessThan(8);
  });

  it('diff: its four searches share the limit', async () => {
    const t0 = Date.now();
    const r = await cli(['diff', 'upstream-7.1', 'before-close-order', '--bound', 'profile=ref-t4', '--time-limit', '3', '--json'], {
      timeoutMs: 60_000,
    });
    const ms = Date.now() - t0;
    expect(r.code, r.stderr).not.toBe(2);
    expect(JSON.parse(r.stdout).a).toBe('upstream-7.1');
    // 3 s of search and about 1 s to start; with 3 s for each of its four searches it took 13 s (and 40 s with 3 s per scenario)
    expect(ms).toBeLessThan(9_000);
  });
});
