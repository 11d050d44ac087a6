import { getHeapStatistics } from 'node:v8';

/**
 * Whether the heap (with the typed arrays of the state caches, which live
 * outside it) holds more than `maxBytes`: a search asked this stops cleanly,
 * incomplete, before V8 runs out of memory and aborts the process.
 */
export function heapFull(maxBytes: number | undefined): boolean {
  if (maxBytes === undefined) return false;
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory > maxBytes;
}

/** The memory limit a search gets by default: three quarters of V8's heap limit (what this process may use). */
export function defaultMaxMemoryBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * 0.75);
}

/**
 * When a search must end before it is complete: its time limit has passed,
 * the heap is nearly full, or its caller's `stop` says so. The heap and `stop`
 * are asked only every 1,024 states, so either may cost a system call (a
 * worker asking whether its parent is still there).
 */
export class Deadline {
  private calls = 0;
  /** set when the heap, not the clock or the caller, ended the search */
  memory = false;

  constructor(
    private readonly t0: number,
    private readonly limitMs: number | undefined,
    private readonly stop: (() => boolean) | undefined,
    private readonly maxMemoryBytes?: number,
  ) {}

  passed(): boolean {
    if (this.limitMs !== undefined && Date.now() - this.t0 > this.limitMs) return true;
    if ((++this.calls & 1023) !== 0) return false;
    if (heapFull(this.maxMemoryBytes)) {
      this.memory = true;
      return true;
    }
    return this.stop?.() === true;
  }
}
