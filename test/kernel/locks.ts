import type { Ctx, OpFn } from '../../checker/context.ts';
import { type ExecOptions, Execution } from '../../checker/execution.ts';
import type { System } from '../../checker/scenario.ts';
import type { World } from '../../checker/world.ts';
import { heldLocks } from '../../kernel/task.ts';
import type { Gen } from '../../kernel/types.ts';

/**
 * Drives threads that each run a script of lock calls, one call at a time, so
 * that a test can build a lock state (who holds it, who is queued in which
 * order) and then ask what a request gets. Every lock call is one scheduling
 * point, plus one more when it queues (`[queued]`, enabled once granted).
 */

/** One lock call: a primitive and its lock (trylocks return their result into the op's result). */
export type LockCall = readonly [fn: (ctx: Ctx, lock: string) => Gen<unknown>, lock: string];

export function lockSystem(setup: (w: World) => void, scripts: Readonly<Record<string, readonly LockCall[]>>): System {
  const ops: Record<string, OpFn> = {};
  for (const [name, calls] of Object.entries(scripts))
    ops[name] = function* (ctx: Ctx) {
      const results: boolean[] = [];
      for (const [fn, lock] of calls) {
        const r = yield* ctx.call(fn, lock);
        if (typeof r === 'boolean') results.push(r);
      }
      return results;
    } as unknown as OpFn;
  return { name: 'locks', setup, ops, stepContext: heldLocks };
}

export class LockDriver {
  readonly exec: Execution;
  private readonly names: readonly string[];

  /** One thread per script, named after it. */
  constructor(system: System, options: ExecOptions = {}) {
    this.names = Object.keys(system.ops);
    this.exec = new Execution(system, { threads: this.names.map((name) => ({ name, ops: [{ op: name, args: {} }] })) }, options);
  }

  private index(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`no thread ${name}`);
    return i;
  }

  /** Starts the thread's op if it has not started: its next step is then its first lock call. */
  start(name: string): this {
    const i = this.index(name);
    if (this.exec.nextAction(i).startsWith('call ')) this.exec.step(i);
    return this;
  }

  /** Runs the thread's next lock call (starting its op first if need be); throws if it cannot run. */
  call(name: string): this {
    const i = this.index(name);
    this.start(name);
    if (!this.exec.runnable().includes(i)) throw new Error(`${name} cannot run: ${this.exec.nextAction(i)}`);
    this.exec.step(i);
    return this;
  }

  /** True while the thread sleeps in a lock's wait queue. */
  queued(name: string): boolean {
    return this.exec.nextAction(this.index(name)).endsWith('[queued]');
  }

  /** Whether the thread can take its next step (a queued one: whether it has been granted the lock). */
  canRun(name: string): boolean {
    return this.exec.runnable().includes(this.index(name));
  }

  done(name: string): boolean {
    return this.exec.position(this.index(name)).done;
  }

  /** The trylock results of a finished thread, in call order. */
  results(name: string): readonly boolean[] {
    return this.exec.results(name)[0] as boolean[];
  }

  /** The thread's held locks as the trace shows them. */
  held(name: string): string {
    return heldLocks(this.exec.world, name).join(' | ');
  }
}

/** Runs one op alone (thread T) to its end: each step as `action @ locs`, then its result or violation. */
export function traceOp(
  setup: (w: World) => void,
  op: (ctx: Ctx) => Gen<unknown>,
  options: ExecOptions = {},
): { steps: string[]; result: unknown; violation: string | null; exec: Execution } {
  const exec = new Execution(
    { name: 'trace', setup, ops: { t: op as unknown as OpFn }, stepContext: heldLocks },
    { threads: [{ name: 'T', ops: [{ op: 't', args: {} }] }] },
    options,
  );
  const steps: string[] = [];
  exec.step(0);
  while (!exec.isOver() && exec.runnable().includes(0)) {
    steps.push(`${exec.nextAction(0)} @ ${exec.nextLocs(0)?.join(',') ?? '-'}`);
    exec.step(0);
  }
  return { steps, result: exec.violation ? undefined : exec.results('T')[0], violation: exec.violation?.message ?? null, exec };
}
