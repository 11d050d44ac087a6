/**
 * The limits of a command that searches: --time-limit for the whole run,
 * --max-memory for the heap, --step-limit for one step of design code (which
 * the watcher of supervisor.ts enforces, since a step that never returns
 * cannot be stopped from its own thread).
 */
import { defaultMaxMemoryBytes } from '../checker/search/deadline.ts';
import type { Args } from './args.ts';
import { announceLimits } from './search-host.ts';

export interface SearchLimits {
  readonly timeLimitMs?: number;
  readonly maxMemoryBytes: number;
  /** the longest one step of design code may run (the watcher's limit, also given to --jobs workers) */
  readonly stepLimitMs: number;
}

const MB = 1024 * 1024;

/** --step-limit in milliseconds (default 10 s). */
export const stepLimitMs = (args: Args): number => (args.int('step-limit', 1, 7 * 24 * 3600) ?? 10) * 1000;

/** Reads the limits and tells the watcher; the time limit counts from now. */
export function searchLimits(args: Args): SearchLimits {
  const seconds = args.int('time-limit', 1, 7 * 24 * 3600);
  const mb = args.int('max-memory', 16, 1024 * 1024);
  const stepMs = stepLimitMs(args);
  const timeLimitMs = seconds === undefined ? undefined : seconds * 1000;
  announceLimits(stepMs, timeLimitMs);
  return {
    ...(timeLimitMs === undefined ? {} : { timeLimitMs }),
    maxMemoryBytes: mb === undefined ? defaultMaxMemoryBytes() : mb * MB,
    stepLimitMs: stepMs,
  };
}
