/**
 * The file form of a schedule (checker/trace.ts): a path of thread indices as
 * runs of [thread, steps] and back, and the digest that says whether two
 * traces did exactly the same thing.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../checker/execution.ts';
import { pathToRuns, runsToPath, traceDigest } from '../../checker/trace.ts';

const names = ['T0', 'T1', 'T2'];

describe('pathToRuns and runsToPath', () => {
  it('groups consecutive steps of a thread, and expands them back', () => {
    const path = [0, 0, 1, 2, 2, 2, 0];
    const runs = pathToRuns(path, names);
    expect(runs).toEqual([
      ['T0', 2],
      ['T1', 1],
      ['T2', 3],
      ['T0', 1],
    ]);
    expect(runsToPath(runs, names)).toEqual(path);
    expect(pathToRuns([], names)).toEqual([]);
    expect(runsToPath([], names)).toEqual([]);
  });

  it('names a thread the scenario lacks by its index, and refuses a name it does not have', () => {
    expect(pathToRuns([5, 5], names)).toEqual([['#5', 2]]);
    expect(() => runsToPath([['T9', 1]], names)).toThrow('schedule names thread "T9", which the scenario does not have');
    expect(runsToPath([['T2', 0]], names)).toEqual([]);
  });
});

describe('traceDigest', () => {
  const step = (over: Partial<Step> = {}): Step => ({
    index: 0,
    thread: 'T0',
    stack: ['op', 'inner'],
    action: 'lock(A)',
    notes: [],
    context: [],
    changes: [{ obj: 'A', field: 'owner', from: null, to: 'T0' }],
    reads: [],
    writes: [],
    events: [],
    ...over,
  });
  const d = (...steps: Step[]) => traceDigest(steps);

  it('is the same for the same trace, and 16 hex digits', () => {
    expect(d(step(), step())).toBe(d(step(), step()));
    expect(d(step())).toMatch(/^[0-9a-f]{16}$/);
    expect(d()).not.toBe(d(step()));
  });

  it('changes with the thread, the stack, the action, the changes, the value returned and the order', () => {
    const base = d(step());
    const variants = [
      step({ thread: 'T1' }),
      step({ stack: ['op'] }),
      step({ stack: ['opinner'] }),
      step({ action: 'lock(B)' }),
      step({ changes: [] }),
      step({ changes: [{ obj: 'A', field: 'owner', from: null, to: 'T1' }] }),
      step({ returned: { op: 'op', value: null } }),
      step({ returned: { op: 'op', value: 1 } }),
    ];
    const all = variants.map((s) => d(s));
    expect(all).not.toContain(base);
    expect(new Set(all).size).toBe(variants.length);
    expect(d(step(), step({ thread: 'T1' }))).not.toBe(d(step({ thread: 'T1' }), step()));
  });

  it('ignores what only the report shows: notes, context, reads, writes, events, the index', () => {
    const base = d(step());
    expect(d(step({ notes: ['n'], context: ['A'], reads: ['x'], writes: ['y'], events: [{ type: 'e' }], index: 9 }))).toBe(base);
  });
});
