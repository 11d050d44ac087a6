/**
 * Loops in the state graph. Under the compiled engine a thread is its frames,
 * so a loop that comes back to where it was, over an unchanged world, is a
 * state met again on its own path; the searches report it as a livelock.
 */
import type { Execution } from '../execution.ts';
import type { Fp } from '../fingerprint.ts';
import type { Violation } from '../point.ts';

/** The depth of the state among the first `length` of the path (root first) whose fingerprint is fp, or -1. */
export function onPath(frames: readonly { readonly state: Fp | null }[], length: number, fp: Fp): number {
  for (let i = length - 1; i >= 0; i--) {
    const s = (frames[i] as { readonly state: Fp | null }).state;
    if (s !== null && s.a === fp.a && s.b === fp.b && s.key === fp.key) return i;
  }
  return -1;
}

/**
 * The path came back to a state it was in: some schedule runs forever. The
 * generator engine's thread identity (the log of what it read) only grows, so
 * it sees this as the step limit; frames that come back to where they were are
 * the same state, and the loop is the livelock.
 */
export function cycle(exec: Execution, length: number, last: number): Violation {
  const thread = exec.threadNames[last] ?? '?';
  return {
    kind: 'livelock',
    message: `the execution came back to a state it was in ${length} steps earlier (last step by ${thread}): it can run forever`,
    thread,
  };
}
