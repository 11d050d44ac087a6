/**
 * `check --reduce` on the built-in designs: the static analysis that decides
 * which lock types the transaction reduction may not treat as movers. That at
 * each design's matrix bound the reduced search finds every violation kind and
 * every final world the plain search (sleep sets and the state cache) finds, in
 * no more states, is tested beside DPOR in test/checker/dpor.test.ts, which runs
 * that plain search already; the rules each have a toy that needs them
 * (test/checker/reduce.test.ts, test/kernel/reduce-touchers.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { unprovenLockTypes } from '../../properties/reduce.ts';
import { systemOf } from '../../properties/system.ts';

describe('transaction reduction on the built-in designs', () => {
  it('the static analysis: upstream trylocks memory_lock (hot reset) and the resv lock (importers), and frees the resv; SVA neither', () => {
    const of = (name: string) => {
      const design = builtinDesigns().find((d) => d.name === name);
      if (!design) throw new Error(name);
      const domain = domainOf(design.domain);
      return [...unprovenLockTypes(domain, design, systemOf(domain, design))].sort();
    };
    expect(of('upstream-7.1')).toEqual(['rwsem', 'ww_mutex']);
    expect(of('sva-2018-v2')).toEqual([]);
  });
});
