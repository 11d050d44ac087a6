/**
 * The exhaustive search spread over worker processes (cli/shards.ts, properties/shards.ts)
 * gives exactly checkDesign's verdicts, counterexamples and coverage: on a
 * passing design, on a failing one (each kind's shortest counterexample must
 * come from the same scenario whichever shard explored it), on a profile, and
 * on a user's variant module loaded again by each worker.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDesignJobs } from '../../cli/shards.ts';
import { loadDesign } from '../../loader/load.ts';
import type { Design } from '../../model/design.ts';
import { domainOf } from '../../model/domains.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { type CheckRequest, checkDesign, type PropertyResult } from '../../properties/check.ts';

function request(design: Design<object>, pairs: readonly string[] = [], dpor = false): CheckRequest {
  const domain = domainOf(design.domain);
  const { bounds, profile } = domain.parseBounds(pairs);
  const catalog = propertiesOf(design.domain);
  return { design, domain, properties: catalog, catalog, modes: ['exhaustive'], bounds, profile, focus: profile ? [] : design.focus, dpor };
}

/** everything but the time taken */
const comparable = (rs: readonly PropertyResult[]) =>
  rs.map(({ millis: _, coverage, ...r }) => ({ ...r, coverage: coverage && { ...coverage, millis: 0 } }));

async function sameBothWays(ref: string, pairs: readonly string[] = [], dpor = false, jobs = 3) {
  const { design } = await loadDesign(ref);
  const req = request(design, pairs.length ? pairs : Object.entries(design.bounds ?? {}).map(([k, v]) => `${k}=${v}`), dpor);
  const here = checkDesign(req);
  const shards = await checkDesignJobs(req, ref, jobs);
  expect(comparable(shards)).toEqual(comparable(here));
  return here;
}

describe('exhaustive search in worker processes', () => {
  it('passes upstream-7.1 with the same coverage', async () => {
    const rs = await sameBothWays('upstream-7.1');
    expect(rs.every((r) => r.verdict === 'pass')).toBe(true);
  }, 120_000);

  it('finds the same shortest counterexamples in a failing design, ties between scenarios included', async () => {
    const rs = await sameBothWays('evans-2026-rfc-v2', [], false, 2);
    expect(rs.some((r) => r.verdict === 'fail')).toBe(true);
  }, 120_000);

  it('agrees on an SVA design with DPOR', async () => {
    const rs = await sameBothWays('sva-2018-v2', [], true);
    expect(rs.some((r) => r.verdict === 'fail')).toBe(true);
  }, 120_000);

  it("loads a user's variant module in every worker", async () => {
    await sameBothWays(resolve('examples/variants/resv-before-memory-lock.ts'));
  }, 120_000);

  it('reports a worker that cannot load its design in one line', async () => {
    const { design } = await loadDesign('upstream-7.1');
    await expect(checkDesignJobs(request(design), 'no-such-design', 2)).rejects.toThrow(
      /^search worker \d failed: unknown variant "no-such-design"/,
    );
  }, 60_000);
});
