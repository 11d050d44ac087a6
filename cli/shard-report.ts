/**
 * What a `check --shard i/N --json` report adds to check's (`shard`), so that
 * `merge` can tell shards of one run from others and combine them: who made it
 * (the tool's version, the design's digest, the search's options), which share
 * it is, and the lock edges its search met, each with its shortest witness.
 */
import { readFileSync } from 'node:fs';
import { parseShard, type ShardResult, type ShardSpec, sharesPerScenario } from '../checker/search/shard-plan.ts';
import type { LockGraph } from '../kernel/lockdep/lockgraph.ts';
import type { Design } from '../model/design.ts';
import { designDigest } from '../model/design-digest.ts';
import type { ShardSection } from '../properties/shard-merge.ts';
import type { Args } from './args.ts';
import { UsageError } from './errors.ts';

/** The tool's version, as package.json says. */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** `--shard I/N`, or null without it. */
export function shardOf(args: Args): ShardSpec | null {
  const text = args.get('shard');
  if (text === undefined) return null;
  const spec = parseShard(text);
  if (!spec) throw new UsageError(`--shard takes I/N with 1 ≤ I ≤ N ≤ 999999 (got "${text}")`);
  return spec;
}

export function shardReport(p: {
  shard: ShardSpec;
  run: ShardResult | null;
  design: Design<object>;
  dpor: boolean;
  exact: boolean;
  graph: LockGraph;
}): ShardSection {
  const run = p.run;
  const total = run ? run.scenariosTotal : 0;
  return {
    index: p.shard.index + 1,
    of: p.shard.of,
    version: TOOL_VERSION,
    digest: designDigest(p.design),
    dpor: p.dpor,
    exact: p.exact,
    scenariosTotal: total,
    shares: run ? run.shares : sharesPerScenario(total, p.shard.of, p.dpor),
    units: run?.units ?? 0,
    unitsDone: run?.done ?? 0,
    lockEdges: p.graph
      .edges()
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
      .map((e) => ({
        from: e.from,
        to: e.to,
        types: e.types,
        witness: {
          scenario: run?.indexOf.get(e.witness.scenario) ?? -1,
          length: e.witness.path.length,
          path: e.witness.path,
          thread: e.witness.threadName,
        },
      })),
  };
}
