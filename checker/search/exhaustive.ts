import { defaultEngineFor } from '../compiled/engine.ts';
import { cutTo } from '../cut.ts';
import { type ExecOptions, Execution, type Snapshot } from '../execution.ts';
import { FingerprintTable, type Fp, stateFp } from '../fingerprint.ts';
import { conflicts, type Footprint } from '../footprint.ts';
import type { Violation } from '../point.ts';
import { ALL_UNPROVEN } from '../reduce/touchers.ts';
import { joinFootprints, Movers, type Taken } from '../reduce/transaction.ts';
import { replayTo } from '../run.ts';
import type { Scenario, System } from '../scenario.ts';
import { Symmetry } from '../symmetry.ts';
import { cycle, onPath } from './cycle.ts';
import { Deadline } from './deadline.ts';
import { exploreDpor } from './dpor.ts';
import type { Coverage, ExhaustiveOptions, ExhaustiveResult } from './exhaustive-types.ts';
import { Findings } from './findings.ts';

export type { Coverage, ExhaustiveOptions, ExhaustiveResult } from './exhaustive-types.ts';
export type { Found } from './findings.ts';

interface Sleeper {
  readonly thread: number;
  readonly fp: Footprint;
}

/** A state on the search's path and where its exploration is. */
interface Frame {
  readonly exec: Execution;
  readonly sleep: readonly Sleeper[];
  readonly preemptions: number;
  /** the thread whose step led here (-1 at the root) */
  readonly last: number;
  readonly switches: number;
  /** whether the thread whose step led here can run on: a step by another is a preemption */
  readonly lastRuns: boolean;
  /** threads to try from here, in order */
  readonly children: readonly number[];
  readonly snapshot: Snapshot | null;
  /** children explored, with their steps' footprints (they sleep in later siblings) */
  readonly done: Sleeper[];
  next: number;
  /** the path's length at this state (a transaction pushes several steps) */
  readonly depth: number;
  /** children to explore: all of them, or those up to the first whose step is a left mover (a persistent set: --reduce) */
  end: number;
  /** the child being explored: its thread and its step's footprint */
  thread: number;
  fp: Footprint | null;
  /** the state's fingerprint (with the state cache) */
  readonly state: Fp | null;
}

/**
 * Explores every interleaving of one scenario, depth first. Threads are
 * generators and cannot be copied, so backtracking undoes the world's changes
 * and rebuilds each moved thread from the log of its current operation (or,
 * failing that, re-runs the path from the start). Sleep sets skip interleavings that only reorder independent steps;
 * the state cache skips states already explored with no more sleeping threads
 * and at no smaller depth. Returns the shortest counterexample (fewest steps,
 * then fewest context switches) unless `firstOnly`.
 */
export function exploreScenario(system: System, scenario: Scenario, options: ExhaustiveOptions = {}): ExhaustiveResult {
  const t0 = Date.now();
  const sleepSets = options.sleepSets ?? true;
  const useCache = options.stateCache ?? true;
  const maxDepth = options.maxDepth ?? 10_000;
  const isFailure = options.isFailure ?? (() => true);
  const collect = options.collectAll ?? false;
  const shortest = options.shortest ?? true;
  const execOptions: ExecOptions = {
    ...options.execOptions,
    maxSteps: Math.min(options.execOptions?.maxSteps ?? maxDepth, maxDepth),
    ...(options.monitors ? { monitors: options.monitors } : {}),
    record: sleepSets ? 'footprint' : 'none',
    trackLocals: true,
    // collecting every kind: a monitor's violation is noted and the execution goes on
    softMonitors: collect,
  };
  const cov: Coverage = {
    ...emptyCoverage(),
    reductions: [...(sleepSets ? ['sleep sets'] : []), ...(useCache ? [cacheText(options)] : [])],
  };
  if (options.preemptionBound !== undefined) cov.reductions.push(`preemption bound ${options.preemptionBound}`);
  if (!shortest && useCache)
    cov.reductions.push('no state explored again for a shorter path (a counterexample is the first found, not the shortest)');
  if (options.reduce) {
    cov.reductions.push(reduceText(options.reduce.unproven));
    // a shard's skipped first steps would sleep on one step, not on the transaction the whole search takes
    if (options.rootShare) throw new Error('a share of the first steps is not for transaction reduction');
  }
  const symmetry = options.symmetry ? symmetryOf(options, scenario) : null;
  if (symmetry) cov.reductions.push(`symmetry (${symmetry.size} permutations of interchangeable threads, least renamed key)`);
  if (options.dpor) {
    if (options.reduce) throw new Error('transaction reduction does not combine with DPOR');
    if (options.rootShare) throw new Error('a share of the first steps is not for DPOR');
    cov.reductions = [
      'dynamic partial-order reduction (Flanagan-Godefroid, sleep sets, subtree summaries at cache hits)',
      ...(useCache ? [cacheText(options)] : []),
    ];
    return exploreDpor(system, scenario, options, cov, t0);
  }
  // the sleeping threads are a 32-bit mask, in the cache and in the search's own test of who sleeps
  if (sleepSets && scenario.threads.length > 32) throw new Error('the sleep-set search handles at most 32 threads');
  const cache = new FingerprintTable(options.exactKeys ?? false);
  const findings = new Findings(isFailure, collect, options.firstOnly ?? false, options.endsSearch);
  const deadline = new Deadline(t0, options.timeLimitMs, options.stop, options.maxMemoryBytes);
  const prefix: number[] = [];
  const share = options.rootShare;
  const movers = options.reduce ? new Movers(options.reduce.unproven) : null;

  /** an execution ends (here, or cut by the cache): coverage counts the functions of its path */
  const ended = () => {
    cov.executions++;
    execOptions.coverage?.end(prefix.length);
  };
  const record = (v: Violation, ends = true) => {
    if (ends) ended();
    findings.add(prefix, v);
  };
  const rebuild = (): Execution => {
    cov.replaySteps += prefix.length;
    return replayTo(system, scenario, prefix, execOptions);
  };

  /**
   * The depth-first search keeps its path in `frames`, not on the JS stack, so
   * an execution may be as long as maxDepth (a thread that never finishes is
   * caught there as a livelock) whatever the stack size.
   */
  const frames: Frame[] = [];
  /** Looks at a state reached by the path: ends, prunes, or pushes its frame to explore its children. */
  const open = (exec: Execution, sleep: readonly Sleeper[], preemptions: number, last: number, switches: number): void => {
    if (findings.stop) return;
    if (deadline.passed()) {
      cov.complete = false;
      cov.stopped = true;
      findings.stop = true;
      return;
    }
    const depth = prefix.length;
    if (depth > cov.maxDepthSeen) cov.maxDepthSeen = depth;
    const runnable = exec.runnable();
    if (runnable.length === 0) {
      const v = exec.stuck();
      for (const s of exec.soft) record(s, false);
      exec.soft = [];
      if (v) record(v);
      else ended();
      return;
    }
    const best = findings.best;
    if (!collect && (best ? depth + 1 > best.path.length : depth + 1 >= (options.shorterThan ?? Number.POSITIVE_INFINITY))) return;
    let state: Fp | null = null;
    let mask = 0;
    for (const s of sleep) mask |= 1 << s.thread;
    if (useCache) {
      // under symmetry the table holds sleeping threads and the last one in the canonical state's numbering
      const canon = symmetry?.canonical(exec, cache.exact);
      const fp = canon ? canon.fp : stateFp(exec, cache.exact);
      // a state on the path is in the table: a new one needs no walk along the path
      const again = cache.has(fp) ? onPath(frames, frames.length, fp) : -1;
      if (again >= 0) {
        record(cycle(exec, depth - again, last));
        return;
      }
      const lastAt = canon && last >= 0 ? (canon.to[last] as number) : last;
      const asleep = canon ? Symmetry.mask(mask, canon.to) : mask;
      if (shortest ? cache.seen(fp, depth, asleep, switches, lastAt) : cache.visit(fp, asleep)) {
        cov.prunedByCache++;
        ended();
        return;
      }
      // Stryker disable next-line all: the key only parts two states whose 64-bit fingerprints collide (onPath), which no test can make
      state = { a: fp.a, b: fp.b, ...(fp.key === undefined ? {} : { key: fp.key }) };
    }
    // Keep running the current thread first: fewer context switches come first.
    const lastRuns = last >= 0 && runnable.includes(last);
    const children: number[] = [];
    for (let k = lastRuns ? -1 : 0; k < runnable.length; k++) {
      const t = k < 0 ? last : (runnable[k] as number);
      if (k >= 0 && lastRuns && t === last) continue;
      if (sleepSets && (mask >>> t) & 1) {
        cov.prunedBySleepSet++;
        continue;
      }
      const preempts = lastRuns && t !== last ? 1 : 0;
      if (options.preemptionBound !== undefined && preemptions + preempts > options.preemptionBound) {
        cov.cutByPreemption++;
        cov.complete = false;
        continue;
      }
      children.push(t);
    }
    if (children.length === 0) return;
    const snapshot = restoring && children.length > 1 ? exec.save() : null;
    frames.push({
      exec,
      sleep,
      preemptions,
      last,
      switches,
      lastRuns,
      children,
      snapshot,
      done: [],
      next: 0,
      depth,
      end: children.length,
      // Stryker disable next-line UnaryOperator: set before it is read (the first child is taken at once)
      thread: -1,
      fp: null,
      state,
    });
  };
  /** The child just explored from `f` is done: back to f's state. */
  const leave = (f: Frame) => {
    cutTo(prefix, f.depth);
    if (sleepSets) f.done.push({ thread: f.thread, fp: f.fp as Footprint });
  };
  const dfs = (root: Execution) => {
    open(root, [], 0, -1, 0);
    while (frames.length > 0) {
      const f = frames[frames.length - 1] as Frame;
      if (findings.stop || f.next >= f.end) {
        frames.pop();
        const parent = frames[frames.length - 1];
        if (parent) leave(parent);
        continue;
      }
      const i = f.next++;
      const t = f.children[i] as number;
      const preempts = f.lastRuns && t !== f.last ? 1 : 0;
      let child = f.exec;
      if (i > 0 && f.snapshot) {
        f.exec.restore(f.snapshot);
        cov.restores++;
      } else if (i > 0) child = rebuild();
      const taken: Taken = movers ? movers.step(child, t) : { fp: child.step(t), side: null };
      let fp = taken.fp;
      prefix.push(t);
      f.thread = t;
      f.fp = fp;
      if (frames.length === 1 && share && i % share.of !== share.index) {
        // another shard explores this first step: it is taken only for the footprint its later siblings sleep on
        child.soft = [];
        leave(f);
        continue;
      }
      cov.transitions++;
      if (child.soft.length > 0) {
        for (const v of child.soft) record(v, false);
        child.soft = [];
      }
      if (movers && !child.violation && !child.isOver()) {
        // a left mover commutes with every step the others can take before it: it alone is a persistent set, and
        // the children explored so far hold it
        if (taken.side === 'left') f.end = i + 1;
        // after a right mover the thread runs on: no other thread's step needs to come before its next one
        if (taken.side === 'right') fp = transaction(child, t, fp);
        f.fp = fp;
      }
      if (child.violation) record(child.violation);
      else if (child.isOver()) ended();
      else {
        const childSleep = sleepSets ? stillAsleep(f.sleep, f.done, fp) : NO_SLEEPERS;
        const before = frames.length;
        open(child, childSleep, f.preemptions + preempts, t, f.switches + (f.last >= 0 && t !== f.last ? 1 : 0));
        if (frames.length > before) continue;
      }
      leave(f);
    }
  };

  /**
   * The rest of a transaction that started with thread t's right mover: t runs
   * on while its steps are right movers, then takes one more (the transaction's
   * non-mover, or a left mover), without leaving its operation. Returns the
   * transaction's footprint, what t sleeps on in the siblings explored after it.
   */
  const transaction = (exec: Execution, t: number, fp: Footprint): Footprint => {
    let all = fp;
    for (;;) {
      if (exec.pendingPoint(t) === null) return all;
      // blocked: the transaction ends at a state the search branches at, where whoever unblocks t runs first
      if (!exec.runnable().includes(t)) return all;
      const next = (movers as Movers).step(exec, t);
      prefix.push(t);
      cov.transitions++;
      all = joinFootprints(all, next.fp);
      if (exec.soft.length > 0) {
        for (const v of exec.soft) record(v, false);
        exec.soft = [];
      }
      if (exec.isOver() || next.side !== 'right') return all;
    }
  };

  const root = new Execution(system, scenario, execOptions);
  const restoring = (options.backtrack ?? 'restore') === 'restore' && root.canRestore();
  if (!restoring) cov.reductions.push('backtracking by replay');
  if (root.violation) record(root.violation);
  else dfs(root);
  cov.states = cache.size;
  cov.collisionProbability = cache.collisionProbability();
  cov.memoryCut = deadline.memory;
  // Stryker disable next-line ArithmeticOperator: a time, which no test can pin
  cov.millis = Date.now() - t0;
  return { found: findings.best, byKind: findings.byKind, coverage: cov };
}

const NO_SLEEPERS: readonly Sleeper[] = [];

/** The threads that sleep after a step with footprint fp: those asleep before it, then the siblings explored before it, that it does not conflict with. */
function stillAsleep(sleep: readonly Sleeper[], done: readonly Sleeper[], fp: Footprint): readonly Sleeper[] {
  let out: Sleeper[] | null = null;
  for (const s of sleep) if (!conflicts(s.fp, fp)) (out ??= []).push(s);
  for (const s of done) if (!conflicts(s.fp, fp)) (out ??= []).push(s);
  return out ?? NO_SLEEPERS;
}

/** A scenario's symmetry, or null when it has no interchangeable threads; refused where its soundness is not argued. */
function symmetryOf(options: ExhaustiveOptions, scenario: Scenario): Symmetry | null {
  if (options.dpor) throw new Error('symmetry reduction does not combine with DPOR');
  if (options.reduce) throw new Error('symmetry reduction does not combine with transaction reduction');
  if (options.rootShare) throw new Error('a share of the first steps is not for symmetry reduction');
  const groups = options.symmetry?.(scenario) ?? [];
  return groups.length === 0 ? null : new Symmetry(groups, scenario.threads.length);
}

function reduceText(unproven: ReadonlySet<string>): string {
  const none = unproven === ALL_UNPROVEN;
  return `transaction reduction (Lipton movers${none ? '; no group proven free of trylocks and frees' : unproven.size > 0 ? `; not proven free of trylocks and frees: ${[...unproven].sort().join(', ')}` : ''})`;
}

/** What a cached state is made of: on the compiled engine a thread is its frames, unless its code is outside the compiled subset (then its log, as on the generator engine). */
function cacheText(options: ExhaustiveOptions): string {
  const threads =
    (options.execOptions?.engine ?? defaultEngineFor('keyed')) === 'compiled'
      ? 'thread frames (logs for code outside the compiled subset)'
      : 'thread-local logs';
  return options.exactKeys
    ? `state caching (full keys of world + ${threads}, with their 64-bit fingerprints)`
    : `state caching (64-bit fingerprints of world + ${threads})`;
}

/** Sums coverage over several scenarios. */
export function addCoverage(a: Coverage, b: Coverage): Coverage {
  return {
    executions: a.executions + b.executions,
    states: a.states + b.states,
    transitions: a.transitions + b.transitions,
    replaySteps: a.replaySteps + b.replaySteps,
    restores: a.restores + b.restores,
    prunedByCache: a.prunedByCache + b.prunedByCache,
    prunedBySleepSet: a.prunedBySleepSet + b.prunedBySleepSet,
    cutByPreemption: a.cutByPreemption + b.cutByPreemption,
    maxDepthSeen: Math.max(a.maxDepthSeen, b.maxDepthSeen),
    collisionProbability: a.collisionProbability + b.collisionProbability,
    complete: a.complete && b.complete,
    memoryCut: a.memoryCut || b.memoryCut,
    stopped: a.stopped || b.stopped,
    reductions: a.reductions.length >= b.reductions.length ? a.reductions : b.reductions,
    millis: a.millis + b.millis,
  };
}

export function emptyCoverage(): Coverage {
  return {
    executions: 0,
    states: 0,
    transitions: 0,
    replaySteps: 0,
    restores: 0,
    prunedByCache: 0,
    prunedBySleepSet: 0,
    cutByPreemption: 0,
    maxDepthSeen: 0,
    collisionProbability: 0,
    complete: true,
    memoryCut: false,
    stopped: false,
    reductions: [],
    millis: 0,
  };
}
