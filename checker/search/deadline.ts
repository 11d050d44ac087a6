/**
 * When a search must end before it is complete: its time limit has passed, or
 * its caller's `stop` says so. `stop` is asked only every 1,024 states, so it
 * may cost a system call (a worker asking whether its parent is still there).
 */
export class Deadline {
  private calls = 0;

  constructor(
    private readonly t0: number,
    private readonly limitMs: number | undefined,
    private readonly stop: (() => boolean) | undefined,
  ) {}

  passed(): boolean {
    if (this.limitMs !== undefined && Date.now() - this.t0 > this.limitMs) return true;
    return this.stop !== undefined && (++this.calls & 1023) === 0 && this.stop();
  }
}
