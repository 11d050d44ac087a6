/**
 * The explicit-state search SPIN does, over the engine's Execution: depth
 * first, every enabled transition of every process (both options of the
 * writer's MEM choice), states keyed by the world alone.
 *
 * Why not the engine's exhaustive search: it keys a thread by the log of its
 * current operation (what the world returned to it), which tells apart two
 * paths that bring a process to the same location with the same locals (the
 * writer's move loop after skipping a buffer or after revoking it), and it has
 * no choice inside a thread. The tight model keeps every location and local in
 * the world (tight.ts), so the world's fingerprint is the Promela state
 * vector, and counts can be compared with SPIN's -DNOREDUCE counts one for one.
 *
 * Each thread's first step (the engine starting its operation) touches nothing
 * and is taken when the execution is made (the tight system starts running,
 * checker/scenario.ts), before the search.
 *
 * It runs on the compiled engine by default (tight.ts is compiled model code,
 * checker/compiled/load.ts): a restore then shares the threads' frames instead
 * of re-running each moved thread's process from its log, which was 44% of
 * the time (T1: 14 CPU-s on generators, under 10 on frames). The key stays the
 * world alone either way; loaded without the compile hook (plain tsx), the
 * threads fall back to native generators and the counts are the same.
 */
import type { Engine } from '../../checker/compiled/engine.ts';
import { Execution, type Snapshot } from '../../checker/execution.ts';
import { FingerprintTable, type Fp } from '../../checker/fingerprint.ts';
import type { Violation } from '../../checker/point.ts';
import type { Scenario, System } from '../../checker/scenario.ts';
import { CHOICE } from './tight.ts';

export interface SpinLikeResult {
  /** distinct states (world fingerprints) */
  readonly states: number;
  /** transitions taken (to new or already stored states) */
  readonly transitions: number;
  readonly maxDepth: number;
  /** with `shortest`: the shortest path to a violation (thread index and MEM choice, -1 when none, per step) */
  readonly violation: { readonly kind: string; readonly message: string; readonly thread: string; readonly steps: number } | null;
  /** false when `maxStates` or `stop` stopped it */
  readonly complete: boolean;
  readonly tableBytes: number;
}

export interface SpinLikeOptions {
  /** find the shortest path to a violation (fewest protocol steps), as SPIN's BFS does, instead of counting */
  readonly shortest?: boolean;
  /** stop after this many states (complete: false) */
  readonly maxStates?: number;
  readonly onProgress?: (states: number, transitions: number) => void;
  /** give up (complete: false) once this returns true; asked every 4,096 transitions */
  readonly stop?: () => boolean;
  /** how thread code runs (default compiled; the counts do not depend on it) */
  readonly engine?: Engine;
}

interface Frame {
  readonly snap: Snapshot | null;
  readonly moves: readonly number[];
  readonly depth: number;
  next: number;
}

/** A move: thread * 4 + (choice + 1) (choice -1: none). */
const move = (t: number, choice: number) => t * 4 + choice + 1;

function movesOf(exec: Execution): number[] {
  const out: number[] = [];
  for (const t of exec.runnable()) {
    if (exec.nextAction(t).startsWith(CHOICE)) out.push(move(t, 0), move(t, 1));
    else out.push(move(t, -1));
  }
  return out;
}

function key(exec: Execution, h: Fp): Fp {
  h.a = 0x2545f491;
  h.b = 0x9e3779b9;
  exec.world.fingerprint(h);
  return h;
}

export function spinLikeSearch(system: System, scenario: Scenario, options: SpinLikeOptions = {}): SpinLikeResult {
  const exec = new Execution(system, scenario, { trackLocals: true, record: 'none', engine: options.engine ?? 'compiled' });
  if (exec.violation) throw new Error(`the tight model failed at its start: ${exec.violation.message}`);
  const table = new FingerprintTable();
  const h: Fp = { a: 0, b: 0 };
  const shortest = options.shortest ?? false;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  let transitions = 0;
  let maxDepth = 0;
  let best: { v: Violation; steps: number } | null = null;
  let complete = true;
  const isNew = (depth: number) => (shortest ? !table.seen(key(exec, h), depth, 0, 0, 0) : !table.visit(key(exec, h), 0));
  const frames: Frame[] = [];
  const open = (depth: number) => {
    if (depth > maxDepth) maxDepth = depth;
    const moves = movesOf(exec);
    if (moves.length === 0) {
      const v = exec.stuck();
      if (v && (!best || depth < best.steps)) best = { v, steps: depth };
      return;
    }
    if (shortest && best && depth + 1 >= best.steps) return;
    frames.push({ snap: moves.length > 1 ? exec.save() : null, moves, depth, next: 0 });
  };
  isNew(0);
  open(0);
  let lastReport = 0;
  while (frames.length > 0) {
    const f = frames[frames.length - 1] as Frame;
    if (f.next === f.moves.length || (shortest && best && f.depth + 1 >= best.steps)) {
      frames.pop();
      continue;
    }
    const m = f.moves[f.next++] as number;
    if (f.next > 1) exec.restore(f.snap as Snapshot);
    const t = m >> 2;
    const choice = (m & 3) - 1;
    if (choice >= 0) exec.world.set('oracle', 'v', choice);
    exec.step(t);
    transitions++;
    const depth = f.depth + 1;
    const v = exec.violation as Violation | null;
    if (v) {
      if (!best || depth < best.steps) best = { v: { ...v, thread: exec.threadNames[t] as string }, steps: depth };
      if (!shortest) break;
      continue;
    }
    if (!isNew(depth)) continue;
    if (table.size >= maxStates || ((table.size & 4095) === 0 && options.stop?.())) {
      complete = false;
      break;
    }
    if (options.onProgress && table.size - lastReport >= 1 << 20) {
      lastReport = table.size;
      options.onProgress(table.size, transitions);
    }
    if (!exec.isOver()) open(depth);
  }
  const found = best as { v: Violation; steps: number } | null;
  return {
    states: table.size,
    transitions,
    maxDepth,
    violation: found ? { kind: found.v.kind, message: found.v.message, thread: found.v.thread ?? '', steps: found.steps } : null,
    complete,
    tableBytes: table.bytes,
  };
}
