/** upstream-7.1 under 100,000 random executions (fast-check scenarios and schedules), every monitor on. */
import { describe, expect, it } from 'vitest';
import { randomSearch } from '../../checker/search/random.ts';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { upstream71 } from '../../model/dmabuf/upstream/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { systemOf } from '../../properties/system.ts';

describe('upstream-7.1, random executions', () => {
  it('passes the engine checks and every property over 100,000 random executions', () => {
    const bounds = dmabufDomain.parseBounds([]).bounds;
    const r = randomSearch(systemOf(dmabufDomain, upstream71), dmabufDomain.space(bounds), dmabufDomain.searchBounds(bounds), {
      runs: 100_000,
      seed: 71,
      monitors: dmabufProperties.flatMap((p) => p.monitors()),
    });
    expect(r.found?.violation ?? null).toBeNull();
    expect(r.runs).toBe(100_000);
    expect(r.steps).toBeGreaterThan(100_000 * 20);
  });
});
