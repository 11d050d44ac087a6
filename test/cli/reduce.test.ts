/**
 * `check --reduce` from the command line: the static pass runs under the
 * compiled engine's load hook (whose wrappers hide a generator's body: the pass
 * once proved every lock type there), and the combinations it refuses.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, tempDir } from './helpers.ts';
import { here } from './here.ts';

describe('check --reduce', () => {
  it('names the lock types the design may trylock or free, and finds the same violations', async () => {
    const out = tempDir();
    const args = ['check', '--variant', 'broken-export-fd-early', '--mode', 'exhaustive', '--out', out, '--json'];
    const plain = await here(args);
    const reduced = await here([...args, '--reduce']);
    expect(reduced.code).toBe(plain.code);
    const verdicts = (out: string) =>
      (JSON.parse(out) as { results: { property: string; verdict: string }[] }).results.map((r) => `${r.property}:${r.verdict}`);
    expect(verdicts(reduced.stdout)).toEqual(verdicts(plain.stdout));
    const text = await here(['check', '--variant', 'broken-export-fd-early', '--mode', 'exhaustive', '--out', out, '--reduce']);
    expect(text.stdout).toContain('transaction reduction (Lipton movers; not proven free of trylocks and frees: rwsem, ww_mutex)');
  }, 120_000);

  it('refuses --dpor, --shard and --mode random in one line', async () => {
    const dpor = expectUsageError(await here(['check', '--mode', 'exhaustive', '--reduce', '--dpor']));
    expect(dpor).toContain('--reduce does not combine with --dpor');
    const shard = expectUsageError(await here(['check', '--mode', 'exhaustive', '--reduce', '--shard', '1/2', '--json']));
    expect(shard).toContain('--reduce does not combine with --shard');
    const random = expectUsageError(await here(['check', '--mode', 'random', '--reduce']));
    expect(random).toContain('--reduce is a reduction of the exhaustive search');
  }, 60_000);
});
