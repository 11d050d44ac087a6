/**
 * The schedulers' choices, decision by decision, and context switches counted
 * by hand: "keep going" is choice 0 of a ChoiceScheduler, k > 0 the k-th other
 * runnable thread; PCT runs the runnable thread of highest priority, and at a
 * change point drops the one that ran last below every thread (the later drop
 * lower still), ties to the lowest-numbered runnable thread.
 */
import { describe, expect, it } from 'vitest';
import type { Execution } from '../../checker/execution.ts';
import { runScenario } from '../../checker/run.ts';
import { ChoiceScheduler, contextSwitches, PctScheduler, type Scheduler, SEQUENTIAL } from '../../checker/schedule.ts';
import { toySystem } from './toy-system.ts';

const exec = undefined as unknown as Execution;
/** The threads a scheduler picks at successive decisions, each given (runnable, last). */
const picks = (s: Scheduler, calls: readonly (readonly [readonly number[], number])[]) => calls.map(([r, last]) => s.choose(r, last, exec));

describe('contextSwitches', () => {
  it.each([
    [[], 0],
    [[0], 0],
    [[1, 1, 1], 0],
    [[0, 1], 1],
    [[0, 0, 1, 1, 1, 0], 2],
    [[0, 1, 0, 1], 3],
    [[2, 0, 0, 1, 1, 2], 3],
  ])('%j has %i', (path, n) => {
    expect(contextSwitches(path)).toBe(n);
  });
});

describe('ChoiceScheduler', () => {
  it('0 keeps the thread that ran last; k picks the k-th other runnable thread, modulo their number', () => {
    const s = new ChoiceScheduler([0, 1, 2, 3, 4]);
    expect(
      picks(s, [
        [[0, 1, 2], 1],
        [[0, 1, 2], 1],
        [[0, 1, 2], 1],
        [[0, 1, 2], 1],
        [[0, 1, 2], 1],
      ]),
    ).toEqual([1, 0, 2, 1, 0]);
  });

  it('when the last thread cannot run, choice k is the k-th runnable thread', () => {
    const s = new ChoiceScheduler([0, 1, 0, 2]);
    expect(
      picks(s, [
        [[0, 2], 1],
        [[0, 2], 1],
        [[0, 2, 3], -1],
        [[0, 2, 3], -1],
      ]),
    ).toEqual([0, 2, 0, 3]);
  });

  it('past the end of its list, keeps going; SEQUENTIAL always does, else the lowest-numbered thread', () => {
    const s = new ChoiceScheduler([1]);
    expect(
      picks(s, [
        [[0, 1], 0],
        [[0, 1], 1],
        [[0, 1], 0],
      ]),
    ).toEqual([1, 1, 0]);
    expect(
      picks(SEQUENTIAL, [
        [[0, 1], 1],
        [[0, 2], 1],
        [[2, 3], -1],
      ]),
    ).toEqual([1, 0, 2]);
  });
});

describe('PctScheduler', () => {
  it('runs the highest priority; ties and missing priorities go to the first runnable thread', () => {
    expect(
      picks(new PctScheduler([1, 3, 2], []), [
        [[0, 1, 2], -1],
        [[0, 2], 1],
        [[0], 0],
      ]),
    ).toEqual([1, 2, 0]);
    expect(
      picks(new PctScheduler([5, 5], []), [
        [[0, 1], -1],
        [[1, 0], 0],
      ]),
    ).toEqual([0, 1]);
    // thread 1 has no priority: 0, above thread 0's −1
    expect(picks(new PctScheduler([-1], []), [[[0, 1], -1]])).toEqual([1]);
    expect(picks(new PctScheduler([], []), [[[1, 2], -1]])).toEqual([1]);
  });

  it('at each change point the thread that ran last drops below every other, a later drop lower still', () => {
    const s = new PctScheduler([10, 9, 0], [1, 2]);
    // decision 1 drops thread 0 (to −1): thread 1 runs; decision 2 drops thread 1 (to −2): thread 2, then 0, then 1
    const r = [0, 1, 2] as const;
    expect(
      picks(s, [
        [r, -1],
        [r, 0],
        [r, 1],
        [r, 2],
        [[0, 1], 2],
        [[1], 0],
      ]),
    ).toEqual([0, 1, 2, 2, 0, 1]);
  });

  it('drops no one at a change point before any thread ran, nor at decisions not listed', () => {
    const s = new PctScheduler([2, 1], [0, 3]);
    expect(
      picks(s, [
        [[0, 1], -1],
        [[0, 1], 0],
        [[0, 1], 0],
        [[0, 1], 0],
        [[0, 1], 1],
      ]),
    ).toEqual([0, 0, 0, 1, 1]);
  });

  it('decides a whole run: the higher priority runs to its end unless a change point drops it', () => {
    const sc = {
      threads: [
        { name: 'T0', ops: [{ op: 'incr', args: {} }] },
        { name: 'T1', ops: [{ op: 'incr', args: {} }] },
      ],
    };
    const order = (s: Scheduler) => runScenario(toySystem(true), sc, s, { record: 'full' }).steps.map((x) => x.thread);
    expect(order(new PctScheduler([1, 2], []))).toEqual(['T1', 'T1', 'T1', 'T0', 'T0', 'T0']);
    expect(order(new PctScheduler([2, 1], [1]))).toEqual(['T0', 'T1', 'T1', 'T1', 'T0', 'T0']);
  });
});
