/**
 * Runs a command in the test's own process: cli/main.ts's run, the function
 * cli/start.ts runs in a real one, with stdout and stderr captured. It spares
 * a test the second or so a child process costs to load the tool (tsx, the
 * compiled model, the search worker). Only for tests that look at what a
 * command prints and its exit status, from the repository: a test about the
 * process itself (a crash, a signal, a hang, stdin, the environment, the
 * search worker, another working directory, bin.js) spawns it with cli().
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { engineChoice } from '../../checker/compiled/engine.ts';
import { run } from '../../cli/main.ts';
import { type CliResult, REPO } from './helpers.ts';

interface Capture {
  stdout: string;
  stderr: string;
}

const capture = new AsyncLocalStorage<Capture>();

/** Writes made inside a run (found by its async context) go to its capture; any other write goes on as before. */
function redirect(stream: NodeJS.WriteStream, key: keyof Capture): void {
  const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const c = capture.getStore();
    if (!c) return write(chunk, ...rest);
    c[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  }) as typeof stream.write;
}
redirect(process.stdout, 'stdout');
redirect(process.stderr, 'stderr');

/** What a command changes for the rest of its process and must not leak into the next run (check's --engine). */
function saveGlobals(): () => void {
  const engine = engineChoice.engine;
  const env = { ...process.env };
  return () => {
    engineChoice.engine = engine;
    for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
    Object.assign(process.env, env);
  };
}

/** One run at a time: the globals a run sets are the process's, and a search holds the thread anyway. */
let queue: Promise<unknown> = Promise.resolve();

/** `args` as `vfio-dmabuf-model ARGS` run from the repository with stdout and stderr not terminals: what cli() returns. */
export function here(args: readonly string[]): Promise<CliResult> {
  const next = queue.then(() => runHere(args));
  queue = next.catch(() => {});
  return next;
}

async function runHere(args: readonly string[]): Promise<CliResult> {
  // relative paths in arguments and in what is printed are the repository's, as for cli()
  if (process.cwd() !== REPO) throw new Error(`here() runs from ${REPO}, not ${process.cwd()}: use cli() with cwd`);
  const tty = [process.stdout.isTTY, process.stderr.isTTY];
  // what a child of cli() sees: pipes, no colour, no debugging stacks
  process.stdout.isTTY = false;
  process.stderr.isTTY = false;
  const restore = saveGlobals();
  process.env.FORCE_COLOR = '0';
  process.env.VFIO_DMABUF_MODEL_DEBUG = '';
  const c: Capture = { stdout: '', stderr: '' };
  try {
    const code = await capture.run(c, () => run(args));
    return { code, stdout: c.stdout, stderr: c.stderr };
  } finally {
    restore();
    [process.stdout.isTTY, process.stderr.isTTY] = tty as [true, true];
  }
}
