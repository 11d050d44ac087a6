import { defaultEngineFor, type Engine } from './compiled/engine.ts';
import { framesKey, hashFrames, hashPoint } from './compiled/identity.ts';
import { FrameStack, startThread, tags } from './compiled/runtime.ts';
import { Ctx, type ExecutorHooks, type OpFn, type OpGenerator, ViolationSignal } from './context.ts';
import type { CoverageRecorder } from './coverage.ts';
import { cutTo } from './cut.ts';
import { extend, extendString, type Fp, hashString } from './fingerprint.ts';
import { EMPTY_FOOTPRINT, type Footprint } from './footprint.ts';
import { stepBegins, stepEnds } from './heartbeat.ts';
import type { BlockedThread, ExecView, Monitor } from './monitor.ts';
import { names } from './names.ts';
import type { ModelEvent, Point, Violation } from './point.ts';
import type { Scenario, System } from './scenario.ts';
import { ThreadLog } from './thread-log.ts';
import { type Args, stableStringify, type Value } from './value.ts';
import { type Change, Recorder, World } from './world.ts';

/** How much an execution writes down: nothing (fast random search), footprints (reduction), or all (traces). */
export type RecordLevel = 'none' | 'footprint' | 'full';

export interface ExecOptions {
  readonly record?: RecordLevel;
  /**
   * keep each thread's log of what the world returned to it, so that
   * fingerprint() covers thread-local state and save()/restore() can rebuild threads
   */
  readonly trackLocals?: boolean;
  readonly monitors?: readonly Monitor[];
  /** an execution longer than this (default 10,000 steps) is stopped as a livelock: a thread that never finishes */
  readonly maxSteps?: number;
  /**
   * Monitors' violations are recorded in `soft` and the execution goes on, so
   * one search finds every property's violations; violations raised by the
   * model itself (use after free, illegal transition, deadlock) still end it.
   */
  readonly softMonitors?: boolean;
  /** where each step's model functions are counted (coverage.ts); whoever drives the execution says when it ends */
  readonly coverage?: CoverageRecorder;
  /** how thread code runs: native generators, or compiled frames that save()/restore() copy (default: defaultEngineFor, by trackLocals: a keyed run takes frames) */
  readonly engine?: Engine;
}

/** One step of a recorded trace. */
export interface Step {
  readonly index: number;
  readonly thread: string;
  /** call stack of function names where the thread was when it was scheduled */
  readonly stack: readonly string[];
  readonly action: string;
  readonly notes: readonly string[];
  /** the model's labels for the thread after the step (e.g. locks held) */
  readonly context: readonly string[];
  readonly changes: readonly Change[];
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  readonly events: readonly ModelEvent[];
  /** set when an operation returned during this step */
  readonly returned?: { readonly op: string; readonly value: Value };
}

/** An operation (or task work) a thread runs. */
class Call {
  /** hash of the label, computed when first needed */
  fp?: Fp;
  private text: string | undefined;

  constructor(
    readonly name: string,
    readonly args: Args,
    readonly fn: OpFn,
    /** task work an operation queued (it runs as part of that operation) */
    readonly task?: true,
  ) {}

  /** "op(a=1, b=x)", made when first asked: a random run that records nothing never shows it */
  get label(): string {
    this.text ??= callLabel(this.name, this.args);
    return this.text;
  }
}

interface ThreadState {
  readonly name: string;
  readonly index: number;
  readonly ctx: Ctx;
  readonly hooks: ExecutorHooks;
  opIndex: number;
  /** the call to start at the thread's next step, when it is between operations */
  next: Call | null;
  current: Call | null;
  gen: OpGenerator | null;
  pending: Point | null;
  pendingStack: readonly string[];
  /** what the world returned to the current operation: its local state (with trackLocals) */
  log: ThreadLog | null;
  /** bumped at every step of the thread: restore() rebuilds only threads that moved */
  version: number;
  /**
   * restored but not rebuilt yet: `pending` is the point it was at (its guard
   * and action are still good), `gen` is gone; rebuilt when it next runs
   */
  stale: boolean;
  deferred: Call[];
  done: boolean;
  results: Value[];
  /** compiled engine: the hash of the frames and pending point (frameIdentity), and the version it is for */
  id: Fp | null;
  idVersion: number;
}

/** One thread's part of a Snapshot. */
interface ThreadMark {
  readonly version: number;
  readonly opIndex: number;
  readonly next: Call | null;
  readonly current: Call | null;
  readonly inOp: boolean;
  readonly pending: Point | null;
  readonly done: boolean;
  readonly results: number;
  readonly deferred: readonly Call[];
  readonly log: ThreadLog | null;
  readonly logLength: number;
  readonly hashA: number;
  readonly hashB: number;
  /** compiled engine: the thread's frames and call stack of names, when every frame is compiled */
  readonly frames: unknown[] | null;
  readonly names: readonly string[] | null;
  /** compiled engine: the thread's identity hash at this version, when known */
  readonly id: Fp | null;
}

/** A point of an execution to come back to (see Execution.save). */
export interface Snapshot {
  readonly world: number;
  readonly path: number;
  readonly threads: readonly ThreadMark[];
  readonly monitors: readonly unknown[];
}

const NO_CALLS: readonly Call[] = [];
const NO_NAMES: readonly string[] = [];

/**
 * One execution of a scenario, advanced one step at a time by whoever drives it
 * (a schedule, the exhaustive search, or a replay). Deterministic: the same
 * scenario and the same sequence of thread choices give the same trace.
 */
export class Execution implements ExecView {
  readonly world: World;
  readonly path: number[] = [];
  readonly steps: Step[] = [];
  readonly threadNames: readonly string[];
  violation: Violation | null = null;
  /** with softMonitors: monitor violations of the last step (the search reads and clears them) */
  soft: Violation[] = [];
  private readonly threads: ThreadState[];
  private record: RecordLevel;
  private readonly trackLocals: boolean;
  private readonly monitors: readonly Monitor[];
  /** the monitors with onEvent, and with afterStep, in order: the rest are not asked at every event and step */
  private readonly eventMonitors: readonly Monitor[];
  private readonly stepMonitors: readonly Monitor[];
  private readonly maxSteps: number;
  private readonly softMonitors: boolean;
  private readonly compiled: boolean;
  private running: ThreadState | null = null;
  private versions = 0;
  private readonly fp: Fp = { a: 0, b: 0 };
  private readonly monitorKeys: ({ readonly key: string; readonly fp: Fp } | undefined)[] = [];
  private stepNotes: string[] = [];
  private stepEvents: ModelEvent[] = [];
  private finished = false;
  private readonly coverage: CoverageRecorder | undefined;

  constructor(
    readonly system: System,
    readonly scenario: Scenario,
    options: ExecOptions = {},
  ) {
    this.record = options.record ?? 'none';
    this.trackLocals = options.trackLocals ?? false;
    this.world = initialWorld(system, scenario.setup ?? NO_SETUP, this.trackLocals);
    this.monitors = [...(system.monitors?.() ?? []), ...(options.monitors ?? [])];
    this.eventMonitors = this.monitors.filter((m) => m.onEvent);
    this.stepMonitors = this.monitors.filter((m) => m.afterStep);
    this.maxSteps = options.maxSteps ?? 10_000;
    this.softMonitors = options.softMonitors ?? false;
    this.coverage = options.coverage;
    const cov = this.coverage;
    // trackLocals is what a keyed search asks for: fingerprints, save() and restore()
    this.compiled = (options.engine ?? defaultEngineFor(this.trackLocals ? 'keyed' : 'random')) === 'compiled';
    for (const m of this.monitors) m.reset?.();
    this.threadNames = scenario.threads.map((t) => t.name);
    if (new Set(this.threadNames).size !== this.threadNames.length) throw new Error('thread names must be unique');
    this.threads = scenario.threads.map((spec, index) => {
      const hooks = new ThreadHooks(this, cov);
      // one literal with every field (Object.assign onto a smaller one reshapes it field by field, per thread per execution)
      const th: ThreadState = {
        name: spec.name,
        index,
        ctx: new Ctx(spec.name, this.world, hooks),
        hooks,
        opIndex: -1,
        next: null,
        current: null,
        gen: null,
        pending: null,
        pendingStack: [],
        log: null,
        version: 0,
        stale: false,
        deferred: [],
        done: false,
        results: [],
        id: null,
        idVersion: -1,
      };
      hooks.th = th;
      this.advanceToNextCall(th);
      return th;
    });
    if (system.startsRunning) for (const th of this.threads) if (!this.isOver() && !th.done && th.pending === null) this.step(th.index);
  }

  get thread(): string {
    return this.running?.name ?? '';
  }

  get stack(): readonly string[] {
    return this.running?.hooks.stack ?? [];
  }

  get stepCount(): number {
    return this.path.length;
  }

  results(thread: string): readonly unknown[] {
    return this.threads.find((t) => t.name === thread)?.results ?? [];
  }

  /** Changes what later steps record (a search replays a prefix cheaply, then records footprints). */
  setRecord(level: RecordLevel): void {
    if (this.record === 'full' || level === 'full') throw new Error('full recording is fixed at construction');
    this.record = level;
  }

  /** Indices of threads that can take a step now. */
  runnable(): number[] {
    const out: number[] = [];
    for (const th of this.threads) {
      if (th.done) continue;
      const p = th.pending;
      if (p === null) out.push(th.index);
      else if (p.joinAll ? this.othersDone(th, p.joinExcept) : p.enabled === undefined || p.enabled(this.world)) out.push(th.index);
    }
    return out;
  }

  private othersDone(th: ThreadState, except: readonly string[] | undefined): boolean {
    for (const t of this.threads) if (t !== th && !t.done && !except?.includes(t.name)) return false;
    return true;
  }

  allDone(): boolean {
    for (const t of this.threads) if (!t.done) return false;
    return true;
  }

  /** True when no thread is inside an operation: each is done or about to start its next one (its task work has run). */
  betweenOperations(): boolean {
    for (const t of this.threads) if (!t.done && (t.current !== null || t.pending !== null || t.next?.task)) return false;
    return true;
  }

  /** True once the execution has ended: a violation, a deadlock, or every thread done and checked. */
  isOver(): boolean {
    return this.violation !== null || this.finished;
  }

  /** What a thread will do at its next step, for schedulers and reports. */
  nextAction(index: number): string {
    const th = this.thread_(index);
    return th.pending ? th.pending.action : th.next ? `call ${th.next.label}` : '(done)';
  }

  /**
   * Where a thread is: the scenario operation it is running or starts next
   * (its task work counts as part of it), whether it is done, and what its
   * pending point waits for, for a driver that runs one operation at a time.
   */
  position(index: number): { readonly op: number; readonly done: boolean; readonly waitsFor: string | null } {
    const th = this.thread_(index);
    return { op: th.opIndex, done: th.done, waitsFor: th.pending?.waitsFor?.(this.world) ?? null };
  }

  /**
   * What a blocked thread's next step touches, as far as is known before it
   * runs: the locs of its pending point (the objects its guard reads), or
   * null when it is at no point or its point declares none.
   */
  nextLocs(index: number): readonly string[] | null {
    return this.thread_(index).pending?.locs ?? null;
  }

  /** The point a thread waits at (null when it is about to start an operation, or done). */
  pendingPoint(index: number): Point | null {
    return this.thread_(index).pending;
  }

  /**
   * Runs one step of a thread: its pending point's effect, then its code up to the
   * next point. Returns the step's footprint (empty unless footprints are recorded).
   */
  step(index: number): Footprint {
    const th = this.thread_(index);
    if (this.isOver()) throw new Error('execution is over');
    tags.on = this.compiled && this.trackLocals;
    if (th.stale) this.rebuild(th);
    this.coverage?.step(
      this.path.length,
      th.pending ? th.hooks.stack : [],
      this.path.length > 0 && this.path[this.path.length - 1] !== index,
    );
    const rec: Recorder | null = this.record === 'none' ? null : new Recorder(this.record === 'full' ? [] : null);
    this.world.rec = rec;
    this.running = th;
    th.version = ++this.versions;
    this.path.push(index);
    // only a full trace keeps a step's notes and events
    if (this.record === 'full') {
      this.stepNotes = [];
      this.stepEvents = [];
    }
    cutTo(this.world.written, 0);
    // what a full trace shows of the step (made for it only)
    let action: string | undefined;
    let stack: readonly string[] | undefined;
    let returned: Step['returned'];
    stepBegins(
      this.system.name,
      th.name,
      th.pending ? (th.hooks.stack[th.hooks.stack.length - 1] ?? '?') : (th.next as Call).name,
      this.path.length,
    );
    try {
      let input: Value | undefined;
      if (th.pending === null) {
        const call = th.next as Call;
        if (this.record === 'full') {
          action = `call ${call.label}`;
          stack = [call.name];
        }
        th.current = call;
        th.next = null;
        if (this.trackLocals) th.log = new ThreadLog(!this.compiled);
        const open = th.hooks.stack;
        cutTo(open, 0);
        open.push(call.name);
        // task work (deferred) is no operation of the scenario: its functions are counted as they run
        if (!call.task) this.coverage?.operation(call.name);
        // an operation may read the world before its generator starts (to pick the function to run)
        this.world.tap = th.log;
        th.gen = this.start(th, call);
        this.world.tap = null;
      } else {
        const p = th.pending;
        action = p.action;
        stack = th.pendingStack;
        if (rec && p.locs) for (const l of p.locs) rec.write(names.id(l));
        input = p.fire?.(this.world);
        th.log?.log(input);
      }
      this.world.tap = th.log;
      const r = (th.gen as OpGenerator).next(input);
      this.world.tap = null;
      if (!r.done && !isPoint(r.value))
        throw new ViolationSignal({
          kind: 'model-error',
          message: `a bare yield of ${shownValue(r.value)} is not a scheduling point (wait with yield* on a primitive)`,
          thread: th.name,
          stack: [...th.hooks.stack],
        });
      if (!r.done) {
        th.pending = r.value;
        if (this.record === 'full') th.pendingStack = [...th.hooks.stack];
      } else {
        const value = r.value === undefined ? null : r.value;
        if (this.record === 'full') returned = { op: (th.current as Call).name, value };
        th.results.push(value);
        this.advanceToNextCall(th);
      }
      if (this.path.length >= this.maxSteps)
        this.violation = {
          kind: 'livelock',
          message: `thread ${th.name} did not finish after ${this.maxSteps} steps`,
          thread: th.name,
          stack: [...th.hooks.stack],
        };
      if (!this.violation) this.checkAfterStep();
    } catch (e) {
      this.world.tap = null;
      this.world.observing = false;
      this.violation =
        e instanceof ViolationSignal
          ? e.violation
          : {
              kind: 'model-error',
              message: `model threw: ${(e as Error).stack ?? String(e)}`,
              thread: th.name,
              stack: [...th.hooks.stack],
            };
    }
    stepEnds();
    this.world.rec = null;
    if (this.record === 'full' && rec) {
      this.steps.push({
        index: this.path.length - 1,
        thread: th.name,
        stack: stack ?? [],
        action: action ?? '(model error)',
        notes: this.stepNotes,
        context: this.system.stepContext?.(this.world, th.name) ?? [],
        changes: rec.changes ?? [],
        reads: rec.reads.map((n) => names.name(n)),
        writes: [...rec.writes, ...rec.counts].map((n) => names.name(n)),
        events: this.stepEvents,
        ...(returned ? { returned } : {}),
      });
    }
    this.running = null;
    if (!this.violation && this.allDone()) this.finish();
    return rec ? { reads: rec.reads, writes: rec.writes, counts: rec.counts } : EMPTY_FOOTPRINT;
  }

  /** Ends an execution that has no runnable thread: quiescence if all are done, else a deadlock. */
  stuck(): Violation | null {
    if (this.isOver()) return this.violation;
    if (this.allDone()) {
      this.finish();
      return this.violation;
    }
    const blocked = this.threads.filter((t) => !t.done);
    // the report shows where each is, in full
    for (const t of blocked) if (t.stale) this.rebuild(t);
    const lines = blocked.map((t) => {
      const p = t.pending as Point;
      return `  ${t.name}: blocked in ${t.hooks.stack.join(' > ') || '?'} at ${p.action}${p.waitsFor ? ` — ${p.waitsFor(this.world)}` : ''}`;
    });
    // the thread whose wait the others depend on: the first that is not just waiting for everyone to finish
    // a monitor may judge the stuck state too (a revoke that waits forever with a mapping live): soft, its violation
    // is noted beside the deadlock; otherwise it is the execution's violation, as the only claim checked
    const waits: BlockedThread[] = blocked.map((t) => ({ thread: t.name, stack: [...t.hooks.stack], action: (t.pending as Point).action }));
    for (const m of this.monitors) {
      const v = m.atStuck?.(this, waits);
      if (!v) continue;
      if (this.softMonitors) this.soft.push(v);
      else {
        this.violation = v;
        return v;
      }
    }
    const culprit = blocked.find((t) => !t.pending?.joinAll) ?? blocked[0];
    const where = blocked
      .filter((t) => !t.pending?.joinAll)
      .map((t) => `${t.name} at ${(t.pending as Point).action} in ${t.hooks.stack[t.hooks.stack.length - 1] ?? '?'}`)
      .join('; ');
    this.violation = {
      kind: 'deadlock',
      message: `deadlock: no thread can run (${lines.length} blocked${where ? `: ${where}` : ''})`,
      report: lines.join('\n'),
      ...(culprit ? { thread: culprit.name, stack: [...culprit.hooks.stack] } : {}),
    };
    return this.violation;
  }

  /**
   * Fingerprint of the global state: the world, every thread's position and the
   * log of its current operation (its local state), its queued work, and the
   * monitors' per-execution memory. Needs trackLocals.
   */
  fingerprint(): Fp {
    if (!this.trackLocals) throw new Error('fingerprint() needs trackLocals');
    const h = this.fp;
    h.a = 0x6a09e667;
    h.b = 0xbb67ae85;
    this.world.fingerprint(h);
    for (const t of this.threads) this.extendThread(h, t);
    for (const [i, m] of this.monitors.entries()) {
      if (!m.key) continue;
      // monitors mostly hand back the same cached string: hash it once
      const k = m.key();
      let kh = this.monitorKeys[i];
      if (kh?.key !== k) {
        kh = { key: k, fp: hashString(k, { a: 0, b: 0 }) };
        this.monitorKeys[i] = kh;
      }
      extend(h, kh.fp.a, kh.fp.b);
    }
    return h;
  }

  /** Adds one thread's part of fingerprint(): its position, call, local state (frames or log) and queued work. */
  private extendThread(h: Fp, t: ThreadState): void {
    const where = t.done ? 1 : t.pending ? 2 : 3;
    extend(h, t.opIndex * 4 + where, t.opIndex ^ (where << 24));
    const call = t.current ?? t.next;
    if (call) {
      call.fp ??= hashString(call.label, { a: 0, b: 0 });
      extend(h, call.fp.a, call.fp.b);
    }
    if (t.pending) {
      const id = this.frameIdentity(t);
      if (id) extend(h, id.a, id.b);
      else if (t.log) extend(h, t.log.hash.a, t.log.hash.b);
    }
    for (const d of t.deferred) extendString(h, `+${d.label}`);
  }

  /**
   * Thread i's part of the state alone, hashed as fingerprint() hashes it into
   * `into`: equal for two threads (of any state) whose threadKeyAt() texts are
   * equal, so a search that renames thread parts (checker/symmetry.ts) can
   * cache the renamed text's hash by it. Needs trackLocals.
   */
  threadFp(i: number, into: Fp): Fp {
    into.a = 0x3c6ef372;
    into.b = 0xa54ff53a;
    this.extendThread(into, this.threads[i] as ThreadState);
    return into;
  }

  /** Thread i's part of stateKey(), as text. Needs trackLocals. */
  threadKeyAt(i: number): string {
    return this.threadKey(this.threads[i] as ThreadState);
  }

  /** The keyed monitors' parts of stateKey(), in monitor order. */
  monitorKeyParts(): string[] {
    return this.monitors.flatMap((m) => (m.key ? [`${m.name}:${m.key()}`] : []));
  }

  /** How many monitors there are: monitorKeyAt takes 0 up to it. */
  get monitorCount(): number {
    return this.monitors.length;
  }

  /** Monitor i's key (its part of stateKey() without its name), or null when it keeps none. */
  monitorKeyAt(i: number): string | null {
    const m = this.monitors[i] as Monitor;
    return m.key ? m.key() : null;
  }

  /**
   * The full key that fingerprint() hashes, as text: the world's canonical key,
   * every thread's position, log and queued work, and the monitors' keys. For
   * a search that must not rely on hashing (exact keys). Needs trackLocals.
   */
  stateKey(): string {
    if (!this.trackLocals) throw new Error('stateKey() needs trackLocals');
    let k = this.world.key();
    for (const t of this.threads) k += `|${this.threadKey(t)}`;
    for (const m of this.monitors) if (m.key) k += `|${m.name}:${m.key()}`;
    return k;
  }

  /**
   * stateKey()'s parts: the world's (unsorted, World.keyParts), one per thread in
   * thread order, one per keyed monitor. A search that renames threads
   * (checker/symmetry.ts) renames and reorders them before joining.
   */
  stateKeyParts(): { world: string[]; threads: string[]; monitors: string[] } {
    if (!this.trackLocals) throw new Error('stateKeyParts() needs trackLocals');
    return {
      world: this.world.keyParts(),
      threads: this.threads.map((t) => this.threadKey(t)),
      monitors: this.monitorKeyParts(),
    };
  }

  /** One thread's part of stateKey(): its position, call, local state (frames or log) and queued work. */
  private threadKey(t: ThreadState): string {
    const where = t.done ? 1 : t.pending ? 2 : 3;
    const call = t.current ?? t.next;
    let k = `${t.opIndex}.${where}:${call ? call.label : ''}`;
    if (t.pending) {
      const frames = this.framesOf(t);
      if (frames) k += `[${framesKey(frames, t.pending)}]`;
      else if (t.log) k += `[${t.log.keyText()}]`;
    }
    for (const d of t.deferred) k += `+${d.label}`;
    return k;
  }

  /**
   * A compiled thread's frames, when they are its identity (compiled engine,
   * every frame compiled); null when its log is (the generator engine, or a
   * stack holding a native generator).
   */
  private framesOf(t: ThreadState): readonly unknown[] | null {
    if (!this.compiled) return null;
    const g = t.gen;
    return g instanceof FrameStack && g.copyable ? g.frames : null;
  }

  /**
   * The hash of a compiled thread's frames and pending point, or null (see
   * framesOf). Kept per thread for the version it was computed at: only a
   * thread's own steps change its frames (threads share nothing but the
   * world), and a version names one state of one thread, so after a restore
   * the hash is good again for a thread that did not move.
   */
  private frameIdentity(t: ThreadState): Fp | null {
    if (t.idVersion === t.version) return t.id;
    const frames = this.framesOf(t);
    if (!frames) return null;
    const id = { a: 0x9b05688c, b: 0x1f83d9ab };
    hashFrames(frames, id);
    hashPoint(t.pending as Point, id);
    t.id = id;
    t.idVersion = t.version;
    return id;
  }

  /** True when save()/restore() can be used: logs are kept and every monitor with per-execution memory can save it. */
  canRestore(): boolean {
    return this.trackLocals && this.record !== 'full' && this.monitors.every((m) => !m.reset || (m.save && m.load));
  }

  /**
   * Remembers this point of a live execution. restore() brings the execution
   * back to it: the world by undoing its changes, the monitors from their saved
   * memory, and each thread that has moved by re-running its current operation
   * in a fresh generator fed from its log (no other thread and no world write is
   * involved). Snapshots must be restored newest first (a depth-first search).
   */
  save(): Snapshot {
    if (!this.canRestore()) throw new Error('save() needs trackLocals and monitors that can save their memory');
    if (this.isOver()) throw new Error('save() of an execution that is over');
    this.world.keepTrail();
    return {
      world: this.world.mark(),
      path: this.path.length,
      threads: this.threads.map((t) => {
        const stack = t.pending !== null && t.gen instanceof FrameStack && t.gen.copyable ? t.gen : null;
        return {
          version: t.version,
          opIndex: t.opIndex,
          next: t.next,
          current: t.current,
          inOp: t.pending !== null,
          pending: t.pending,
          done: t.done,
          results: t.results.length,
          deferred: t.deferred.length === 0 ? NO_CALLS : [...t.deferred],
          log: t.log,
          logLength: t.log?.length ?? 0,
          hashA: t.log?.savedHash?.a ?? 0,
          hashB: t.log?.savedHash?.b ?? 0,
          frames: stack ? stack.share() : null,
          names: stack ? [...t.hooks.stack] : null,
          id: t.idVersion === t.version ? t.id : null,
        };
      }),
      monitors: this.monitors.map((m) => m.save?.()),
    };
  }

  restore(s: Snapshot): void {
    this.world.undo(s.world);
    cutTo(this.path, s.path);
    this.violation = null;
    if (this.soft.length > 0) this.soft = [];
    this.finished = false;
    for (const [i, m] of this.monitors.entries()) m.load?.(s.monitors[i]);
    for (const th of this.threads) {
      const m = s.threads[th.index] as ThreadMark;
      if (th.version === m.version) continue;
      th.version = m.version;
      if (m.id) {
        th.id = m.id;
        th.idVersion = m.version;
      }
      th.opIndex = m.opIndex;
      th.next = m.next;
      th.current = m.current;
      th.done = m.done;
      cutTo(th.results, m.results);
      th.deferred = m.deferred.length === 0 ? [] : [...m.deferred];
      th.log = m.log;
      m.log?.truncate(m.logLength, m.hashA, m.hashB);
      th.pending = m.pending;
      th.pendingStack = NO_NAMES;
      if (m.frames) {
        // compiled: the frames are the thread; they are copied when it next steps
        const g = new FrameStack(m.frames);
        g.share();
        th.gen = g as unknown as OpGenerator;
        const open = th.hooks.stack;
        cutTo(open, 0);
        for (const n of m.names as readonly string[]) open.push(n);
        th.stale = false;
        continue;
      }
      th.gen = null;
      // rebuilt only if it runs again before the next restore (many never do: the cache cuts them off)
      th.stale = m.inOp;
    }
  }

  /** Re-runs a thread's current operation from its log up to the point where it was (see restore). */
  private rebuild(th: ThreadState): void {
    th.stale = false;
    const call = th.current as Call;
    const log = th.log as ThreadLog;
    cutTo(th.hooks.stack, 0);
    th.hooks.stack.push(call.name);
    log.startReplay();
    this.world.tap = log;
    try {
      const gen = this.start(th, call);
      let r = gen.next(undefined);
      while (!r.done && !log.exhausted) r = gen.next(log.take());
      if (r.done || !log.exhausted || r.value.action !== th.pending?.action)
        throw new Error(`nondeterministic model: rebuilding ${th.name} in ${call.label} did not end where it was`);
      th.gen = gen;
      th.pending = r.value;
    } finally {
      log.stopReplay();
      this.world.tap = null;
    }
  }

  /** The operation's generator: native, or (compiled engine) a stack of frames driven like one. */
  private start(th: ThreadState, call: Call): OpGenerator {
    if (!this.compiled) return call.fn(th.ctx, call.args);
    return startThread(() => call.fn(th.ctx, call.args)) as unknown as OpGenerator;
  }

  private thread_(index: number): ThreadState {
    const th = this.threads[index];
    if (!th) throw new Error(`no thread ${index}`);
    return th;
  }

  private advanceToNextCall(th: ThreadState): void {
    th.gen = null;
    th.pending = null;
    th.current = null;
    th.pendingStack = NO_NAMES;
    const work = th.deferred.shift();
    if (work) {
      th.next = work;
      return;
    }
    const spec = this.scenario.threads[th.index];
    th.opIndex++;
    const call = spec?.ops[th.opIndex];
    if (!call) {
      th.next = null;
      th.done = true;
      return;
    }
    const fn = this.system.ops[call.op];
    if (!fn) throw new Error(`unknown operation ${call.op}`);
    th.next = new Call(call.op, call.args, fn);
  }

  /** A thread's event (ThreadHooks.emit): to the monitors, unless the thread is being rebuilt. */
  threadEmit(ev: ModelEvent): void {
    if (!this.world.tap?.replaying) this.emit(ev);
  }

  /** A thread's remark (ThreadHooks.note): kept for a full trace, unless the thread is being rebuilt. */
  threadNote(text: string): void {
    if (this.record === 'full' && !this.world.tap?.replaying) this.stepNotes.push(text);
  }

  private emit(ev: ModelEvent): void {
    // monitors read the world on their own account, not the thread's
    const tap = this.world.tap;
    this.world.tap = null;
    this.world.observing = true;
    try {
      this.emitToMonitors(ev);
    } finally {
      this.world.tap = tap;
      this.world.observing = false;
    }
  }

  private emitToMonitors(ev: ModelEvent): void {
    if (this.record === 'full') this.stepEvents.push(ev);
    for (const m of this.eventMonitors) {
      const v = (m.onEvent as NonNullable<Monitor['onEvent']>)(ev, this);
      if (!v) continue;
      const full = { ...v, thread: v.thread ?? this.thread, stack: v.stack ?? [...this.stack] };
      if (this.softMonitors) this.soft.push(full);
      else throw new ViolationSignal(full);
    }
  }

  private checkAfterStep(): void {
    for (const m of this.stepMonitors) {
      this.world.observing = true;
      const v = (m.afterStep as NonNullable<Monitor['afterStep']>)(this);
      this.world.observing = false;
      if (!v) continue;
      const full = { ...v, thread: v.thread ?? this.thread };
      if (this.softMonitors) this.soft.push(full);
      else {
        this.violation = full;
        return;
      }
    }
  }

  private finish(): void {
    this.finished = true;
    for (const m of this.monitors) {
      const v = m.atEnd?.(this);
      if (!v) continue;
      if (this.softMonitors) this.soft.push(v);
      else {
        this.violation = v;
        return;
      }
    }
  }
}

/**
 * A thread's hooks: one object per thread with its methods on the prototype,
 * not closures made (and, by the loader's keepNames, named) per thread of
 * every execution. A thread being rebuilt re-runs code whose events, notes,
 * deferred work and function entries already happened: they are dropped.
 */
class ThreadHooks implements ExecutorHooks {
  readonly stack: string[] = [];
  /** the thread, set once it is made (it holds these hooks) */
  th: ThreadState | null = null;

  constructor(
    private readonly exec: Execution,
    private readonly cov: CoverageRecorder | undefined,
  ) {}

  emit(ev: ModelEvent): void {
    this.exec.threadEmit(ev);
  }

  note(text: string): void {
    this.exec.threadNote(text);
  }

  defer(name: string, args: Args, fn: OpFn): void {
    if (!this.exec.world.tap?.replaying) (this.th as ThreadState).deferred.push(new Call(name, args, fn, true));
  }

  enter(fn: string): void {
    if (this.cov && !this.exec.world.tap?.replaying) this.cov.enter(fn);
  }
}

/** Whether a thread yielded a scheduling point (model code that yields anything else is broken). */
function isPoint(v: unknown): v is Point {
  return typeof v === 'object' && v !== null && typeof (v as Point).action === 'string';
}

function shownValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return v === null || typeof v !== 'object' ? String(v) : Array.isArray(v) ? 'an array' : 'an object';
}

/** Per system, the worlds its setup built, by parameters (and whether they keep a fingerprint). */
const templates = new WeakMap<System, Map<string, World>>();

/** stableStringify of setup parameters, by object: a search's scenarios share their space's one (values never change in place) */
const setupKeys = new WeakMap<Args, string>();

function setupKey(params: Args): string {
  let k = setupKeys.get(params);
  if (k === undefined) {
    k = stableStringify(params);
    setupKeys.set(params, k);
  }
  return k;
}

/** The parameters of a scenario that gives none: one object, so its key is made once */
const NO_SETUP: Args = {};

/**
 * The world a scenario starts from: a copy of the one the system's setup built
 * for the same parameters, so that setup runs once per search, not once per
 * execution (it is deterministic and writes only the world).
 */
function initialWorld(system: System, params: Args, hashing: boolean): World {
  let bySetup = templates.get(system);
  if (!bySetup) templates.set(system, (bySetup = new Map()));
  const key = `${hashing ? 'h' : '-'}${setupKey(params)}`;
  let template = bySetup.get(key);
  if (!template) {
    template = new World(hashing);
    system.setup(template, params);
    bySetup.set(key, template);
  }
  return template.clone();
}

/** "op(a=1, b=x)" */
export function callLabel(name: string, args: Args): string {
  const parts = Object.entries(args).map(([k, v]) => `${k}=${typeof v === 'string' ? v : stableStringify(v)}`);
  return `${name}(${parts.join(', ')})`;
}
