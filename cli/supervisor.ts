/**
 * The commands that search (check, lockorder, diff) run in a worker thread
 * watched from the main thread. Design code that loops without yielding
 * cannot be stopped from its own thread; the watcher reads the executor's
 * heartbeat (checker/heartbeat.ts) and ends a worker whose step has not
 * returned within the step limit, or past the time limit, naming the step,
 * with exit status 2. The worker writes to stdout and stderr itself
 * (search-host.ts), so the output is what it is without a worker.
 */
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Worker } from 'node:worker_threads';
import { BEAT_SLOTS } from '../checker/heartbeat.ts';
import { watchStuckSteps } from '../checker/step-watch.ts';

/** Commands that run design code: the searches, and replay. */
export const SUPERVISED = new Set(['check', 'lockorder', 'diff', 'replay']);

/** What the worker sends the watcher. */
export type HostMessage =
  | { readonly kind: 'name'; readonly id: number; readonly name: string }
  /** the command's limits, once its flags are read: `deadline` is epoch ms */
  | { readonly kind: 'limits'; readonly stepMs: number; readonly deadline: number | null };

export interface HostData {
  readonly beat: SharedArrayBuffer;
  readonly stdout: { readonly tty: boolean; readonly columns: number | undefined };
  readonly stderr: { readonly tty: boolean; readonly columns: number | undefined };
}

/** Before any limit is known (loading the design, parsing flags): the default step limit. */
const DEFAULT_STEP_MS = 10_000;

const columns = (fd: 1 | 2): number | undefined => (isatty(fd) ? (fd === 1 ? process.stdout : process.stderr).columns : undefined);

export function supervise(entry: URL, argv: readonly string[]): void {
  const prog = 'vfio-dmabuf-model';
  const beat = new Int32Array(new SharedArrayBuffer(BEAT_SLOTS * 4));
  const data: HostData = {
    beat: beat.buffer as SharedArrayBuffer,
    stdout: { tty: isatty(1), columns: columns(1) },
    stderr: { tty: isatty(2), columns: columns(2) },
  };
  const worker = new Worker(entry, { argv: [...argv], workerData: data, stdout: false, stderr: false });
  const names = new Map<number, string>();
  let stepMs = DEFAULT_STEP_MS;
  let deadline: number | null = null;
  let ended = false;

  worker.on('message', (m: HostMessage) => {
    if (m.kind === 'name') names.set(m.id, m.name);
    else {
      stepMs = m.stepMs;
      deadline = m.deadline;
    }
  });

  const stop = watchStuckSteps(
    beat,
    names,
    () => ({ stepMs, deadline }),
    (message) => {
      ended = true;
      void worker.terminate().then(() => {
        writeSync(2, `${prog} ${argv[0]}: ${message}\n`);
        process.exit(2);
      });
    },
  );

  worker.on('error', (e: Error & { code?: string }) => {
    if (ended) return;
    ended = true;
    stop();
    const why =
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? 'the search ran out of memory before its memory limit stopped it (try a smaller --max-memory)'
        : String(e?.message ?? e).split('\n')[0];
    writeSync(2, `${prog} ${argv[0]}: internal error: ${why}\n`);
    process.exit(3);
  });
  worker.on('exit', (code) => {
    if (ended) return;
    stop();
    process.exit(code);
  });
}
