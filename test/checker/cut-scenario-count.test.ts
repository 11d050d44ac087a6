/** A scenario that a limit stops midway is not counted as searched: `searched.scenarios` says how many were searched to their end. */
import { describe, expect, it } from 'vitest';
import { exploreScenarios, spaceScenarios } from '../../checker/search/space-search.ts';
import { resolveTarget } from '../../cli/setup.ts';
import { propertiesOf } from '../../properties/catalog.ts';

describe('scenarios searched', () => {
  it('a scenario stopped by a limit is not counted; the ones before it are', async () => {
    const t = await resolveTarget('upstream-7.1', [], []);
    const system = t.system;
    const list = spaceScenarios(t.domain.space(t.bounds, t.focus), t.domain.searchBounds(t.bounds));
    const monitors = propertiesOf('dmabuf').flatMap((p) => p.monitors());
    // stop once the first scenario is done: the next one big enough for `stop` (asked every 1,024 states) ends
    // midway. On the generator engine it is (the compiled engine merges it into fewer states than that).
    let started = 0;
    let stopping = false;
    const options = { monitors, collectAll: true, stop: () => stopping, execOptions: { engine: 'generators' as const } };
    const cut = exploreScenarios(system, list, options, () => {
      started++;
      stopping = true;
    });
    expect(cut.coverage.complete).toBe(false);
    expect(cut.coverage.stopped).toBe(true);
    // the first, whole; the second, stopped midway, ends the search and is not counted
    expect(started).toBe(2);
    expect(cut.scenarios).toBe(1);
  });
});
