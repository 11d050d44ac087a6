/**
 * The lazy scenario list (checker/scenario-list.ts) against its definition:
 * every scenario enumerateScenarios makes, stably sorted by size, in the same
 * order (which decides which of two equally short counterexamples is kept), and
 * its total computed without enumerating. At ops=6 the list is never built: its
 * first scenarios come at once.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../checker/scenario.ts';
import { spaceScenarios } from '../../checker/scenario-list.ts';
import { enumerateScenarios } from '../../checker/space.ts';
import type { Domain } from '../../model/domain.ts';
import { domainOf } from '../../model/domains.ts';

const size = (s: Scenario) => s.threads.reduce((n, t) => n + t.ops.length, 0);

const cases: [string, string[]][] = [
  ['dmabuf', []],
  ['dmabuf', ['ops=0']],
  ['dmabuf', ['ops=2']],
  ['dmabuf', ['ops=1', 'primaries=2']],
  ['dmabuf', ['ops=3', 'exports=1', 'sync=0']],
  ['dmabuf', ['ops=1', 'sync=2', 'fence=1', 'mmappers=1', 'unbind=1']],
  ['sva', []],
  ['sva', ['ops=2']],
];

describe('spaceScenarios', () => {
  for (const [name, pairs] of cases)
    it(`${name} ${pairs.join(' ') || '(defaults)'}: the sorted enumeration, in order, and its total`, () => {
      const domain: Domain = domainOf(name as 'dmabuf');
      const { bounds } = domain.parseBounds(pairs);
      const space = domain.space(bounds);
      const sb = domain.searchBounds(bounds);
      const want = [...enumerateScenarios(space, sb)].sort((a, b) => size(a) - size(b));
      const list = spaceScenarios(space, sb);
      expect([...list]).toEqual(want);
      expect(list.total).toBe(want.length);
    });

  it('ops=6: the first scenarios come at once, the total is counted, not enumerated', () => {
    const domain = domainOf('dmabuf');
    const { bounds } = domain.parseBounds(['ops=6']);
    const list = spaceScenarios(domain.space(bounds), domain.searchBounds(bounds));
    const t0 = Date.now();
    const first: Scenario[] = [];
    for (const s of list) {
      first.push(s);
      if (first.length === 1000) break;
    }
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(first.map(size)).toEqual([...first.map(size)].sort((a, b) => a - b));
    expect(list.total).toBeGreaterThan(10 ** 6);
  });
});
