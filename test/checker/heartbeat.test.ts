/**
 * The heartbeat (checker/heartbeat.ts) and its watcher (checker/step-watch.ts):
 * each step writes which design, thread, function and step runs, names
 * interned and announced once; the watcher, on fake timers here, calls a step
 * stuck once it has run past the step limit, or half a second past the time
 * limit, and says which step it was.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BEAT, BEAT_SLOTS, inFunction, stepBegins, stepEnds, watchSteps } from '../../checker/heartbeat.ts';
import { watchStuckSteps } from '../../checker/step-watch.ts';

function shared() {
  const beat = new Int32Array(BEAT_SLOTS);
  const names = new Map<number, string>();
  const announced: string[] = [];
  watchSteps(beat, (id, name) => {
    names.set(id, name);
    announced.push(name);
  });
  return { beat, names, announced };
}

describe('heartbeat', () => {
  it('writes the running step, interning each name once, and clears running at its end', () => {
    const { beat, names, announced } = shared();
    stepBegins('design', 'T0', 'open', 1);
    expect(Array.from(beat)).toEqual([1, 1, 1, 2, 3, 1]);
    expect(announced).toEqual(['design', 'T0', 'open']);
    inFunction('inner');
    expect(names.get(beat[BEAT.fn] as number)).toBe('inner');
    inFunction(undefined);
    expect(names.get(beat[BEAT.fn] as number)).toBe('inner');
    stepEnds();
    expect(beat[BEAT.running]).toBe(0);
    stepBegins('design', 'T1', 'open', 2);
    expect(announced).toEqual(['design', 'T0', 'open', 'inner', 'T1']);
    expect([beat[BEAT.count], beat[BEAT.running], beat[BEAT.step]]).toEqual([2, 1, 2]);
    expect(names.get(beat[BEAT.thread] as number)).toBe('T1');
    expect(names.get(beat[BEAT.system] as number)).toBe('design');
    // a new watch starts the names again
    const again = shared();
    stepBegins('design', 'T1', 'open', 1);
    expect(again.announced).toEqual(['design', 'T1', 'open']);
  });

  it('the step count wraps instead of overflowing', () => {
    const { beat } = shared();
    beat[BEAT.count] = 2 ** 31 - 1;
    stepBegins('d', 't', 'f', 1);
    expect(beat[BEAT.count]).toBe(-(2 ** 31));
  });
});

describe('watchStuckSteps', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (deadline: number | null = null) => {
    const { beat, names } = shared();
    const stuck: string[] = [];
    const stop = watchStuckSteps(
      beat,
      names,
      () => ({ stepMs: 2000, deadline }),
      (m) => stuck.push(m),
    );
    return { beat, stuck, stop };
  };

  it('calls a step stuck once it runs past the step limit, once', () => {
    const { stuck, stop } = setup();
    stepBegins('broken-design', 'T0', 'spin', 7);
    vi.advanceTimersByTime(1900);
    expect(stuck).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(stuck).toEqual(['design broken-design is broken: step 7 of thread T0 in spin did not return within the step limit (2 s)']);
    vi.advanceTimersByTime(10_000);
    expect(stuck).toHaveLength(1);
    stop();
  });

  it('a step that ends, or steps that keep coming, are not stuck', () => {
    const { stuck, stop } = setup();
    for (let i = 1; i <= 100; i++) {
      stepBegins('d', 'T0', 'f', i);
      vi.advanceTimersByTime(100);
    }
    stepEnds();
    vi.advanceTimersByTime(10_000);
    expect(stuck).toEqual([]);
    stop();
  });

  it('past the time limit, half a second is enough', () => {
    const { stuck, stop } = setup(1_000_000 + 1000);
    vi.advanceTimersByTime(900);
    // first seen at 950 ms, the limit passes at 1000: stuck from 1450 on
    stepBegins('d', 'T1', 'g', 3);
    vi.advanceTimersByTime(500);
    expect(stuck).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(stuck).toEqual(['design d is broken: step 3 of thread T1 in g did not return by the time limit']);
    stop();
  });

  it('before the time limit the step limit holds, and stopping the watch ends it', () => {
    const early = setup(1_000_000 + 60_000);
    stepBegins('d', 'T1', 'g', 3);
    vi.advanceTimersByTime(1900);
    expect(early.stuck).toEqual([]);
    early.stop();
    vi.advanceTimersByTime(10_000);
    expect(early.stuck).toEqual([]);
  });
});
