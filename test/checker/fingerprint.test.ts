/**
 * The fingerprint table's collision estimate (TLC's optimistic formula) and
 * its exact mode: states whose 64-bit fingerprints collide are one state to a
 * plain table (the state hidden) and two to an exact one; an exact search
 * counts what the fingerprinted one counts.
 */
import { describe, expect, it } from 'vitest';
import { collisionProbability, FingerprintTable, fmix } from '../../checker/fingerprint.ts';
import { exploreSpace } from '../../checker/search/space-search.ts';
import { lostUpdate, toySpace, toySystem } from './toy-system.ts';

describe('FingerprintTable', () => {
  it('estimates the probability that a collision hid a state as TLC does: n·(g − n)/2^64', () => {
    expect(collisionProbability(1000, 1000)).toBe(0);
    expect(collisionProbability(10, 30)).toBe((10 * 20) / 2 ** 64);
    // ten million states each met four times: about 1.6·10⁻⁵
    expect(collisionProbability(1e7, 5e7)).toBeCloseTo(2.168e-5, 7);
    const t = new FingerprintTable();
    for (const a of [1, 2, 3, 1, 2]) t.visit({ a, b: 7 }, 0);
    expect(t.lookups).toBe(5);
    expect(t.collisionProbability()).toBe(collisionProbability(3, 5));
  });

  it('takes two states with one fingerprint as one, unless it keeps their keys', () => {
    const plain = new FingerprintTable();
    expect(plain.visit({ a: 5, b: 9 }, 0)).toBe(false);
    // a different state with the same 64 bits: hidden
    expect(plain.visit({ a: 5, b: 9 }, 0)).toBe(true);
    const exact = new FingerprintTable(true);
    expect(exact.visit({ a: 5, b: 9, key: 'x' }, 0)).toBe(false);
    expect(exact.visit({ a: 5, b: 9, key: 'y' }, 0)).toBe(false);
    expect(exact.visit({ a: 5, b: 9, key: 'x' }, 0)).toBe(true);
    expect(exact.size).toBe(2);
    expect(exact.collisionProbability()).toBe(0);
    expect(() => exact.visit({ a: 1, b: 1 }, 0)).toThrow(/needs every state's key/);
  });

  it('keeps its keys across growth', () => {
    const exact = new FingerprintTable(true);
    // two states per fingerprint, through several doublings of the table
    const fp = (i: number) => ({ a: fmix(i >> 1), b: 0, key: String(i) });
    for (let i = 0; i < 200_000; i++) exact.visit(fp(i), 0);
    expect(exact.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(exact.visit(fp(i), 0)).toBe(true);
  });

  it.each([false, true])('an exact search counts the states a fingerprinted one counts (dpor %s)', (dpor) => {
    const bounds = { threads: 2, opsPerThread: 2 };
    const run = (exactKeys: boolean) => exploreSpace(toySystem(false), toySpace, bounds, { monitors: [lostUpdate], dpor, exactKeys });
    const fp = run(false).coverage;
    const exact = run(true).coverage;
    expect(exact.states).toBe(fp.states);
    expect(exact.transitions).toBe(fp.transitions);
    expect(fp.states).toBeGreaterThan(100);
    expect(fp.collisionProbability).toBeGreaterThan(0);
    expect(exact.collisionProbability).toBe(0);
  });
});
