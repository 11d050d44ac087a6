/**
 * Toys for generators made at run time (made.test.ts): an operation written
 * as an arrow that hands a generator it makes per call to a helper, as the
 * model's bar_mmap and bar_rw hand theirs to deviceIoctl. This file is
 * compiled (test helpers are, .test.ts files are not).
 */
import type { Ctx, OpFn, OpGenerator } from '../../checker/context.ts';
import type { Point } from '../../checker/point.ts';
import type { System } from '../../checker/scenario.ts';

const touch = (what: string): Point => ({ action: what, locs: ['flag'] });

function* via(_ctx: Ctx, body: () => OpGenerator): OpGenerator {
  yield touch('enter');
  return yield* body();
}

function* steps(): OpGenerator {
  yield touch('inside');
  yield touch('more');
  return null;
}

/** The body made once, at module level. */
const once: OpFn = (ctx) => via(ctx, steps);

/** The same body made at every call. */
const made: OpFn = (ctx) =>
  via(ctx, function* () {
    yield touch('inside');
    yield touch('more');
    return null;
  });

const raise: OpFn = function* raise(ctx) {
  yield touch('WRITE_ONCE(flag, 1)');
  ctx.set('flag', 'v', 1);
  return null;
};

/**
 * Reads the flag when it starts and makes a generator that keeps what it read
 * in its closure alone, waits for the flag to be up, and then blocks forever if
 * it had read 0. At its look its frame is the same whatever it read, over the
 * same world; having read 0 it took one step more, so that state is reached
 * deeper than the one that read 1, and only the captured value tells them apart.
 */
const readThenMade: OpFn = (ctx) => {
  const seen = ctx.get<number>('flag', 'v');
  return via(ctx, function* () {
    if (seen !== 1) yield touch('READ_ONCE(flag) again');
    yield { action: 'wait for flag', locs: ['flag'], enabled: () => ctx.get<number>('flag', 'v') === 1 };
    yield touch('look');
    if (seen !== 1) yield { action: 'wait', locs: ['flag'], enabled: () => false };
    return null;
  });
};

export const madeSystem: System = {
  name: 'toy-made',
  setup(w) {
    w.create('flag', { v: 0 }, null, 'flag');
  },
  ops: { once, made, raise, read_then_made: readThenMade },
};
