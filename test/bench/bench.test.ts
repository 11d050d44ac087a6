/**
 * Smoke test of the benchmark script: `--quick --json` runs and prints the
 * expected keys. No figure is checked (targets live in BENCHMARKS.md, never in
 * timed tests).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bench/run.ts', () => {
  it('runs every section with --quick --json and prints one JSON object with the expected keys', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['machine', 'options', 'engine', 'random', 'exhaustive', 'sharded', 'reft4', 'cells', 'xstate', 'targets']),
    );
    const engine = r.engine as Record<string, Record<string, unknown>>;
    expect(Object.keys(engine.randomExecutor ?? {})).toEqual(expect.arrayContaining(['stepsPerSec', 'execsPerSec']));
    expect(Object.keys(engine.exhaustive ?? {})).toEqual(expect.arrayContaining(['stepsPerSec', 'executionsPerSec', 'states']));
    const random = r.random as Record<string, unknown>[];
    expect(random).toHaveLength(2);
    expect(Object.keys(random[0] ?? {})).toEqual(expect.arrayContaining(['executorAllMonitors', 'randomSearch']));
    const exhaustive = r.exhaustive as { reduction: string; median: Record<string, unknown> | null }[];
    // two bounds, each with DPOR and with sleep sets alone
    expect(exhaustive.map((x) => x.reduction)).toEqual(['DPOR', 'sleep sets', 'DPOR', 'sleep sets']);
    expect(Object.keys(exhaustive[0]?.median ?? {})).toEqual(
      expect.arrayContaining(['states', 'executions', 'statesPerSec', 'statesPerCpuSec', 'peakRssMb', 'replaySteps', 'bytesPerState']),
    );
    // the default search over worker processes, at both bounds
    const sharded = r.sharded as { bounds: string[]; run: { jobs: number; states: number; complete: boolean } }[];
    expect(sharded.map((x) => x.bounds.join(','))).toEqual(['', 'ops=2']);
    expect(sharded[0]?.run.jobs).toBeGreaterThanOrEqual(2);
    expect(sharded[0]?.run.states).toBeGreaterThan(0);
    // (--quick cuts runs short, more so on a loaded machine: test/properties/shards.test.ts holds the two equal)
    const one = exhaustive[1]?.median as { states: number; complete: boolean };
    if (one.complete && sharded[0]?.run.complete) expect(sharded[0]?.run.states).toBe(one.states);
    const reft4 = r.reft4 as { reduction: string; run: object }[];
    expect(reft4.map((x) => x.reduction)).toEqual(['DPOR', 'sleep sets']);
    for (const x of reft4)
      expect(Object.keys(x.run)).toEqual(expect.arrayContaining(['states', 'transitions', 'seconds', 'peakRssMb', 'complete']));
    const cells = r.cells as { results: Record<string, unknown>[] };
    expect(cells.results.length).toBeGreaterThan(0);
    expect(Object.keys(cells.results[0] ?? {})).toEqual(expect.arrayContaining(['random', 'exhaustive', 'shrink', 'verdict']));
    const xstate = r.xstate as { machines: unknown[] };
    expect(xstate.machines.length).toBeGreaterThan(0);
    expect((r.targets as unknown[]).length).toBeGreaterThan(0);
  });
});
