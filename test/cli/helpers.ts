/**
 * Runs the command line as a user does: `node cli/bin.js ...` in the repository, as a subprocess.
 * For a test that reads only what a command prints and its exit status, here.ts runs it in the
 * test's own process instead, a second or more faster a call.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'cli', 'bin.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The first child of a test worker runs alone. On a fresh clone it compiles
 * the model into the disk cache (checker/compiled/load.ts), several seconds of
 * CPU; children started beside it would each compile it again.
 */
let first: Promise<unknown> | undefined;

/** `timeoutMs`: kill the command after this long (it then exits with -1), for input that once hung it. */
export function cli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  if (first) return first.then(() => spawnCli(args, options));
  const r = spawnCli(args, options);
  first = r;
  return r;
}

function spawnCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd ?? REPO,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: '0', VFIO_DMABUF_MODEL_DEBUG: '' },
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const }),
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vfio-cli-'));
}

/** The one-line error contract: exit 2, nothing on stdout, one line on stderr, no stack trace. */
export function expectUsageError(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  if (r.code !== 2) throw new Error(`expected exit 2, got ${r.code}: ${r.stderr}${r.stdout.slice(0, 500)}`);
  if (r.stdout !== '') throw new Error(`expected no stdout, got: ${r.stdout.slice(0, 500)}`);
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}: ${r.stderr}`);
  const line = lines[0] as string;
  if (/\n\s+at |\bat .*\.(ts|js):\d+|Error:|TypeError|internal error/.test(r.stderr))
    throw new Error(`looks like a stack trace or a crash: ${r.stderr}`);
  if (!line.startsWith('vfio-dmabuf-model')) throw new Error(`expected the tool's name first: ${line}`);
  return line;
}
