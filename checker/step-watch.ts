/**
 * The watcher's side of heartbeat.ts: on another thread than the executor's,
 * looks at the shared heartbeat every few milliseconds and calls `onStuck`
 * once with a one-line message naming the step that has run past the step
 * limit (or past the time limit), so the caller can end the thread that runs
 * it. The executor's own thread cannot: a loop that never yields never lets it.
 */
import { BEAT } from './heartbeat.ts';

export interface StepLimits {
  /** the longest one step may run */
  readonly stepMs: number;
  /** when the whole run must be over (epoch ms), or null */
  readonly deadline: number | null;
}

/** How often the watcher looks. */
const POLL_MS = 50;
/** A step still running this long after the time limit has passed is stuck, not slow. */
const PAST_DEADLINE_MS = 500;

/** Starts watching; returns the function that stops it. `names` maps the heartbeat's interned ids to names. */
export function watchStuckSteps(
  beat: Int32Array,
  names: ReadonlyMap<number, string>,
  limits: () => StepLimits,
  onStuck: (message: string) => void,
): () => void {
  let seen = -1;
  let since = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const count = Atomics.load(beat, BEAT.count);
    const running = Atomics.load(beat, BEAT.running) === 1;
    if (!running || count !== seen) {
      seen = count;
      since = now;
      return;
    }
    const { stepMs, deadline } = limits();
    const stuck = now - since;
    const pastDeadline = deadline !== null && now >= deadline && stuck >= PAST_DEADLINE_MS;
    if (stuck < stepMs && !pastDeadline) return;
    clearInterval(timer);
    const name = (slot: number) => names.get(beat[slot] as number) ?? '?';
    const limit = pastDeadline && stuck < stepMs ? 'by the time limit' : `within the step limit (${stepMs / 1000} s)`;
    onStuck(
      `design ${name(BEAT.system)} is broken: step ${beat[BEAT.step]} of thread ${name(BEAT.thread)} in ${name(BEAT.fn)} did not return ${limit}`,
    );
  }, POLL_MS);
  return () => clearInterval(timer);
}
