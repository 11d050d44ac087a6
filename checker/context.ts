import { mode } from './compiled/runtime.ts';
import { inFunction } from './heartbeat.ts';
import {
  type EventOf,
  type FieldName,
  type Fields,
  type FieldsOf,
  type Id,
  initialFields,
  type KindDecl,
  type KindName,
  type Ref,
} from './kind.ts';
import { NativeFrame } from './native-frame.ts';
import type { ModelEvent, Point, Violation } from './point.ts';
import type { Args, Value } from './value.ts';
import type { Lifecycle, World } from './world.ts';

/**
 * What every model function is: a generator that yields scheduling points and returns the C
 * function's result (the one generator type of engine, kernel and model).
 */
export type Gen<R = unknown> = Generator<Point, R, Value | undefined>;
/** An operation: a Gen whose result is a value of the world (or nothing). */
export type OpGenerator = Gen<Value | undefined>;
export type OpFn = (ctx: Ctx, args: Args) => OpGenerator;

/** Thrown through the generator to stop the execution at a violation. */
export class ViolationSignal extends Error {
  constructor(readonly violation: Violation) {
    super(violation.message);
  }
}

/** What the executor offers a running thread (see execution.ts for the implementation). */
export interface ExecutorHooks {
  emit(ev: ModelEvent): void;
  note(text: string): void;
  defer(name: string, args: Args, fn: OpFn): void;
  readonly stack: string[];
  /** a model function is entered (coverage.ts; absent unless coverage is asked for) */
  enter?(fn: string): void;
}

/**
 * The thread's window on shared state. Model code reads and writes the world
 * through it or through `ctx.world` (never by holding references across
 * yields): every value the world returns to thread code is logged (see
 * World.tap), so an operation's local variables are a function of its arguments
 * and that log, which is how the search keys thread-local state and rebuilds a
 * thread when it backtracks.
 */
export class Ctx {
  constructor(
    readonly thread: string,
    readonly world: World,
    private readonly hooks: ExecutorHooks,
  ) {}

  /** A field of a declared kind's object, typed by the declaration; or, on a plain id, any field as T. */
  get<K extends KindName, F extends FieldName<K>>(id: Ref<K>, field: F): FieldsOf<K>[F];
  get<T extends Value = Value>(id: Id, field: string): T;
  get(id: string, field: string): Value {
    return this.world.get(id, field);
  }

  set<K extends KindName, F extends FieldName<K>>(id: Ref<K>, field: F, value: Exclude<FieldsOf<K>[F], undefined>): void;
  set(id: Id, field: string, value: Value): void;
  set(id: string, field: string, value: Value): void {
    this.world.set(id, field, value);
  }

  /** Creates an object of a declared kind: its declared fields and lifecycle, some fields given. */
  make<K extends string, F extends Fields, E extends { readonly type: string }>(decl: KindDecl<K, F, E>, given: Partial<F>): Ref<K> {
    return this.world.create(decl.kind, initialFields(decl, given), decl.lifecycle) as Ref<K>;
  }

  exists(id: string): boolean {
    return this.world.has(id);
  }

  create(kind: string, fields: Record<string, Value>, lifecycle: Lifecycle | null = null): string {
    return this.world.create(kind, fields, lifecycle);
  }

  /** Ids of live objects of a kind, in creation order; of a declared kind, as its handles. */
  ids<K extends KindName>(kind: K): Ref<K>[];
  ids(kind: string): string[];
  ids(kind: string): string[] {
    return this.world.ids(kind);
  }

  state(id: string): string {
    this.world.noteRead(id);
    return this.world.state(id);
  }

  /** Sends a lifecycle event (on a declared kind's object, one of its machine's events); one the machine does not accept is an illegal transition. */
  send<K extends KindName>(id: Ref<K>, event: EventOf<K>): void;
  send(id: Id, event: { readonly type: string; readonly [field: string]: Value }): void;
  send(id: string, event: { readonly type: string; readonly [field: string]: Value }): void {
    const from = this.world.state(id);
    if (!this.world.send(id, event)) this.fail('illegal-transition', `${id}: event ${event.type} not accepted in state ${from}`);
  }

  emit(ev: ModelEvent): void {
    this.hooks.emit(ev);
  }

  /** Adds a remark to the current step's action in the trace. */
  note(text: string): void {
    this.hooks.note(text);
  }

  /** Queues work to run on this thread after its current operation returns (task work). */
  defer(name: string, args: Args, fn: OpFn): void {
    this.hooks.defer(name, args, fn);
  }

  /** Stops the execution with a violation. */
  fail(kind: string, message: string, report?: string): never {
    throw new ViolationSignal({
      kind,
      message,
      thread: this.thread,
      stack: [...this.hooks.stack],
      ...(report === undefined ? {} : { report }),
    });
  }

  /** Calls a sub-function, keeping the call stack of function names for traces. */
  *call<A extends unknown[], R>(
    fn: (ctx: Ctx, ...a: A) => Generator<Point, R, Value | undefined>,
    ...args: A
  ): Generator<Point, R, Value | undefined> {
    // an anonymous callback (a closure passed as a release function) is no frame of its own
    if (!fn.name) return yield* fn(this, ...args);
    this.hooks.stack.push(fn.name);
    inFunction(fn.name);
    try {
      return yield* fn(this, ...args);
    } finally {
      this.hooks.stack.pop();
      inFunction(this.hooks.stack[this.hooks.stack.length - 1]);
    }
  }

  /** Runs a generator as a named frame of the call stack (for function tables bound by a model). */
  *frame<R>(name: string, body: Generator<Point, R, Value | undefined>): Generator<Point, R, Value | undefined> {
    this.hooks.enter?.(name);
    this.hooks.stack.push(name);
    inFunction(name);
    try {
      return yield* body;
    } finally {
      this.hooks.stack.pop();
      inFunction(this.hooks.stack[this.hooks.stack.length - 1]);
    }
  }

  /**
   * frame(), for a function table's function (model/bind.ts): a NativeFrame
   * when thread code runs native generators (one generator fewer per call),
   * frame()'s compiled body under the compiled engine, whose thread must stay
   * a stack of frames it can copy. `onReturn` sees the body's result inside
   * the frame; `watchedBody` makes the body that does the same as a
   * generator, for the compiled engine only.
   */
  framed<R>(
    name: string,
    body: Generator<Point, R, Value | undefined>,
    onReturn: ((ret: R) => void) | null,
    watchedBody: (() => Generator<Point, R, Value | undefined>) | null,
  ): Generator<Point, R, Value | undefined> {
    if (!mode.on) return new NativeFrame(this.hooks, name, body, onReturn) as unknown as Generator<Point, R, Value | undefined>;
    return this.frame(name, watchedBody ? watchedBody() : body);
  }

  get stack(): readonly string[] {
    return this.hooks.stack;
  }
}
