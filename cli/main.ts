/**
 * vfio-dmabuf-model: the command line. Every failure leaves as one line on
 * stderr: bad usage or input exits 2, a bug in the tool exits 3 (set
 * VFIO_DMABUF_MODEL_DEBUG=1 for its stack). The process itself (exit
 * status, broken pipes, crashes outside a command) is start.ts's.
 */
import { helpText, parseArgs, wantsHelp } from './args.ts';
import type { Command } from './command.ts';
import { COMMANDS, findCommand } from './commands/index.ts';
import { EXIT, firstLine, isInputError, printable, UsageError } from './errors.ts';
import { didYouMean } from './suggest.ts';

const PROG = 'vfio-dmabuf-model';

export function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  return [
    `usage: ${PROG} COMMAND [ARGS] [--help]`,
    '',
    'A model checker for the Linux VFIO dma-buf lifecycle (and the VFIO SVA/PASID bind lifecycle):',
    'property suites, replayable counterexamples, and lock-order review, in kernel terms.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(w)}  ${c.spec.brief}`),
    '',
    `Run \`${PROG} COMMAND --help\` for a command's flags; \`${PROG} --version\` (or -V) prints the version.`,
    'Exit status: 0 pass, 1 violation, 2 usage or input error, 3 a bug in the tool,',
    '4 incomplete (check, lockorder, diff): nothing failed, but a limit cut a search, so nothing is proved.',
    '',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined)
    throw new UsageError(`missing command (commands: ${COMMANDS.map((x) => x.spec.name).join(', ')}; --help for help)`);
  if (name === '--help' || name === '-h' || name === 'help') return help(name, rest);
  if (name === '--version' || name === '-V') {
    noArguments(name, rest);
    process.stdout.write('vfio-dmabuf-model 0.1.0\n');
    return EXIT.pass;
  }
  const cmd: Command | undefined = findCommand(name);
  if (!cmd) {
    const what = name.startsWith('-')
      ? `unknown option ${name} before a command`
      : `unknown command "${name}"${didYouMean(name, commandNames())}`;
    throw new UsageError(`${what} (commands: ${COMMANDS.map((x) => x.spec.name).join(', ')}; --help for help)`);
  }
  if (wantsHelp(rest)) {
    // the other words must still be valid, so a typo beside --help is not silently ignored
    const words = rest.filter((a) => !wantsHelp([a]));
    parseArgs(cmd.spec, words, { forHelp: true });
    process.stdout.write(helpText(cmd.spec));
    return EXIT.pass;
  }
  return cmd.run(parseArgs(cmd.spec, rest));
}

/** `help [COMMAND]` (also `--help [COMMAND]`): the main help, or a command's. */
function help(name: string, argv: readonly string[]): number {
  const [topic, ...extra] = argv.filter((a) => !wantsHelp([a]));
  const usage = `${name} [COMMAND]`;
  if (topic?.startsWith('-')) noArguments(usage, [topic]);
  noArguments(usage, extra);
  if (topic === undefined) {
    process.stdout.write(mainHelp());
    return EXIT.pass;
  }
  const c = findCommand(topic);
  if (!c)
    throw new UsageError(
      `unknown command "${topic}"${didYouMean(topic, commandNames())} (commands: ${COMMANDS.map((x) => x.spec.name).join(', ')})`,
    );
  process.stdout.write(helpText(c.spec));
  return EXIT.pass;
}

const commandNames = () => COMMANDS.map((c) => c.spec.name);

/** Words left over where `usage` takes no more (`--version extra`, `help check extra`) are mistakes, not noise. */
function noArguments(usage: string, rest: readonly string[]): void {
  const [extra] = rest;
  if (extra === undefined) return;
  const what = extra.startsWith('-') && extra.length > 1 ? `unknown flag ${extra.split('=')[0]}` : `unexpected argument "${extra}"`;
  throw new UsageError(`${what} (usage: ${PROG} ${usage})`);
}

/** The one line a failure leaves on stderr; `code` is returned, for `return fail(...)`. */
export function fail(code: number, text: string): number {
  process.stderr.write(`${printable(text.replace(/\s*\n\s*/g, ' '))}\n`);
  return code;
}

/**
 * Runs the CLI: one-line errors and the exit status, whatever the command
 * throws. The process around it (start.ts) is not touched here, so the tests
 * run it in their own process too (test/cli/helpers.ts). `onFailure` runs
 * before a failure's line is written.
 */
export async function run(argv: readonly string[], onFailure: () => void = () => {}): Promise<number> {
  const command = argv[0] && findCommand(argv[0]) ? ` ${argv[0]}` : '';
  try {
    return await main(argv);
  } catch (e) {
    onFailure();
    if (isInputError(e)) return fail(EXIT.usage, `${PROG}${command}: ${firstLine(e)}`);
    if (process.env.VFIO_DMABUF_MODEL_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    return fail(EXIT.internal, `${PROG}${command}: internal error: ${firstLine(e)} (set VFIO_DMABUF_MODEL_DEBUG=1 for details)`);
  }
}
