/**
 * The command line as a process (cli/bin.js imports this): the exit status
 * of main.ts's run, a reader that goes away (`| head`) is no error, and a
 * crash outside any command still leaves one line and exit 3.
 */
import { EXIT, firstLine } from './errors.ts';
import { fail, run } from './main.ts';

const PROG = 'vfio-dmabuf-model';

function onPipeError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
}

const stopPipeWatch = () => process.stdout.off('error', onPipeError);

function crash(e: unknown): never {
  stopPipeWatch();
  process.exitCode = fail(EXIT.internal, `${PROG}: internal error: ${firstLine(e)}`);
  process.exit(EXIT.internal);
}

process.stdout.on('error', onPipeError);
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

process.exitCode = await run(process.argv.slice(2), stopPipeWatch);
