/**
 * Toys for the compiled engine's state identity (frames.test.ts). This file is
 * compiled (test helpers are, .test.ts files are not), so its generators run
 * as frames under `engine: 'compiled'`.
 */
import type { OpFn } from '../../checker/context.ts';
import type { Point } from '../../checker/point.ts';
import type { System } from '../../checker/scenario.ts';

const touch = (what: string): Point => ({ action: what, locs: ['flag'] });

/** A point that can run only if the value it was made with is 1: the value lives in its closure alone. */
const waitFor = (seen: unknown): Point => ({ action: 'wait', locs: ['flag'], enabled: () => seen === 1 });

const poll: OpFn = function* poll(ctx) {
  while (ctx.get<number>('flag', 'v') !== 1) yield touch('poll(flag)');
  return null;
};
const raise: OpFn = function* raise(ctx) {
  yield touch('WRITE_ONCE(flag, 1)');
  ctx.set('flag', 'v', 1);
  // a step more: a deadlock is then found below the state the cache looks up, not at it
  yield touch('smp_mb()');
  return null;
};
/** Reads the flag but keeps nothing of it: after the read the frames are the same whatever it read. */
const glance: OpFn = function* glance(ctx) {
  yield touch('READ_ONCE(flag)');
  if (ctx.get<number>('flag', 'v') === 1) ctx.note('flag was up');
  yield touch('after');
  yield touch('done');
  return null;
};
/**
 * Waits on a point that captured what it read there: blocked forever if it
 * read 0. Having seen 0 it takes one step more first, so the blocked state is
 * reached deeper than the one that read 1 (else the cache's depth rule alone
 * would keep them apart).
 */
const waitOnce: OpFn = function* wait_once(ctx) {
  yield touch('READ_ONCE(flag)');
  if (ctx.get<number>('flag', 'v') !== 1) yield touch('READ_ONCE(flag) again');
  yield waitFor(ctx.get<number>('flag', 'v'));
  return null;
};

export const flagSystem: System = {
  name: 'toy-flag',
  setup(w) {
    w.create('flag', { v: 0 }, null, 'flag');
  },
  ops: { poll, raise, glance, wait_once: waitOnce },
};
