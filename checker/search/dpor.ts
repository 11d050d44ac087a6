/**
 * Stateful dynamic partial-order reduction: the search of Flanagan and
 * Godefroid (POPL 2005, with sleep sets and vector clocks), with a state cache.
 *
 * At each state only one thread is explored at first. Whenever a step
 * conflicts with an earlier step of another thread (see footprint.ts) that does
 * not happen before it, the two might run the other way round: the thread is
 * added to the earlier state's backtrack set (or, if it could not run there,
 * every thread that could), and explored from there later. Interleavings that
 * only reorder independent steps are thus skipped, and with them most states.
 *
 * A state met again is not explored again. The steps its subtree took were never
 * checked against the steps that led here this time, so each state keeps a
 * summary of what every thread touched below it, and a cache hit checks that
 * summary against the current path as if each thread's accesses were one step
 * (conservatively: at every conflicting earlier step, not only the last). The
 * state graph has no cycles (every step extends a thread's log or ends an
 * operation), so a state is complete before it is met again.
 *
 * Every deadlock, every reachable violation and every final state is reached;
 * the counterexample kept is the shortest among the paths explored, which need
 * not be the shortest there is: run without DPOR for that.
 */
import { type ExecOptions, Execution, type Snapshot } from '../execution.ts';
import { FingerprintTable, type Fp, stateFp } from '../fingerprint.ts';
import type { Violation } from '../point.ts';
import { replayTo } from '../run.ts';
import type { Scenario, System } from '../scenario.ts';
import { type Access, type Bits, bitsOf, conflictsWith, Locations, Summaries, type Summary } from './access.ts';
import { cycle, onPath } from './cycle.ts';
import { Deadline } from './deadline.ts';
import type { Coverage, ExhaustiveOptions, ExhaustiveResult } from './exhaustive-types.ts';
import { Findings } from './findings.ts';

/** One state on the current path, and the step being explored from it. */
interface Frame {
  /** threads that can run here, as a mask */
  readonly enabled: number;
  /** threads still to explore from here (grows as races are found below) */
  backtrack: number;
  done: number;
  /** the step taken from here: its thread, footprint and vector clock */
  thread: number;
  access: Access;
  clock: Int32Array;
}

interface Sleeper {
  readonly thread: number;
  readonly access: Access;
}

/** A state on the path being explored, and where its exploration is. */
interface Visit {
  readonly depth: number;
  readonly sleep: readonly Sleeper[];
  readonly last: number;
  readonly frame: Frame;
  /** threads enabled here and not asleep */
  readonly awake: number;
  readonly snapshot: Snapshot | null;
  readonly key: Fp | null;
  /** what every thread touched from here so far */
  summary: Summary;
  readonly done: Sleeper[];
  explored: number;
  /** of the thread being explored: its previous latest step, and whether its step ended the execution */
  previous: number;
  ended: boolean;
  /** a child Visit is on the stack above this one */
  inChild: boolean;
}

const bit = (t: number) => 1 << t;
const lowest = (mask: number) => 31 - Math.clz32(mask & -mask);
const popcount = (mask: number) => {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
};

/** Explores one scenario with DPOR (see the file comment); the options are those of exploreScenario. */
export function exploreDpor(system: System, scenario: Scenario, options: ExhaustiveOptions, cov: Coverage, t0: number): ExhaustiveResult {
  if (options.preemptionBound !== undefined) throw new Error('DPOR does not combine with a preemption bound');
  if (scenario.threads.length > 31) throw new Error('DPOR handles at most 31 threads');
  const useCache = options.stateCache ?? true;
  const maxDepth = options.maxDepth ?? 10_000;
  const collect = options.collectAll ?? false;
  const execOptions: ExecOptions = {
    ...options.execOptions,
    // a longer execution is a livelock (see ExhaustiveOptions.maxDepth)
    maxSteps: Math.min(options.execOptions?.maxSteps ?? maxDepth, maxDepth),
    ...(options.monitors ? { monitors: options.monitors } : {}),
    record: 'footprint',
    trackLocals: true,
    softMonitors: collect,
  };
  const n = scenario.threads.length;
  const findings = new Findings(options.isFailure ?? (() => true), collect, options.firstOnly ?? false, options.endsSearch);
  const deadline = new Deadline(t0, options.timeLimitMs, options.stop, options.maxMemoryBytes);
  const locations = new Locations();
  const summaries = new Summaries(n);
  const cache = new FingerprintTable(options.exactKeys ?? false);
  const frames: Frame[] = [];
  /** per depth, the state the current path is in there */
  const path: { state: Fp | null }[] = [];
  /** per thread, the depth of its latest step on the path (-1: none) */
  const lastOf = new Int32Array(n).fill(-1);
  const zero = new Int32Array(n);
  const prefix: number[] = [];
  let exec = new Execution(system, scenario, execOptions);
  const restoring = exec.canRestore();
  if (!restoring) cov.reductions.push('backtracking by replay');

  /** an execution ends (here, or cut by the cache): coverage counts the functions of its path */
  const ended = () => {
    cov.executions++;
    execOptions.coverage?.end(prefix.length);
  };
  const record = (v: Violation, ends = true) => {
    if (ends) ended();
    findings.add(prefix, v);
  };
  const replay = (): Execution => {
    cov.replaySteps += prefix.length;
    return replayTo(system, scenario, prefix, execOptions);
  };
  /** Thread `t` (whose step races with the one taken at `f`) must also be tried at `f`. */
  const addBacktrack = (f: Frame, t: number) => {
    f.backtrack |= (f.enabled & bit(t)) !== 0 ? bit(t) : f.enabled;
  };
  const clockBefore = (t: number): Int32Array => {
    const d = lastOf[t] as number;
    return d < 0 ? zero : (frames[d] as Frame).clock;
  };

  /**
   * The race check of a step of `t` taken at `depth`: the latest earlier step
   * it conflicts with and that does not happen before t's previous step gets a
   * backtrack point. `bits` null: the step conflicts with everything (it ended
   * the execution, so it disabled every other thread). Returns its vector clock.
   */
  const raceCheck = (depth: number, t: number, bits: Bits | null): Int32Array => {
    const before = clockBefore(t);
    const clock = Int32Array.from(before);
    let raced = false;
    for (let i = depth - 1; i >= 0; i--) {
      const f = frames[i] as Frame;
      const q = f.thread;
      if (q === t || (bits !== null && !conflictsWith(f.access, bits))) continue;
      if (!raced && (f.clock[q] as number) > (before[q] as number)) {
        addBacktrack(f, t);
        raced = true;
      }
      for (let k = 0; k < n; k++) if ((f.clock[k] as number) > (clock[k] as number)) clock[k] = f.clock[k] as number;
    }
    clock[t] = (before[t] as number) + 1;
    return clock;
  };

  /**
   * Blocked threads never take the step that would show their race with the
   * step that blocked them, so their next step, known by its point's objects,
   * is checked here (Flanagan-Godefroid check every thread's next transition at
   * every state). Returns those accesses as a summary.
   */
  const blockedCheck = (depth: number, enabled: number): Summary => {
    let out = summaries.empty;
    for (let t = 0; t < n; t++) {
      if ((enabled & bit(t)) !== 0) continue;
      const locs = exec.nextLocs(t);
      if (!locs || locs.length === 0) continue;
      const access = locations.writing(locs);
      const bits = bitsOf(access);
      const before = clockBefore(t);
      for (let i = depth - 1; i >= 0; i--) {
        const f = frames[i] as Frame;
        const q = f.thread;
        if (q === t || !conflictsWith(f.access, bits)) continue;
        if ((f.clock[q] as number) > (before[q] as number)) addBacktrack(f, t);
        break;
      }
      out = summaries.union(out, summaries.of(t, access));
    }
    return out;
  };

  /** The race check of a subtree met again: each thread's accesses there against every earlier step. */
  const summaryCheck = (depth: number, s: Summary) => {
    for (let m = s.threads; m !== 0; m &= m - 1) {
      const t = lowest(m);
      const before = clockBefore(t);
      const bits = s.bits[t] as Bits;
      for (let i = depth - 1; i >= 0; i--) {
        const f = frames[i] as Frame;
        const q = f.thread;
        if (q === t || (f.clock[q] as number) <= (before[q] as number)) continue;
        if ((s.universal & bit(t)) !== 0 || conflictsWith(f.access, bits)) addBacktrack(f, t);
      }
    }
  };

  /**
   * Looks at the state the path reached: a leaf (end, cache hit, everything
   * asleep) gives its summary at once; otherwise its Visit, to explore its
   * threads from. The search keeps its Visits on a stack of its own, not the JS
   * stack, so an execution may be as long as maxDepth whatever the stack size.
   */
  const enter = (depth: number, sleep: readonly Sleeper[], last: number): Summary | Visit => {
    if (findings.stop) return summaries.empty;
    if (deadline.passed()) {
      cov.complete = false;
      cov.stopped = true;
      findings.stop = true;
      return summaries.empty;
    }
    if (depth > cov.maxDepthSeen) cov.maxDepthSeen = depth;
    const runnable = exec.runnable();
    let enabled = 0;
    for (const t of runnable) enabled |= bit(t);
    if (runnable.length === 0) {
      const blocked = blockedCheck(depth, 0);
      const v = exec.stuck();
      for (const s of exec.soft) record(s, false);
      exec.soft = [];
      if (v) record(v);
      else ended();
      return blocked;
    }
    let sleepMask = 0;
    for (const s of sleep) sleepMask |= bit(s.thread);
    let key: Fp | null = null;
    if (useCache) {
      const fp = stateFp(exec, cache.exact);
      key = { a: fp.a, b: fp.b, ...(fp.key === undefined ? {} : { key: fp.key }) };
      // a state still being explored has no summary yet: the path went round a loop (see exhaustive.ts cycle)
      const again = cache.has(key) ? onPath(path, depth, key) : -1;
      if (again >= 0) {
        record(cycle(exec, depth - again, last));
        return summaries.empty;
      }
      if (cache.visit(key, sleepMask)) {
        cov.prunedByCache++;
        ended();
        const stored = cache.payload(key);
        const s = stored < 0 ? summaries.empty : summaries.byId(stored);
        summaryCheck(depth, s);
        return s;
      }
    }
    const awake = enabled & ~sleepMask;
    cov.prunedBySleepSet += popcount(enabled & sleepMask);
    const summary = blockedCheck(depth, enabled);
    if (awake === 0) {
      ended();
      return leave(key, summary);
    }
    const first = last >= 0 && (awake & bit(last)) !== 0 ? last : lowest(awake);
    const frame: Frame = {
      enabled,
      backtrack: bit(first),
      done: 0,
      thread: -1,
      access: { reads: [], writes: [], counts: [] },
      clock: zero,
    };
    frames[depth] = frame;
    path[depth] = { state: key };
    const snapshot: Snapshot | null = restoring && popcount(awake) > 1 ? exec.save() : null;
    return { depth, sleep, last, frame, awake, snapshot, key, summary, done: [], explored: 0, previous: -1, ended: false, inChild: false };
  };
  /** A state's exploration is over: its summary goes to the cache and to its parent. */
  const leave = (key: Fp | null, summary: Summary): Summary => {
    if (key) {
      const old = cache.payload(key);
      cache.setPayload(key, (old < 0 ? summary : summaries.union(summaries.byId(old), summary)).id);
    }
    return summary;
  };
  /** The thread explored from `v` is done, and `below` is what it touched from there on. */
  const back = (v: Visit, below: Summary) => {
    const { frame } = v;
    const t = frame.thread;
    lastOf[t] = v.previous;
    prefix.pop();
    v.summary = summaries.union(v.summary, summaries.union(summaries.of(t, frame.access, v.ended), below));
    frame.done |= bit(t);
    v.done.push({ thread: t, access: frame.access });
    v.explored++;
  };
  const explore = () => {
    const stack: Visit[] = [];
    const root = enter(0, [], -1);
    if (!('frame' in root)) return;
    stack.push(root);
    let returned: Summary = summaries.empty;
    while (stack.length > 0) {
      const v = stack[stack.length - 1] as Visit;
      if (v.inChild) {
        v.inChild = false;
        back(v, returned);
      }
      const { frame, awake, depth, last } = v;
      const todo = findings.stop ? 0 : frame.backtrack & ~frame.done & awake;
      if (todo === 0) {
        stack.pop();
        returned = leave(v.key, v.summary);
        continue;
      }
      // keep running the current thread first: fewer context switches come first
      const t = last >= 0 && (todo & bit(last)) !== 0 ? last : lowest(todo);
      if (v.explored > 0) {
        if (v.snapshot) {
          exec.restore(v.snapshot);
          cov.restores++;
        } else exec = replay();
      }
      const access = locations.access(exec.step(t));
      cov.transitions++;
      prefix.push(t);
      const bits = bitsOf(access);
      // a step that ended the execution disabled every other thread: they must also be tried first, here
      v.ended = exec.violation !== null;
      if (v.ended) frame.backtrack |= frame.enabled;
      frame.thread = t;
      frame.access = access;
      frame.clock = raceCheck(depth, t, v.ended ? null : bits);
      v.previous = lastOf[t] as number;
      lastOf[t] = depth;
      if (exec.soft.length > 0) {
        for (const x of exec.soft) record(x, false);
        exec.soft = [];
      }
      if (exec.violation) record(exec.violation);
      else if (exec.isOver()) ended();
      else {
        const childSleep = [...v.sleep, ...v.done].filter((s) => !conflictsWith(s.access, bits));
        const child = enter(depth + 1, childSleep, t);
        if ('frame' in child) {
          v.inChild = true;
          stack.push(child);
          continue;
        }
        back(v, child);
        continue;
      }
      back(v, summaries.empty);
    }
  };

  if (exec.violation) record(exec.violation);
  else explore();
  cov.states = cache.size;
  cov.collisionProbability = cache.collisionProbability();
  cov.memoryCut = deadline.memory;
  cov.millis = Date.now() - t0;
  return { found: findings.best, byKind: findings.byKind, coverage: cov };
}
