import type { Step } from './execution.ts';
import { digest, stableStringify } from './value.ts';

/** Digest of what a trace did, thread by thread: equal digests mean the same trace. */
export function traceDigest(steps: readonly Step[]): string {
  let text = '';
  for (const s of steps) {
    text += `${s.thread}|${s.stack.join('>')}|${s.action}|${stableStringify(s.changes)}|${s.returned ? stableStringify(s.returned) : ''}\n`;
  }
  return digest(text);
}

/** Path of thread indices as runs of [thread name, number of steps]: the file form of a schedule. */
export function pathToRuns(path: readonly number[], names: readonly string[]): [string, number][] {
  const runs: [string, number][] = [];
  for (const t of path) {
    const name = names[t] ?? `#${t}`;
    const lastRun = runs[runs.length - 1];
    if (lastRun && lastRun[0] === name) lastRun[1]++;
    else runs.push([name, 1]);
  }
  return runs;
}

export function runsToPath(runs: readonly (readonly [string, number])[], names: readonly string[]): number[] {
  const path: number[] = [];
  for (const [name, n] of runs) {
    const t = names.indexOf(name);
    if (t < 0) throw new Error(`schedule names thread "${name}", which the scenario does not have`);
    for (let i = 0; i < n; i++) path.push(t);
  }
  return path;
}
