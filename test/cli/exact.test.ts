/** `check --exact`: the same counts as the fingerprinted search, and the collision estimate in the report. */
import { describe, expect, it } from 'vitest';
import { here } from './here.ts';

describe('check --exact', () => {
  it('gives the fingerprinted search counts on a small bound; the report says how likely a collision hid a state', async () => {
    const args = ['check', '--mode', 'exhaustive', '--bound', 'ops=1'];
    const [fp, exact, text] = await Promise.all([here([...args, '--json']), here([...args, '--exact', '--json']), here(args)]);
    expect(fp.code).toBe(0);
    expect(exact.code).toBe(0);
    const states = (r: { stdout: string }) => (JSON.parse(r.stdout) as { results: { states: number }[] }).results.map((x) => x.states);
    expect(states(exact)).toEqual(states(fp));
    expect(states(fp)[0]).toBeGreaterThan(1000);
    expect(text.stdout).toMatch(/fingerprints: probability that a collision hid a state \d\.\de-\d+ \(64-bit/);
  }, 300_000);
});
