/**
 * The counterexamples a search keeps (checker/search/findings.ts): the best is
 * the shortest, then the one with fewer context switches; with collectAll the
 * best of each kind; only violations isFailure accepts; firstOnly and
 * endsSearch stop the search. And a loop of the state graph read as a
 * livelock (checker/search/cycle.ts).
 */
import { describe, expect, it } from 'vitest';
import { Execution } from '../../checker/execution.ts';
import { cycle, onPath } from '../../checker/search/cycle.ts';
import { better, Findings } from '../../checker/search/findings.ts';
import { toySystem } from './toy-system.ts';

const v = (kind: string) => ({ kind, message: kind });

describe('better', () => {
  it('prefers fewer steps, then fewer switches; anything beats nothing', () => {
    const f = (path: number[], switches: number) => ({ path, switches, violation: v('x') });
    expect(better(f([0], 0), null)).toBe(true);
    expect(better(f([0], 0), undefined)).toBe(true);
    expect(better(f([0, 1], 1), f([0, 0, 0], 0))).toBe(true);
    expect(better(f([0, 0, 0], 0), f([0, 1], 1))).toBe(false);
    expect(better(f([0, 0], 0), f([0, 1], 1))).toBe(true);
    expect(better(f([0, 1], 1), f([0, 0], 0))).toBe(false);
    expect(better(f([0, 0], 0), f([1, 1], 0))).toBe(false);
  });
});

describe('Findings', () => {
  it('keeps the best overall, a copy of the path, and the switches it counted', () => {
    const f = new Findings(() => true, false, false);
    const path = [0, 1, 0];
    f.add(path, v('a'));
    path.push(1);
    expect(f.best).toEqual({ path: [0, 1, 0], violation: v('a'), switches: 2 });
    f.add([0, 0, 1], v('b'));
    expect(f.best?.violation.kind).toBe('b');
    f.add([1, 1, 1, 1], v('c'));
    f.add([1, 0, 0], v('d'));
    expect(f.best?.violation.kind).toBe('b');
    expect(f.byKind.size).toBe(0);
    expect(f.stop).toBe(false);
  });

  it('with collectAll, the best of each kind', () => {
    const f = new Findings(() => true, true, false);
    f.add([0, 1, 0, 1], v('a'));
    f.add([0, 0], v('b'));
    f.add([0, 0, 0], v('a'));
    f.add([0, 1, 1], v('a'));
    expect(f.byKind.get('a')?.path).toEqual([0, 0, 0]);
    expect(f.byKind.get('b')?.path).toEqual([0, 0]);
    expect(f.best?.path).toEqual([0, 0]);
    const p = [1];
    f.add(p, v('c'));
    p.push(0);
    expect(f.byKind.get('c')?.path).toEqual([1]);
  });

  it('counts only what isFailure accepts, and stops at the first with firstOnly or endsSearch', () => {
    const only = new Findings((x) => x.kind === 'a', true, false);
    only.add([0], v('b'));
    expect(only.best).toBeNull();
    expect(only.byKind.size).toBe(0);
    only.add([0, 0], v('a'));
    expect(only.best?.violation.kind).toBe('a');
    const first = new Findings(() => true, false, true);
    first.add([0], v('a'));
    expect(first.stop).toBe(true);
    const ends = new Findings(
      () => true,
      false,
      false,
      (x) => x.kind === 'fatal',
    );
    ends.add([0], v('a'));
    expect(ends.stop).toBe(false);
    ends.add([0, 0], v('fatal'));
    expect(ends.stop).toBe(true);
    // a refused violation stops nothing
    const refused = new Findings(
      () => false,
      false,
      true,
      () => true,
    );
    refused.add([0], v('a'));
    expect(refused.stop).toBe(false);
  });
});

describe('onPath and cycle', () => {
  const fp = (a: number, b: number, key?: string) => ({ a, b, ...(key === undefined ? {} : { key }) });
  it('finds the deepest state of the path with the fingerprint, among the first `length`', () => {
    const path = [{ state: fp(1, 2) }, { state: null }, { state: fp(3, 4) }, { state: fp(1, 2) }];
    expect(onPath(path, 4, fp(1, 2))).toBe(3);
    expect(onPath(path, 3, fp(1, 2))).toBe(0);
    expect(onPath(path, 4, fp(3, 4))).toBe(2);
    expect(onPath(path, 2, fp(3, 4))).toBe(-1);
    expect(onPath(path, 4, fp(1, 3))).toBe(-1);
    expect(onPath(path, 4, fp(2, 2))).toBe(-1);
    expect(onPath(path, 0, fp(1, 2))).toBe(-1);
    // with exact keys, the key decides too
    const keyed = [{ state: fp(1, 2, 'x') }];
    expect(onPath(keyed, 1, fp(1, 2, 'x'))).toBe(0);
    expect(onPath(keyed, 1, fp(1, 2, 'y'))).toBe(-1);
  });

  it('reads a loop as a livelock of the thread that closed it', () => {
    const exec = new Execution(toySystem(true), {
      threads: [
        { name: 'T0', ops: [] },
        { name: 'T1', ops: [] },
      ],
    });
    expect(cycle(exec, 3, 1)).toEqual({
      kind: 'livelock',
      message: 'the execution came back to a state it was in 3 steps earlier (last step by T1): it can run forever',
      thread: 'T1',
    });
    expect(cycle(exec, 2, 7).thread).toBe('?');
  });
});
