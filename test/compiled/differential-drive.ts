/**
 * How the differential tests run a program both ways: compiled by
 * compileModelSource (so the transform is tested as much as the runtime), driven
 * natively and as frames, straight and resumed from a snapshot taken at each point.
 */
import { expect } from 'vitest';
import * as rt from '../../checker/compiled/runtime.ts';
import { compileModelSource } from '../../checker/compiled/transform.ts';

export type Gen = (...a: unknown[]) => Generator<unknown, unknown, unknown>;

/** The functions `names` of a program, compiled as a built-in model file (the runtime passed in as `__rt`). */
export function compileProgram(src: string, names: readonly string[]): Record<string, Gen> {
  const compiled = compileModelSource(src, '/repo/model/differential.js', 'RT').replace(/^import \* as __rt from "RT";\n/, '');
  return new Function('__rt', `${compiled}\nreturn { ${names.join(', ')} };`)(rt) as Record<string, Gen>;
}

/** What a run yields and returns (or throws), the input to each point being a function of what it yielded. */
export type Outcome = { trace: unknown[]; end: unknown };
export const inputFor = (yielded: unknown, n: number) => (String(yielded).startsWith('in') ? (n % 5 === 3 ? 'boom' : n) : `v${n}`);

export function drive(
  step: (input: unknown) => IteratorResult<unknown, unknown>,
  first: unknown,
  start = 0,
  trace: unknown[] = [],
): Outcome {
  let input = first;
  for (let n = start; n < 200; n++) {
    let r: IteratorResult<unknown, unknown>;
    try {
      r = step(input);
    } catch (e) {
      return { trace, end: `threw ${(e as Error).message}` };
    }
    if (r.done) return { trace, end: r.value };
    trace.push(r.value);
    input = inputFor(r.value, n);
  }
  throw new Error('did not end');
}

export const nativeRun = (f: Gen, arg?: unknown): Outcome => {
  const g = f(arg);
  return drive((v) => g.next(v), undefined);
};

export const framesRun = (f: Gen, arg?: unknown): Outcome => {
  const s = rt.startThread(() => f(arg));
  return drive((v) => s.next(v), undefined);
};

/**
 * Runs f as frames to each point of its native run, snapshots there (FrameStack.share,
 * as a search saves a state), and checks that the run goes on as the native one did,
 * and so do two restores of the snapshot. Returns at how many points it could snapshot
 * (a thread with a native iterator on its stack cannot be: a search rebuilds it from its log).
 */
export function expectResumes(f: Gen, arg?: unknown): number {
  const whole = nativeRun(f, arg);
  let snapshots = 0;
  for (let at = 0; at < whole.trace.length; at++) {
    const s = rt.startThread(() => f(arg));
    let input: unknown;
    const trace: unknown[] = [];
    for (let n = 0; n <= at; n++) {
      const r = s.next(input);
      trace.push(r.value);
      input = inputFor(r.value, n);
    }
    if (!s.copyable) continue;
    snapshots++;
    const saved = s.share();
    expect(
      drive((v) => s.next(v), input, at + 1, [...trace]),
      `first continuation from ${at}`,
    ).toEqual(whole);
    for (const again of [1, 2]) {
      const g = new rt.FrameStack(saved.slice());
      g.share();
      expect(
        drive((v) => g.next(v), input, at + 1, [...trace]),
        `restore ${again} from ${at}`,
      ).toEqual(whole);
    }
  }
  return snapshots;
}
