/**
 * A tiny strict argument parser: every flag must be declared, every value is
 * checked, and any mistake is a one-line UsageError naming what is valid.
 *
 *   --flag VALUE, --flag=VALUE   a value
 *   --flag                       a switch
 *   --flag A B C                 a list flag takes every following word up to the next --flag; while
 *                                the command still lacks arguments, only the words that match its
 *                                `more` (one word otherwise), so that `diff --bound ops=1 A B` leaves A and B
 *   -h, --help                   help for the command
 */
import { UsageError } from './errors.ts';
import { didYouMean } from './suggest.ts';

export interface FlagSpec {
  readonly name: string;
  /** what the value looks like in help (`N`, `NAME`); absent for a switch */
  readonly value?: string;
  /** the flag may repeat and takes several words */
  readonly list?: boolean;
  /** while the command still lacks arguments: the shape of a further word of this list flag (none: one word per flag) */
  readonly more?: RegExp;
  /** the only values allowed */
  readonly choices?: readonly string[];
  readonly help: string;
  /** shown in help */
  readonly default?: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly help: string;
  /** default true */
  readonly required?: boolean;
  /** the only values allowed */
  readonly choices?: readonly string[];
  /** the last positional only: it takes every further word too (`merge FILE...`) */
  readonly repeats?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** a few words, for the command list */
  readonly brief: string;
  /** what it does, a paragraph */
  readonly summary: string;
  readonly positionals: readonly PositionalSpec[];
  readonly flags: readonly FlagSpec[];
  /** paragraphs shown after the flags */
  readonly notes?: readonly string[];
  readonly examples?: readonly string[];
}

export class Args {
  constructor(
    readonly command: string,
    readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, readonly string[]>,
  ) {}

  has(flag: string): boolean {
    return this.values.has(flag);
  }

  /** The flag's value (the last one given), or undefined. */
  get(flag: string): string | undefined {
    const v = this.values.get(flag);
    return v === undefined ? undefined : v[v.length - 1];
  }

  /**
   * Every value of a list flag; comma-separated words are split. An empty item
   * (`--variant ,`, `a,,b`) is a mistake: dropping it would turn a list that
   * names nothing into "no list given", which means "all".
   */
  list(flag: string): string[] {
    const given = this.values.get(flag) ?? [];
    for (const v of given)
      if (v.split(',').some((x) => x.length === 0))
        throw new UsageError(`--${flag} ${v}: empty name in the list (names are separated by commas or spaces)`);
    return given.flatMap((v) => v.split(','));
  }

  /** Every value of a list flag as given (no comma splitting). */
  raw(flag: string): string[] {
    return [...(this.values.get(flag) ?? [])];
  }

  /** An integer flag within [min, max]. */
  int(flag: string, min: number, max: number): number | undefined {
    const v = this.get(flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new UsageError(`--${flag} ${v}: expected an integer from ${min} to ${max}`);
    return n;
  }
}

const HELP = new Set(['-h', '--help']);

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => HELP.has(a));
}

/**
 * Parses a command's arguments (after the command name). With `forHelp` (the
 * words beside --help) a missing positional is no error: the help says what
 * it takes.
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[], options: { forHelp?: boolean } = {}): Args {
  const flags = new Map(spec.flags.map((f) => [f.name, f]));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const validFlags = () => (spec.flags.length ? spec.flags.map((f) => `--${f.name}`).join(', ') : 'none');
  const check = (f: FlagSpec, v: string) => {
    if (f.choices && !f.choices.includes(v)) throw new UsageError(`--${f.name} ${v}: expected one of ${f.choices.join(', ')}`);
    if (v.length === 0) throw new UsageError(`--${f.name} needs a non-empty ${f.value ?? 'value'}`);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(a);
      const f = m ? flags.get(m[1] as string) : undefined;
      if (!m || !f) {
        const given = a.split('=')[0] as string;
        const hint = didYouMean(
          given,
          spec.flags.map((x) => `--${x.name}`),
        );
        throw new UsageError(`unknown flag ${given}${hint} (flags of ${spec.name}: ${validFlags()})`);
      }
      const inline = m[2];
      if (f.value === undefined) {
        if (inline !== undefined) throw new UsageError(`--${f.name} is a switch and takes no value`);
        values.set(f.name, ['true']);
        continue;
      }
      const got: string[] = [];
      if (inline !== undefined) got.push(inline);
      else {
        const isWord = (s: string | undefined): s is string => s !== undefined && !(s.startsWith('--') && s.length > 2);
        if (!isWord(argv[i + 1]))
          throw new UsageError(`--${f.name} needs a value (${f.value}${f.choices ? `: one of ${f.choices.join(', ')}` : ''})`);
        got.push(argv[++i] as string);
        // while arguments are still due, a word that could be one stays one unless it has this flag's shape
        const due = positionals.length < spec.positionals.length;
        const ours = (w: string) => !w.startsWith('-') && (!due || (f.more?.test(w) ?? false));
        if (f.list) while (isWord(argv[i + 1]) && ours(argv[i + 1] as string)) got.push(argv[++i] as string);
      }
      for (const v of got) check(f, v);
      if (!f.list && values.has(f.name) && values.get(f.name)?.[0] !== got[0])
        throw new UsageError(`--${f.name} given twice (${values.get(f.name)?.[0]} and ${got[0]})`);
      values.set(f.name, f.list ? [...(values.get(f.name) ?? []), ...got] : got);
      continue;
    }
    positionals.push(a);
  }
  const max = spec.positionals.at(-1)?.repeats ? Number.POSITIVE_INFINITY : spec.positionals.length;
  if (positionals.length > max) {
    const extra = positionals[max] as string;
    throw new UsageError(
      max === 0
        ? `unexpected argument "${extra}" (${spec.name} takes only flags: ${validFlags()})`
        : `unexpected argument "${extra}" (usage: ${usageLine(spec)})`,
    );
  }
  spec.positionals.forEach((p, i) => {
    const v = positionals[i];
    if (v === undefined) {
      if (p.required !== false && !options.forHelp)
        throw new UsageError(`missing ${p.name}${p.choices ? ` (one of ${p.choices.join(', ')})` : ''} (usage: ${usageLine(spec)})`);
      return;
    }
    if (p.choices && !p.choices.includes(v))
      throw new UsageError(`unknown ${p.name.toLowerCase()} "${v}" (expected one of ${p.choices.join(', ')})`);
  });
  return new Args(spec.name, positionals, values);
}

export function usageLine(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => {
    const name = p.choices ? p.choices.join('|') : p.name;
    const word = p.repeats ? `${name}...` : name;
    return p.required === false ? `[${word}]` : word;
  });
  const flags = spec.flags.map((f) => {
    const v = f.value === undefined ? '' : f.choices ? ` ${f.choices.join('|')}` : ` ${f.value}${f.list ? '...' : ''}`;
    return `[--${f.name}${v}]`;
  });
  return ['vfio-dmabuf-model', spec.name, ...pos, ...flags].join(' ');
}

/** The --help text of a command. */
export function helpText(spec: CommandSpec): string {
  const out = [`usage: ${usageLine(spec)}`, '', spec.summary];
  if (spec.positionals.length) {
    out.push('', 'arguments:');
    for (const p of spec.positionals) out.push(`  ${p.name.padEnd(24)} ${p.help}`);
  }
  if (spec.flags.length) {
    out.push('', 'flags:');
    for (const f of spec.flags) {
      const left = `--${f.name}${f.value === undefined ? '' : ` ${f.choices ? f.choices.join('|') : f.value}${f.list ? '...' : ''}`}`;
      const help = `${f.help}${f.default !== undefined ? ` (default: ${f.default})` : ''}`;
      out.push(left.length > 24 ? `  ${left}\n  ${''.padEnd(24)} ${help}` : `  ${left.padEnd(24)} ${help}`);
    }
    out.push(`  ${'-h, --help'.padEnd(24)} this help`);
  }
  for (const n of spec.notes ?? []) out.push('', n);
  if (spec.examples?.length) {
    out.push('', 'examples:');
    for (const e of spec.examples) out.push(`  ${e}`);
  }
  return `${out.join('\n')}\n`;
}
