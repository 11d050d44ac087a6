import { inFunction } from './heartbeat.ts';
import type { Point } from './point.ts';
import type { Value } from './value.ts';

type Body<R> = Generator<Point, R, Value | undefined>;

/** What a frame needs of the executor's hooks (context.ts ExecutorHooks). */
interface FrameHooks {
  readonly stack: string[];
  enter?(fn: string): void;
}

/**
 * A named frame of the call stack as a plain iterator (Ctx.frame's native
 * body, for the generator engine): it enters the frame on its first step,
 * passes every step on to the body, and leaves the frame when the body ends,
 * returns or throws, as Ctx.frame's try/finally does. It is no generator, so
 * a point yielded from deep in the model resumes one generator fewer per
 * model function on the way down (a generator's resume costs several times a
 * call). `onReturn` sees the body's result inside the frame (a watched
 * function's return event, see model/bind.ts).
 */
export class NativeFrame<R> {
  private started = false;
  private over = false;

  constructor(
    private readonly hooks: FrameHooks,
    private readonly name: string,
    private readonly body: Body<R>,
    private readonly onReturn: ((ret: R) => void) | null,
  ) {}

  next(input?: Value): IteratorResult<Point, R> {
    if (this.over) return { done: true, value: undefined as R };
    if (!this.started) this.enter();
    let r: IteratorResult<Point, R>;
    try {
      r = this.body.next(input as Value | undefined);
    } catch (e) {
      this.leave();
      throw e;
    }
    return r.done ? this.end(r) : r;
  }

  throw(e: unknown): IteratorResult<Point, R> {
    // a frame never started has not entered its try: the throw just ends it
    if (!this.started || this.over) {
      this.over = true;
      throw e;
    }
    let r: IteratorResult<Point, R>;
    try {
      r = this.body.throw(e);
    } catch (x) {
      this.leave();
      throw x;
    }
    return r.done ? this.end(r) : r;
  }

  return(value: R): IteratorResult<Point, R> {
    if (!this.started || this.over) {
      this.over = true;
      return { done: true, value };
    }
    let r: IteratorResult<Point, R>;
    try {
      r = this.body.return(value);
    } catch (x) {
      this.leave();
      throw x;
    }
    // a finally that yields keeps the frame open, as a generator's does
    if (!r.done) return r;
    this.leave();
    return r;
  }

  [Symbol.iterator](): this {
    return this;
  }

  private enter(): void {
    this.started = true;
    const h = this.hooks;
    h.enter?.(this.name);
    h.stack.push(this.name);
    inFunction(this.name);
  }

  /** The body returned: its result is seen inside the frame, then the frame is left. */
  private end(r: IteratorReturnResult<R>): IteratorResult<Point, R> {
    if (this.onReturn) {
      try {
        this.onReturn(r.value);
      } catch (e) {
        this.leave();
        throw e;
      }
    }
    this.leave();
    return r;
  }

  private leave(): void {
    this.over = true;
    const stack = this.hooks.stack;
    stack.pop();
    inFunction(stack[stack.length - 1]);
  }
}
