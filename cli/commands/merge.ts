/** `merge`: the --json reports of `check --shard i/N`, every shard of one run, as that run's report. */

import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { stableStringify } from '../../checker/value.ts';
import { overallVerdict, type PropertyResult } from '../../properties/check.ts';
import { withCoverage } from '../../properties/coverage-report.ts';
import { checkShards, type Merged, MergeRefused, mergeShards, type ShardReport } from '../../properties/shard-merge.ts';
import type { Args } from '../args.ts';
import { type Command, OUT_FLAG } from '../command.ts';
import { exitOf, UsageError } from '../errors.ts';
import { num, out, outLines, printJson, probeOutDir, readInput, table } from '../io.ts';
import { type SaveOutcome, trySaveCounterexample } from '../record.ts';
import { JSON_FORMAT } from '../report-json.ts';

let validator: ValidateFunction | null = null;

/** One shard report, read and checked against check's schema; a file that is not one is a UsageError naming it. */
function readShard(path: string): ShardReport {
  const text = readInput(path, 'shard report');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  validator ??= new Ajv2020({ allErrors: false, strict: true }).compile(
    JSON.parse(readFileSync(new URL('../../docs/schemas/check.schema.json', import.meta.url), 'utf8')),
  );
  if (!validator(value)) {
    const e = validator.errors?.[0];
    throw new UsageError(`${path}: not a check --json report (${e ? `${e.instancePath || '/'} ${e.message}` : 'does not fit its schema'})`);
  }
  const r = value as Partial<ShardReport>;
  if (!r.shard) throw new UsageError(`${path}: not a shard report (it has no "shard": made by check without --shard)`);
  return r as ShardReport;
}

export const merge: Command = {
  spec: {
    name: 'merge',
    brief: 'combine the --json reports of check --shard I/N into one run',
    summary:
      "Combines the --json reports of every shard of one exhaustive check (`check --shard I/N --json`, one per machine) into that check's report: the same verdicts, the same shortest counterexamples (saved under --out, as check saves them) and the same lock edges as one run. States, executions, steps and time are sums over the shards, which do not share a state cache. Reports of different designs, bounds, properties, searches or versions, a shard missing or given twice, and files that are not shard reports are refused.",
    positionals: [{ name: 'FILE', help: 'a report of check --shard I/N --json; every shard of the run, in any order', repeats: true }],
    flags: [
      OUT_FLAG,
      { name: 'json', help: "print check's JSON report (docs/schemas/check.schema.json) with `merged` instead of `shard`" },
    ],
    notes: [
      'exit status: as check: 0 pass, 1 a property is violated, 2 usage or input error (the reports are not every shard of one run), 4 incomplete or unexercised.',
      'docs/shards.md shows a GitHub Actions matrix and a Kubernetes indexed Job that run the shards and merge them.',
    ],
    examples: [
      'vfio-dmabuf-model check --bound ops=2 --shard 1/2 --json > s1.json',
      'vfio-dmabuf-model check --bound ops=2 --shard 2/2 --json > s2.json',
      'vfio-dmabuf-model merge s1.json s2.json',
    ],
  },

  async run(args: Args): Promise<number> {
    const files = args.positionals;
    const reports = files.map(readShard);
    let merged: Merged;
    try {
      checkShards(reports, files);
      merged = mergeShards(reports);
    } catch (e) {
      if (e instanceof MergeRefused) throw new UsageError(e.message);
      throw e;
    }
    const dir = probeOutDir(args.get('out') ?? OUT_FLAG.default);
    const saved = saveAll(dir, merged);
    const verdict = withCoverage(overallVerdict(merged.results as unknown as PropertyResult[]), merged.coverage);
    const { first } = merged;
    if (args.has('json')) {
      printJson({
        format: JSON_FORMAT,
        verdict,
        variant: first.variant,
        ...(first.module ? { module: first.module } : {}),
        bounds: first.bounds,
        ...(first.profile ? { profile: first.profile } : {}),
        ...(first.scenario ? { scenario: first.scenario } : {}),
        focus: first.focus,
        results: merged.results.map((r, i) => {
          const { order: _o, counterexampleFile: _c, ...rest } = r;
          const s = saved[i];
          return { ...rest, counterexample: s?.path ?? null, ...(s?.notSaved ? { notSaved: s.notSaved } : {}) };
        }),
        ...(merged.coverage ? { coverage: merged.coverage } : {}),
        merged: {
          shards: merged.shards,
          sums: ['executions', 'states', 'steps', 'millis', 'coverage'],
          version: first.shard.version,
          digest: first.shard.digest,
          scenariosTotal: first.shard.scenariosTotal,
          shares: first.shard.shares,
          units: merged.units,
          unitsDone: merged.unitsDone,
          lockEdges: merged.lockEdges,
        },
      });
      return exitOf(verdict);
    }
    out(`vfio-dmabuf-model merge: ${first.variant}, ${merged.shards} shards (${files.join(', ')})`);
    out(
      `bound: ${Object.entries(first.bounds)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}${first.profile ? `, profile ${first.profile}` : ''}`,
    );
    out();
    const rows = merged.results.map((r) => [
      r.property,
      r.mode,
      r.verdict === 'fail' ? 'FAIL' : r.verdict === 'incomplete' ? 'INCOMPLETE' : r.verdict,
      num(r.executions),
      num(r.states),
      num(r.steps),
      r.verdict === 'fail' && r.violation ? `${r.violation.kind} in ${r.violation.length} steps` : (r.note ?? ''),
    ]);
    outLines(table(['PROPERTY', 'MODE', 'VERDICT', 'EXECUTIONS (SUM)', 'STATES (SUM)', 'STEPS (SUM)', 'NOTE'], rows, new Set([3, 4, 5])));
    out();
    const complete = merged.results.every((r) => r.complete);
    out(
      `exhaustive over ${merged.shards} shards: ${num(first.shard.scenariosTotal)} scenario${first.shard.scenariosTotal === 1 ? '' : 's'}${first.shard.shares > 1 ? `, each in ${first.shard.shares} shares of its first steps` : ''}; states, executions and steps are sums over the shards (they share no state cache); ${complete ? 'complete' : 'INCOMPLETE'}`,
    );
    out(`lock edges: ${merged.lockEdges.length}`);
    for (const e of merged.lockEdges) out(`  ${e.from} -> ${e.to} (${e.types.join(', ')}), shortest witness ${e.witness.length} steps`);
    saved.forEach((s, i) => {
      const r = merged.results[i];
      if (!s || !r) return;
      out(
        s.path
          ? `${r.property}: counterexample ${s.path}   replay: vfio-dmabuf-model replay ${s.path}`
          : `${r.property}: not saved: ${s.notSaved}`,
      );
    });
    out();
    out(`verdict: ${verdict}`);
    return exitOf(verdict);
  },
};

/** Saves each failing result's counterexample (identical ones once), as check does; by result index. */
function saveAll(dir: string, merged: Merged): (SaveOutcome | null)[] {
  const byText = new Map<string, SaveOutcome>();
  return merged.results.map((r) => {
    const cx = r.counterexampleFile;
    if (r.verdict !== 'fail' || !cx) return null;
    const key = stableStringify({ p: cx.property, s: cx.scenario, sch: cx.schedule });
    let outcome = byText.get(key);
    if (!outcome) {
      outcome = trySaveCounterexample(dir, cx);
      byText.set(key, outcome);
    }
    return outcome;
  });
}
