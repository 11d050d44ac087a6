/**
 * here() stands in for cli() in most CLI tests: for the same arguments it must
 * give what the process gives (bin.js, start.ts, the search worker), byte for
 * byte but for the time taken, and leave nothing behind for the next run.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineChoice } from '../../checker/compiled/engine.ts';
import { cli, tempDir } from './helpers.ts';
import { here } from './here.ts';

const timeless = (text: string) => text.replace(/"millis": \d+/g, '"millis": 0');

describe('here() against a process of its own', () => {
  it('a replay (exit 1), a list (exit 0), a check saving a counterexample, a usage error (exit 2): the same output', async () => {
    const [a, b] = [tempDir(), tempDir()];
    const check = (out: string) => [
      'check',
      '--variant',
      'before-close-order',
      '--bound',
      'ops=1',
      '--mode',
      'exhaustive',
      '--json',
      '--out',
      out,
    ];
    const cases = [
      ['replay', 'counterexamples/sva-2018-v2/lock-order.json'],
      ['list', 'variants'],
      ['check', '--bound', 'ops=1', '--frob'],
    ];
    const spawned = await Promise.all([...cases.map((args) => cli(args)), cli(check(a))]);
    const inProcess = [];
    for (const args of [...cases, check(b)]) inProcess.push(await here(args));
    for (const [i, r] of spawned.entries()) {
      const mine = inProcess[i] as typeof r;
      expect(mine.code).toBe(r.code);
      expect(mine.stderr).toBe(r.stderr);
      expect(timeless(mine.stdout).replaceAll(b, a)).toBe(timeless(r.stdout));
    }
    expect(spawned.map((r) => r.code)).toEqual([1, 0, 2, 1]);
    expect(readdirSync(b)).toEqual(readdirSync(a));
    expect(readdirSync(b)).toHaveLength(1);
  }, 120_000);

  it("does not leak a run's --engine into the next run", async () => {
    const before = engineChoice.engine;
    const env = process.env.VFIO_DMABUF_MODEL_ENGINE;
    const other = before === 'compiled' ? 'generators' : 'compiled';
    const r = await here([
      'check',
      '--bound',
      'ops=0',
      '--mode',
      'exhaustive',
      '--property',
      'lock-order',
      '--engine',
      other,
      '--out',
      tempDir(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(engineChoice.engine).toBe(before);
    expect(process.env.VFIO_DMABUF_MODEL_ENGINE).toBe(env);
  }, 60_000);
});
