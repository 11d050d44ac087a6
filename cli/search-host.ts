/**
 * The worker side of supervisor.ts: stdout and stderr written straight to
 * their file descriptors (a worker's own streams would go through the main
 * thread, asynchronously, and are never terminals), the executor's heartbeat
 * connected to the watcher, and the command's limits told to it.
 */
import { writeSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { watchSteps } from '../checker/heartbeat.ts';
import type { HostData, HostMessage } from './supervisor.ts';

const post = (m: HostMessage) => parentPort?.postMessage(m);

function writeAll(fd: number, chunk: string | Uint8Array): void {
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  for (let off = 0; off < bytes.length; ) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // a reader that went away (`| head`) is not an error
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function direct(stream: NodeJS.WriteStream, fd: number, tty: HostData['stdout']): void {
  Object.defineProperty(stream, 'isTTY', { value: tty.tty, configurable: true });
  Object.defineProperty(stream, 'columns', { value: tty.columns, configurable: true });
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    writeAll(fd, chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof stream.write;
}

/** In a supervised worker: connects stdio and the heartbeat. Elsewhere nothing. */
export function hostWorker(): void {
  if (isMainThread || !workerData) return;
  const data = workerData as HostData;
  direct(process.stdout, 1, data.stdout);
  direct(process.stderr, 2, data.stderr);
  watchSteps(new Int32Array(data.beat), (id, name) => post({ kind: 'name', id, name }));
}

/** Tells the watcher the command's limits; `timeLimitMs` counts from now. */
export function announceLimits(stepMs: number, timeLimitMs: number | undefined): void {
  post({ kind: 'limits', stepMs, deadline: timeLimitMs === undefined ? null : Date.now() + timeLimitMs });
}
