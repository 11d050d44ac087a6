/**
 * What the executor is doing, in shared memory, for a watcher on another
 * thread: design code that loops without yielding cannot be stopped from its
 * own thread, but a watcher that sees the same step running for too long can
 * end the thread and say which step it was. Names are interned to small
 * integers; each new name is announced once, so the watcher can print it.
 * Without a watcher (tests, benches) every call here is one null check.
 */

/** Slots of the shared array. */
export const BEAT = {
  /** steps begun so far (wraps) */
  count: 0,
  /** 1 while a step runs */
  running: 1,
  /** the running step's system (design), thread and innermost function, interned */
  system: 2,
  thread: 3,
  fn: 4,
  /** its index in its execution, from 1 */
  step: 5,
} as const;

export const BEAT_SLOTS = 6;

let beat: Int32Array | null = null;
let announce: (id: number, name: string) => void = () => {};
const ids = new Map<string, number>();

/** Starts writing to `shared`; `onName` is told every interned name once. */
export function watchSteps(shared: Int32Array, onName: (id: number, name: string) => void): void {
  beat = shared;
  announce = onName;
  ids.clear();
}

function intern(name: string): number {
  let id = ids.get(name);
  if (id === undefined) {
    id = ids.size + 1;
    ids.set(name, id);
    announce(id, name);
  }
  return id;
}

/** A step begins: `index` counts from 1 within its execution. */
export function stepBegins(system: string, thread: string, fn: string, index: number): void {
  const b = beat;
  if (b === null) return;
  b[BEAT.system] = intern(system);
  b[BEAT.thread] = intern(thread);
  b[BEAT.fn] = intern(fn);
  b[BEAT.step] = index;
  b[BEAT.count] = ((b[BEAT.count] as number) + 1) | 0;
  Atomics.store(b, BEAT.running, 1);
}

/** The running step entered or left a function: `fn` is now the innermost. */
export function inFunction(fn: string | undefined): void {
  if (beat !== null && fn !== undefined) beat[BEAT.fn] = intern(fn);
}

export function stepEnds(): void {
  if (beat !== null) Atomics.store(beat, BEAT.running, 0);
}
