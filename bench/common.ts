/**
 * Shared helpers of the benchmark: options, timing (wall clock and this
 * process's CPU time), medians, a memory probe, and running one measurement in
 * a child process so that its peak memory is its own.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Monitor } from '../checker/monitor.ts';

export interface BenchOptions {
  /** fewer repetitions and shorter runs: a smoke test, not a measurement */
  readonly quick: boolean;
  /** repetitions of each throughput measurement (median reported) */
  readonly reps: number;
  /** seconds per throughput repetition */
  readonly seconds: number;
  /** time limit of the ref-t4 exhaustive run, seconds */
  readonly reft4Limit: number;
  /** time limit of an exhaustive run of the upstream model, seconds */
  readonly exhaustiveLimit: number;
  /** seeds per failing cell and schedule (uniform, PCT) for time to first failure */
  readonly seeds: number;
  /** seeds per failing cell and schedule that also shrink (randomSearch: fast-check shrinking + minimize) */
  readonly shrinkSeeds: number;
  /** seeds per failing cell of the time to a random verdict (check's checkDesign, every property) */
  readonly verdictSeeds: number;
  /** per-seed limit of the random search for a first failure, seconds */
  readonly randomLimit: number;
  /** limit of the exhaustive search for a cell's shortest counterexample, seconds */
  readonly cellLimit: number;
  /** only these cells ("design/property" substrings), all when empty */
  readonly cellFilter: readonly string[];
  /** heap limit of the child processes, MB */
  readonly heapMb: number;
  /** progress lines on stderr */
  readonly verbose: boolean;
}

export function defaultOptions(quick: boolean): BenchOptions {
  return quick
    ? {
        quick,
        reps: 1,
        seconds: 0.2,
        reft4Limit: 2,
        exhaustiveLimit: 2,
        seeds: 1,
        shrinkSeeds: 1,
        verdictSeeds: 1,
        randomLimit: 2,
        cellLimit: 5,
        cellFilter: [],
        heapMb: 2048,
        verbose: false,
      }
    : {
        quick,
        reps: 5,
        seconds: 3,
        reft4Limit: 300,
        exhaustiveLimit: 300,
        seeds: 20,
        shrinkSeeds: 10,
        verdictSeeds: 5,
        randomLimit: 30,
        cellLimit: 120,
        cellFilter: [],
        heapMb: 6144,
        verbose: true,
      };
}

/** Wall-clock and CPU seconds of a piece of work (CPU: this process, user + system). */
export interface Timed<T> {
  readonly value: T;
  readonly wall: number;
  readonly cpu: number;
}

export function timed<T>(f: () => T): Timed<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function max(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : Math.max(...xs);
}

/** Rounds to a few significant digits for display and JSON. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const p = 10 ** Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * p) / p;
}

export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return '∞';
  const r = round(x, digits);
  return Math.abs(r) >= 1000 ? Math.round(r).toLocaleString('en-US') : String(r);
}

export const mb = (bytes: number): number => round(bytes / 2 ** 20, 4);

/**
 * A monitor that only watches memory: every `every` steps it samples the heap
 * and RSS, keeping the peaks (a synchronous search gives timers no chance to
 * run), and every `reportMs` it can print progress. It has no key and never
 * reports a violation, so it changes nothing about the search.
 */
export class MemoryProbe {
  peakHeap = 0;
  /** heap plus ArrayBuffer memory (the fingerprint table lives in typed arrays, outside the heap) */
  peakHeapAndBuffers = 0;
  peakRss = 0;
  steps = 0;
  private lastReport = performance.now();
  constructor(
    private readonly every = 2048,
    private readonly onReport?: (p: MemoryProbe) => void,
    private readonly reportMs = 10_000,
  ) {
    this.sample();
  }
  sample(): void {
    const m = process.memoryUsage();
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
    if (m.heapUsed + m.arrayBuffers > this.peakHeapAndBuffers) this.peakHeapAndBuffers = m.heapUsed + m.arrayBuffers;
    if (m.rss > this.peakRss) this.peakRss = m.rss;
  }
  monitor(): Monitor {
    return {
      name: 'bench-memory-probe',
      afterStep: () => {
        if (++this.steps % this.every === 0) {
          this.sample();
          if (this.onReport && performance.now() - this.lastReport > this.reportMs) {
            this.lastReport = performance.now();
            this.onReport(this);
          }
        }
        return null;
      },
    };
  }
}

/** Peak resident set size of this process so far, in bytes (the kernel's figure). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export interface ChildOutcome<T> {
  readonly ok: boolean;
  readonly result: T | null;
  /** why the child failed: exit code, signal, out of memory, timeout */
  readonly error: string | null;
  /** the last progress line the child printed, if any */
  readonly lastProgress: string | null;
  readonly wall: number;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * Runs one job of bench/child.ts in a fresh node process (same loader flags as
 * this one), with its own heap limit and a hard timeout; its result is the last
 * stdout line (JSON). Progress lines on stderr start with "progress ".
 */
export function runChild<T>(
  job: string,
  params: unknown,
  opts: { heapMb: number; timeoutSec: number; verbose: boolean },
): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const args = [...process.execArgv, `--max-old-space-size=${opts.heapMb}`, CHILD, job, JSON.stringify(params)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let lastProgress: string | null = null;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutSec * 1000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      err += text;
      for (const line of text.split('\n')) {
        if (!line.startsWith('progress ')) continue;
        lastProgress = line.slice('progress '.length);
        if (opts.verbose) process.stderr.write(`  [${job}] ${lastProgress}\n`);
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve({ ok: true, result: JSON.parse(last) as T, error: null, lastProgress, wall });
        return;
      }
      const oom = /heap out of memory|Allocation failed/i.test(err);
      const error = timedOut
        ? `killed after the hard timeout of ${opts.timeoutSec} s`
        : oom
          ? `out of memory (heap limit ${opts.heapMb} MB)`
          : `exit code ${code}${signal ? `, signal ${signal}` : ''}: ${err.trim().split('\n').slice(-5).join(' | ')}`;
      resolve({ ok: false, result: null, error, lastProgress, wall });
    });
  });
}

/** For jobs: a progress line the parent shows and keeps. */
export function progress(text: string): void {
  process.stderr.write(`progress ${text}\n`);
}
