/**
 * A design whose own code fails while it runs: a function that throws (the
 * executor's `model-error`) or an execution that never ends (`livelock`). No
 * property owns these kinds, so without this check a search would just end
 * those executions and the design would pass every property, unexercised past
 * the fault. A check reports it instead, as a broken input.
 */
import type { Violation } from '../checker/point.ts';

export const FAULT_KINDS: readonly string[] = ['model-error', 'livelock'];

export const isFault = (v: Violation): boolean => FAULT_KINDS.includes(v.kind);

export class DesignFault extends Error {
  constructor(design: string, v: Violation, step: number) {
    const where = v.thread ? ` (${v.thread}${v.stack?.length ? ` in ${v.stack.join(' > ')}` : ''})` : '';
    const first = v.message.split('\n')[0] ?? '';
    // "model threw: TypeError: x is not a function" -> "its code threw a TypeError: x is not a function"
    const what = first.startsWith('model threw: ')
      ? `its code threw ${first
          .slice('model threw: '.length)
          .replace(/^Error: /, '')
          .replace(/^(\w+Error): /, 'a $1: ')}`
      : first;
    // a thread that never finishes: the function it keeps yielding in says more than the step
    if (v.kind === 'livelock' && v.thread) {
      const stack = v.stack?.length ? ` in ${v.stack.join(' > ')}` : '';
      super(`design ${design} is broken: thread ${v.thread}${stack} did not finish after ${step} steps`);
      return;
    }
    super(`design ${design} is broken: at step ${step}${where} ${what}`);
  }
}

/** A design whose step never returned, as a watcher that ended it says (`design X is broken: step N ... did not return ...`). */
export class BrokenDesign extends Error {}

/** Throws a DesignFault for the first fault among a search's findings (by violation kind), if any. */
export function throwIfFault(
  design: string,
  found: ReadonlyMap<string, { readonly violation: Violation; readonly path: readonly number[] }>,
): void {
  for (const f of found.values()) if (isFault(f.violation)) throw new DesignFault(design, f.violation, f.path.length);
}
