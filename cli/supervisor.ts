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
import { BEAT, BEAT_SLOTS } from '../checker/heartbeat.ts';

/** Commands whose work is a search of design code. */
export const SUPERVISED = new Set(['check', 'lockorder', 'diff']);

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
/** How often the watcher looks. */
const POLL_MS = 50;
/** A step still running this long after the time limit has passed is stuck, not slow. */
const PAST_DEADLINE_MS = 500;

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
  let seen = -1;
  let since = Date.now();
  let ended = false;

  worker.on('message', (m: HostMessage) => {
    if (m.kind === 'name') names.set(m.id, m.name);
    else {
      stepMs = m.stepMs;
      deadline = m.deadline;
    }
  });

  const timer = setInterval(() => {
    const now = Date.now();
    const count = Atomics.load(beat, BEAT.count);
    const running = Atomics.load(beat, BEAT.running) === 1;
    if (!running || count !== seen) {
      seen = count;
      since = now;
      return;
    }
    const stuck = now - since;
    const pastDeadline = deadline !== null && now >= deadline && stuck >= PAST_DEADLINE_MS;
    if (stuck < stepMs && !pastDeadline) return;
    const name = (slot: number) => names.get(beat[slot] as number) ?? '?';
    const limit = pastDeadline && stuck < stepMs ? 'by the time limit' : `within the step limit (${stepMs / 1000} s)`;
    ended = true;
    clearInterval(timer);
    void worker.terminate().then(() => {
      writeSync(
        2,
        `${prog} ${argv[0]}: design ${name(BEAT.system)} is broken: step ${beat[BEAT.step]} of thread ${name(BEAT.thread)} in ${name(BEAT.fn)} did not return ${limit}\n`,
      );
      process.exit(2);
    });
  }, POLL_MS);

  worker.on('error', (e: Error & { code?: string }) => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    const why =
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? 'the search ran out of memory before its memory limit stopped it (try a smaller --max-memory)'
        : String(e?.message ?? e).split('\n')[0];
    writeSync(2, `${prog} ${argv[0]}: internal error: ${why}\n`);
    process.exit(3);
  });
  worker.on('exit', (code) => {
    if (ended) return;
    clearInterval(timer);
    process.exit(code);
  });
}
