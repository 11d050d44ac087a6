/**
 * Signals not yet turned into edges, per task: a complete() made under a lock
 * is only a dependency of its waiters if the task lets that lock go without
 * waiting itself. A task that completes and then waits on the same completion
 * inside one critical section (kref_put() of its own reference, then
 * wait_for_completion(), as vfio_pci_dma_buf_move() does) is doing its own
 * bookkeeping, not signalling anyone who could be blocked behind its lock.
 * The rule of both lockdeps: the one of an execution (LockdepMonitor) and the
 * one across executions (LockGraph), which differ only in what a signal carries.
 */
export interface PendingSignal {
  /** the class signalled */
  readonly cls: string;
  /** the locks held when it was signalled */
  readonly locks: readonly string[];
}

const NONE_PENDING: ReadonlyMap<string, never[]> = new Map();

export class PendingSignals<P extends PendingSignal> {
  private byTask = new Map<string, P[]>();

  /** A signal made under locks: an edge only once the task releases one of them. */
  signal(task: string, p: P): void {
    const list = this.byTask.get(task) ?? [];
    list.push(p);
    this.byTask.set(task, list);
  }

  /** The task waits on `cls`: its own earlier signals of it in this critical section signal nobody else. */
  wait(task: string, cls: string): void {
    const list = this.byTask.get(task);
    if (list)
      this.byTask.set(
        task,
        list.filter((p) => p.cls !== cls),
      );
  }

  /** The task releases `lock`: the signals made under it, now edges, in the order they were made. */
  release(task: string, lock: string): P[] {
    const list = this.byTask.get(task);
    if (!list) return [];
    const commit = list.filter((p) => p.locks.includes(lock));
    if (commit.length > 0)
      this.byTask.set(
        task,
        list.filter((p) => !p.locks.includes(lock)),
      );
    return commit;
  }

  clear(): void {
    this.byTask = new Map();
  }

  /** A copy that later signals cannot reach (one shared empty map when nothing is pending, as at most saves). */
  save(): ReadonlyMap<string, readonly P[]> {
    let out: Map<string, P[]> | null = null;
    for (const [t, list] of this.byTask) if (list.length > 0) (out ??= new Map()).set(t, [...list]);
    return out ?? NONE_PENDING;
  }

  load(saved: unknown): void {
    const from = saved as ReadonlyMap<string, readonly P[]>;
    if (from.size === 0 && this.byTask.size === 0) return;
    this.byTask = new Map();
    for (const [t, list] of from) this.byTask.set(t, [...list]);
  }

  /** The pending signals, for state keys: what makes two otherwise equal states differ. */
  key(): string {
    const parts: string[] = [];
    for (const [t, ps] of this.byTask) if (ps.length > 0) parts.push(`${t}:${ps.map((p) => `${p.cls}@${p.locks.join('+')}`).join(',')}`);
    return parts.join('|');
  }
}
