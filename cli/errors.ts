/**
 * What the command line reports as one line and exit code 2: bad usage or bad
 * input (unknown names, malformed files, impossible bounds). Everything else
 * that escapes is a bug in the tool, reported as one line too (exit 3).
 */
import { CounterexampleFormatError } from '../checker/counterexample.ts';
import { DesignError } from '../loader/load.ts';
import { BoundsError } from '../model/dmabuf/bounds.ts';
import { BrokenDesign, DesignFault } from '../properties/design-fault.ts';
import { ReplayInputError } from '../properties/replay.ts';

export class UsageError extends Error {}

/** `incomplete`: nothing failed, but a limit cut a search, so nothing was proved either (check, lockorder, diff). */
export const EXIT = { pass: 0, violation: 1, usage: 2, internal: 3, incomplete: 4 } as const;

/** The exit status of an overall verdict. */
export function exitOf(verdict: 'pass' | 'fail' | 'incomplete' | 'unexercised'): number {
  // unexercised: a function the design replaces never ran, so its change was not checked, as with a cut search
  return verdict === 'fail' ? EXIT.violation : verdict === 'incomplete' || verdict === 'unexercised' ? EXIT.incomplete : EXIT.pass;
}

/** The first line of an error's message, without a trailing period. */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').trim() || (e instanceof Error ? e.name : 'error');
}

/**
 * `text` with every character a terminal would act on instead of print
 * (C0 and C1 controls, DEL, line and paragraph separators, bidirectional
 * overrides) written as a JSON-style escape, so input echoed into an error
 * line can neither rewrite the screen nor break the line in two.
 */
export function printable(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Errors that mean "your input is wrong": the model's own input errors, or ours. */
export function isInputError(e: unknown): boolean {
  return (
    e instanceof UsageError ||
    e instanceof DesignError ||
    e instanceof CounterexampleFormatError ||
    e instanceof BoundsError ||
    e instanceof ReplayInputError ||
    e instanceof DesignFault ||
    e instanceof BrokenDesign
  );
}

/** Runs `f`, turning any error it throws into a UsageError with `prefix` (for input validation by model code). */
export function asInput<T>(f: () => T, prefix = ''): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${prefix}${firstLine(e)}`);
  }
}

export async function asInputAsync<T>(f: () => Promise<T>, prefix = ''): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${prefix}${firstLine(e)}`);
  }
}
