/**
 * When a search must stop (checker/search/deadline.ts): its time limit has
 * passed (asked every time), or, asked every 1,024 times, the heap is over
 * its limit (then `memory` says so) or the caller's `stop` says so.
 */
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Deadline, defaultMaxMemoryBytes, heapFull } from '../../checker/search/deadline.ts';

const ask = (d: Deadline, times: number) => Array.from({ length: times }, () => d.passed());

describe('Deadline', () => {
  it('a passed time limit, at once; none, never', () => {
    expect(new Deadline(Date.now(), -1, undefined).passed()).toBe(true);
    expect(new Deadline(Date.now() - 10_000, 5_000, undefined).passed()).toBe(true);
    const none = new Deadline(0, undefined, undefined);
    expect(ask(none, 3000).some((x) => x)).toBe(false);
    expect(new Deadline(Date.now(), 600_000, undefined).passed()).toBe(false);
  });

  it("asks the caller's stop every 1,024th time only", () => {
    let asked = 0;
    const d = new Deadline(Date.now(), undefined, () => (asked++, true));
    const answers = ask(d, 1024);
    expect(answers.slice(0, 1023).some((x) => x)).toBe(false);
    expect(answers[1023]).toBe(true);
    expect(asked).toBe(1);
    expect(d.memory).toBe(false);
    const no = new Deadline(Date.now(), undefined, () => false);
    expect(ask(no, 2048).some((x) => x)).toBe(false);
  });

  it('stops on a full heap every 1,024th time, and says it was the memory', () => {
    const d = new Deadline(Date.now(), undefined, () => false, 1);
    expect(ask(d, 1023).some((x) => x)).toBe(false);
    expect(d.memory).toBe(false);
    expect(d.passed()).toBe(true);
    expect(d.memory).toBe(true);
    const roomy = new Deadline(Date.now(), undefined, undefined, Number.MAX_SAFE_INTEGER);
    expect(ask(roomy, 2048).some((x) => x)).toBe(false);
    expect(roomy.memory).toBe(false);
  });
});

describe('heapFull', () => {
  it('is never full without a limit, and is against a tiny or a huge one', () => {
    expect(heapFull(undefined)).toBe(false);
    expect(heapFull(1)).toBe(true);
    expect(heapFull(Number.MAX_SAFE_INTEGER)).toBe(false);
    const def = defaultMaxMemoryBytes();
    expect(Number.isInteger(def)).toBe(true);
    // three quarters of what V8 lets this process have
    expect(Math.abs(def - 0.75 * getHeapStatistics().heap_size_limit)).toBeLessThan(1);
    expect(heapFull(def)).toBe(false);
    expect(heapFull(def * 2)).toBe(false);
  });
});
