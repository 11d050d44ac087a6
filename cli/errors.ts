/**
 * What the command line reports as one line and exit code 2: bad usage or bad
 * input (unknown names, malformed files, impossible bounds). Everything else
 * that escapes is a bug in the tool, reported as one line too (exit 3).
 */
import { CounterexampleFormatError } from '../checker/counterexample.ts';
import { BoundsError } from '../model/bounds.ts';
import { DesignError } from '../model/load.ts';
import { DesignFault } from '../properties/design-fault.ts';
import { ReplayInputError } from '../properties/replay.ts';

export class UsageError extends Error {}

export const EXIT = { pass: 0, violation: 1, usage: 2, internal: 3 } as const;

/** The first line of an error's message, without a trailing period. */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').trim() || (e instanceof Error ? e.name : 'error');
}

/** Errors that mean "your input is wrong": the model's own input errors, or ours. */
export function isInputError(e: unknown): boolean {
  return (
    e instanceof UsageError ||
    e instanceof DesignError ||
    e instanceof CounterexampleFormatError ||
    e instanceof BoundsError ||
    e instanceof ReplayInputError ||
    e instanceof DesignFault
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
