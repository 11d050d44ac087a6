import { Ctx, type ExecutorHooks, type OpFn, type OpGenerator, ViolationSignal } from './context.ts';
import { EMPTY_FOOTPRINT, type Footprint } from './footprint.ts';
import type { ExecView, Monitor } from './monitor.ts';
import type { ModelEvent, Point, Violation } from './point.ts';
import type { Scenario, System } from './scenario.ts';
import { type Args, stableStringify, type Value } from './value.ts';
import { type Change, type Recorder, World } from './world.ts';

/** How much an execution writes down: nothing (fast random search), footprints (reduction), or all (traces). */
export type RecordLevel = 'none' | 'footprint' | 'full';

export interface ExecOptions {
  readonly record?: RecordLevel;
  /** keep each thread's observation log so that stateKey() is exact (state caching) */
  readonly trackLocals?: boolean;
  readonly monitors?: readonly Monitor[];
  /** an execution longer than this is stopped as a livelock */
  readonly maxSteps?: number;
  /**
   * Monitors' violations are recorded in `soft` and the execution goes on, so
   * one search finds every property's violations; violations raised by the
   * model itself (use after free, illegal transition, deadlock) still end it.
   */
  readonly softMonitors?: boolean;
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

interface Call {
  readonly name: string;
  readonly label: string;
  readonly args: Args;
  readonly fn: OpFn;
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
  /** the values ctx returned to the current operation, as text: its local state */
  obs: string;
  deferred: Call[];
  done: boolean;
  results: Value[];
}

/**
 * One execution of a scenario, advanced one step at a time by whoever drives it
 * (a schedule, the exhaustive search, or a replay). Deterministic: the same
 * scenario and the same sequence of thread choices give the same trace.
 */
export class Execution implements ExecView {
  readonly world = new World();
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
  private readonly maxSteps: number;
  private readonly softMonitors: boolean;
  private running: ThreadState | null = null;
  private stepNotes: string[] = [];
  private stepEvents: ModelEvent[] = [];
  private finished = false;

  constructor(
    readonly system: System,
    readonly scenario: Scenario,
    options: ExecOptions = {},
  ) {
    this.record = options.record ?? 'none';
    this.trackLocals = options.trackLocals ?? false;
    this.monitors = [...(system.monitors?.() ?? []), ...(options.monitors ?? [])];
    this.maxSteps = options.maxSteps ?? 100_000;
    this.softMonitors = options.softMonitors ?? false;
    for (const m of this.monitors) m.reset?.();
    system.setup(this.world, scenario.setup ?? {});
    this.threadNames = scenario.threads.map((t) => t.name);
    if (new Set(this.threadNames).size !== this.threadNames.length) throw new Error('thread names must be unique');
    this.threads = scenario.threads.map((spec, index) => {
      const th = { name: spec.name, index } as ThreadState;
      const hooks: ExecutorHooks = {
        stack: [],
        observe: (v) => {
          if (this.trackLocals)
            th.obs +=
              v === undefined
                ? 'u,'
                : typeof v === 'object' && v !== null
                  ? `${stableStringify(v)},`
                  : `${String(v)}${typeof v === 'string' ? '"' : ''},`;
        },
        emit: (ev) => this.emit(ev),
        note: (text) => {
          if (this.record === 'full') this.stepNotes.push(text);
        },
        defer: (name, args, fn) => th.deferred.push({ name, label: callLabel(name, args), args, fn }),
      };
      Object.assign(th, {
        ctx: new Ctx(spec.name, this.world, hooks),
        hooks,
        opIndex: -1,
        next: null,
        current: null,
        gen: null,
        pending: null,
        pendingStack: [],
        obs: '',
        deferred: [],
        done: false,
        results: [],
      });
      this.advanceToNextCall(th);
      return th;
    });
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
      else if (p.joinAll ? this.othersDone(th) : p.enabled === undefined || p.enabled(this.world)) out.push(th.index);
    }
    return out;
  }

  private othersDone(th: ThreadState): boolean {
    for (const t of this.threads) if (t !== th && !t.done) return false;
    return true;
  }

  allDone(): boolean {
    return this.threads.every((t) => t.done);
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
   * Runs one step of a thread: its pending point's effect, then its code up to the
   * next point. Returns the step's footprint (empty unless footprints are recorded).
   */
  step(index: number): Footprint {
    const th = this.thread_(index);
    if (this.isOver()) throw new Error('execution is over');
    const rec: Recorder | null =
      this.record === 'none' ? null : { reads: new Set(), writes: new Set(), changes: this.record === 'full' ? [] : null };
    this.world.rec = rec;
    this.running = th;
    this.path.push(index);
    this.stepNotes = [];
    this.stepEvents = [];
    let action: string;
    let stack: readonly string[];
    let returned: Step['returned'];
    try {
      let input: Value | undefined;
      if (th.pending === null) {
        const call = th.next as Call;
        action = `call ${call.label}`;
        stack = [call.name];
        th.current = call;
        th.next = null;
        th.obs = '';
        th.hooks.stack.length = 0;
        th.hooks.stack.push(call.name);
        th.gen = call.fn(th.ctx, call.args);
      } else {
        const p = th.pending;
        action = p.action;
        stack = th.pendingStack;
        if (rec && p.locs) for (const l of p.locs) rec.writes.add(l);
        input = p.fire?.(this.world);
        th.hooks.observe(input);
      }
      const r = (th.gen as OpGenerator).next(input);
      if (!r.done) {
        th.pending = r.value;
        if (this.record === 'full') th.pendingStack = [...th.hooks.stack];
      } else {
        const value = r.value === undefined ? null : r.value;
        returned = { op: (th.current as Call).name, value };
        th.results.push(value);
        this.advanceToNextCall(th);
      }
      if (this.path.length >= this.maxSteps)
        this.violation = { kind: 'livelock', message: `execution exceeded ${this.maxSteps} steps`, thread: th.name };
      if (!this.violation) this.checkAfterStep();
    } catch (e) {
      action ??= '(model error)';
      stack ??= [];
      this.violation =
        e instanceof ViolationSignal
          ? e.violation
          : { kind: 'model-error', message: `model threw: ${(e as Error).stack ?? String(e)}`, thread: th.name };
    }
    this.world.rec = null;
    if (this.record === 'full' && rec) {
      this.steps.push({
        index: this.path.length - 1,
        thread: th.name,
        stack,
        action,
        notes: this.stepNotes,
        context: this.system.stepContext?.(this.world, th.name) ?? [],
        changes: rec.changes ?? [],
        reads: [...rec.reads],
        writes: [...rec.writes],
        events: this.stepEvents,
        ...(returned ? { returned } : {}),
      });
    }
    this.running = null;
    if (!this.violation && this.allDone()) this.finish();
    return rec ? { reads: rec.reads, writes: rec.writes } : EMPTY_FOOTPRINT;
  }

  /** Ends an execution that has no runnable thread: quiescence if all are done, else a deadlock. */
  stuck(): Violation | null {
    if (this.isOver()) return this.violation;
    if (this.allDone()) {
      this.finish();
      return this.violation;
    }
    const blocked = this.threads.filter((t) => !t.done);
    const lines = blocked.map((t) => {
      const p = t.pending as Point;
      return `  ${t.name}: blocked in ${t.hooks.stack.join(' > ') || '?'} at ${p.action}${p.waitsFor ? ` — ${p.waitsFor(this.world)}` : ''}`;
    });
    // the thread whose wait the others depend on: the first that is not just waiting for everyone to finish
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
   * Canonical key of the global state: the world, every thread's position and
   * its observation log (its local state), and monitor memory. Needs trackLocals.
   */
  stateKey(): string {
    if (!this.trackLocals) throw new Error('stateKey() needs trackLocals');
    let k = this.world.key();
    for (const t of this.threads) {
      k += `|${t.opIndex}${t.done ? 'D' : t.pending ? 'P' : 'C'}${t.obs}`;
      for (const d of t.deferred) k += `+${d.label}`;
    }
    for (const m of this.monitors) if (m.key) k += `|${m.key()}`;
    return k;
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
    th.pendingStack = [];
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
    th.next = { name: call.op, label: callLabel(call.op, call.args), args: call.args, fn };
  }

  private emit(ev: ModelEvent): void {
    if (this.record === 'full') this.stepEvents.push(ev);
    for (const m of this.monitors) {
      const v = m.onEvent?.(ev, this);
      if (!v) continue;
      const full = { ...v, thread: v.thread ?? this.thread, stack: v.stack ?? [...this.stack] };
      if (this.softMonitors) this.soft.push(full);
      else throw new ViolationSignal(full);
    }
  }

  private checkAfterStep(): void {
    for (const m of this.monitors) {
      const v = m.afterStep?.(this);
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

/** "op(a=1, b=x)" */
export function callLabel(name: string, args: Args): string {
  const parts = Object.entries(args).map(([k, v]) => `${k}=${typeof v === 'string' ? v : stableStringify(v)}`);
  return `${name}(${parts.join(', ')})`;
}
