import { describe, expect, it } from 'vitest';
import type { World } from '../../checker/world.ts';
import { acquireDeps, analyze, findRecursion, nodeOf, prevsOf } from '../../kernel/lockdep/deps.ts';
import { DepGraph, isExclusiveStart, isReadEnd } from '../../kernel/lockdep/graph.ts';
import { LockdepMonitor } from '../../kernel/lockdep/monitor.ts';
import { mutex_init, mutex_lock, mutex_trylock, mutex_unlock } from '../../kernel/mutex.ts';
import { down_read, down_read_trylock, down_write_trylock, init_rwsem, up_read, up_write } from '../../kernel/rwsem.ts';
import type { HeldLock, LockKind } from '../../kernel/task.ts';
import { ww_mutex_init, ww_mutex_trylock, ww_mutex_unlock } from '../../kernel/ww_mutex.ts';
import { type LockCall, LockDriver, lockSystem } from './locks.ts';

/**
 * Lockdep's rules, each on its own: which acquisitions it is told of, which
 * dependencies an acquisition adds given the held locks (lockdep.c
 * check_prevs_add, check_deadlock), and the dependency graph as a state: its key
 * and the class usage it remembers.
 */

function setup(w: World): void {
  mutex_init(w, '&a', { id: 'a' });
  mutex_init(w, '&b', { id: 'b' });
  mutex_init(w, '&c', { id: 'c' });
  init_rwsem(w, '&sem', { id: 'sem' });
  ww_mutex_init(w, 'reservation_ww_class_mutex', { id: 'ww' });
}

function acquires(d: LockDriver, thread: string) {
  return d.exec.steps
    .filter((s) => s.thread === thread)
    .flatMap((s) => s.events)
    .filter((e) => e.type === 'acquire');
}

describe('lockdep is told of a successful trylock, and of no failed one', () => {
  const TRYLOCKS: readonly [string, LockCall, LockCall, string, LockKind][] = [
    ['mutex_trylock', [mutex_trylock, 'a'], [mutex_unlock, 'a'], '&a', 'W'],
    ['ww_mutex_trylock', [ww_mutex_trylock, 'ww'], [ww_mutex_unlock, 'ww'], 'reservation_ww_class_mutex', 'W'],
    ['down_read_trylock', [down_read_trylock, 'sem'], [up_read, 'sem'], '&sem', 'r'],
    ['down_write_trylock', [down_write_trylock, 'sem'], [up_write, 'sem'], '&sem', 'W'],
  ];

  for (const [fn, take, drop, cls, kind] of TRYLOCKS) {
    it(`${fn}: an acquire annotation (trylock) when it succeeds; none when it fails`, () => {
      const ok = new LockDriver(lockSystem(setup, { T: [take, drop] }), { record: 'full' });
      ok.call('T').call('T');
      expect(ok.results('T')).toEqual([true]);
      expect(acquires(ok, 'T')).toEqual([
        { type: 'acquire', lock: take[1], class: cls, lockType: expect.any(String), kind, trylock: true, might: false, at: 'T', fn },
      ]);

      // another task holds it for write: the trylock fails and lockdep hears nothing
      const holder: LockCall = take[1] === 'sem' ? [down_write_trylock, 'sem'] : [mutex_trylock, take[1]];
      const busy = new LockDriver(lockSystem(setup, { H: [holder], T: [take] }), { record: 'full' });
      busy.call('H').call('T');
      expect(busy.results('T')).toEqual([false]);
      expect(acquires(busy, 'H')).toHaveLength(1);
      expect(acquires(busy, 'T')).toEqual([]);
    });
  }

  it('a successful trylock is a held lock later acquisitions depend on', () => {
    for (const take of [
      [mutex_trylock, 'b'],
      [down_read_trylock, 'sem'],
    ] as const satisfies readonly LockCall[]) {
      const m = new LockdepMonitor();
      const d = new LockDriver(lockSystem(setup, { T: [take, [mutex_lock, 'c']] }), { monitors: [m] });
      d.call('T').call('T');
      expect(d.exec.violation).toBeNull();
      expect(m.key()).toBe(`${take[1] === 'b' ? '&b' : '&sem'}>&c:${take[1] === 'b' ? 2 : 8}`);
    }
  });
});

function held(cls: string, kind: LockKind, trylock = false): HeldLock {
  return { lock: cls, class: cls, type: 'mutex', kind, trylock, at: 'f' };
}
const next = (cls: string, kind: LockKind = 'W') => nodeOf(held(cls, kind), 'lock');

describe('which held locks an acquisition depends on (check_prevs_add)', () => {
  // held stack, oldest first ('~' marks a trylock) -> the classes that get an edge to C
  const TABLE: readonly [string, string][] = [
    ['', ''],
    ['A', 'A'],
    ['A B', 'B'],
    // a trylock adds no edges of its own, so the locks beneath it need their direct edge
    ['A ~B', 'B A'],
    ['~A ~B', 'B A'],
    ['A ~B ~D', 'D B A'],
    ['A B ~D', 'D B'],
    ['~A B', 'B'],
  ];
  for (const [stack, prevs] of TABLE) {
    it(`held [${stack}]: edges from [${prevs}]`, () => {
      const h = stack
        .split(' ')
        .filter((x) => x)
        .map((x) => held(x.replace('~', ''), 'W', x.startsWith('~')));
      expect(prevsOf(h).map((x) => x.class)).toEqual(prevs.split(' ').filter((x) => x));
      expect(acquireDeps(h, next('C')).map((d) => `${d.prev.class}>${d.next.class}`)).toEqual(
        prevs
          .split(' ')
          .filter((x) => x)
          .map((p) => `${p}>C`),
      );
    });
  }

  it('the same through the monitor: a lock under a trylock under a lock depends on both', () => {
    const m = new LockdepMonitor();
    const d = new LockDriver(
      lockSystem(setup, {
        T: [
          [mutex_lock, 'a'],
          [mutex_trylock, 'b'],
          [mutex_lock, 'c'],
        ],
      }),
      { monitors: [m] },
    );
    d.call('T').call('T').call('T');
    expect(m.key()).toBe('&a>&c:2;&b>&c:2');
  });

  it('the dependency type: E/S from how the held lock is held, R/N from how the new one is taken', () => {
    const types = (prev: LockKind, nextKind: LockKind) => acquireDeps([held('A', prev)], next('C', nextKind))[0]?.type;
    expect([types('W', 'W'), types('W', 'r'), types('W', 'R'), types('r', 'W'), types('r', 'R'), types('R', 'R'), types('R', 'r')]).toEqual(
      ['EN', 'EN', 'ER', 'SN', 'SR', 'SR', 'SN'],
    );
    expect(acquireDeps([held('A', 'W')], next('C'), 'wait')[0]?.mode).toBe('wait');
  });
});

describe('same-class recursion (check_deadlock)', () => {
  // held kind of class A, new kind of class A -> recursion
  const TABLE: readonly [LockKind, LockKind, boolean][] = [
    ['W', 'W', true],
    ['W', 'r', true],
    ['W', 'R', true],
    ['r', 'W', true],
    // a non-recursive read after a read is recursion too (down_read twice can deadlock)
    ['r', 'r', true],
    // a recursive read after any read is not
    ['r', 'R', false],
    ['R', 'R', false],
    ['R', 'W', true],
  ];
  for (const [prev, kind, rec] of TABLE) {
    it(`A held ${prev}, A taken ${kind}: ${rec ? 'recursion' : 'fine'}`, () => {
      expect(findRecursion([held('B', 'W'), held('A', prev)], next('A', kind))?.class ?? null).toBe(rec ? 'A' : null);
    });
  }

  it('another class is never recursion; the first held lock of the class is the one reported', () => {
    expect(findRecursion([held('B', 'W')], next('A'))).toBeNull();
    const first = { ...held('A', 'r'), at: 'first' };
    expect(findRecursion([first, held('A', 'r')], next('A', 'W'))?.at).toBe('first');
  });

  it('a trylock is analysed for neither recursion nor dependencies', () => {
    const ev = {
      type: 'acquire',
      lock: 'A',
      class: 'A',
      lockType: 'mutex',
      kind: 'W',
      trylock: true,
      might: false,
      at: 'f',
      fn: 'mutex_trylock',
    };
    expect(analyze(ev, [held('A', 'W')])).toBeNull();
    expect(analyze({ ...ev, trylock: false }, [held('A', 'W')])?.recursion?.prev.class).toBe('A');
    expect(analyze({ ...ev, trylock: false, class: 'C' }, [held('A', 'W')])?.deps.map((d) => d.prev.class)).toEqual(['A']);
  });

  it('a wait depends on the held locks but its own class; a signal makes its class need every held lock', () => {
    const w = analyze({ type: 'wait', object: 'f', class: 'M', at: 'f', fn: 'dma_fence_wait' }, [held('A', 'W'), held('M', 'r')]);
    expect(w?.deps.map((d) => `${d.mode} ${d.prev.class}>${d.next.class}:${d.type}`)).toEqual(['wait A>M:EN']);
    expect(analyze({ type: 'wait', object: 'c', class: null, at: 'f', fn: 'wait_for_completion' }, [held('A', 'W')])).toBeNull();
    const s = analyze({ type: 'signal', object: 'f', class: 'M', at: 'f', fn: 'dma_fence_signal' }, [
      held('A', 'W'),
      held('M', 'r'),
      held('B', 'r'),
    ]);
    expect(s?.deps.map((d) => `${d.mode} ${d.prev.class}>${d.next.class}:${d.type}`)).toEqual(['signal M>A:EN', 'signal M>B:EN']);
    expect(analyze({ type: 'release', lock: 'A', class: 'A', at: 'f', fn: 'mutex_unlock' }, [])).toBeNull();
  });
});

describe('the dependency graph as a state', () => {
  const EDGES: readonly [string, string, 'EN' | 'SN' | 'ER' | 'SR'][] = [
    ['&a', '&b', 'EN'],
    ['&b', '&c', 'SN'],
    ['&a', '&c', 'ER'],
    ['&a', '&b', 'SR'],
  ];

  it('the key is the edge set with types, whatever the order edges came in', () => {
    const forward = new DepGraph<string>();
    const backward = new DepGraph<string>();
    for (const [f, t, ty] of EDGES) forward.add(f, t, ty, 'w');
    for (const [f, t, ty] of [...EDGES].reverse()) backward.add(f, t, ty, 'w');
    expect(forward.key()).toBe('&a>&b:6;&a>&c:1;&b>&c:8');
    expect(backward.key()).toBe(forward.key());
  });

  it('the key follows every new edge or type, and a repeated one changes nothing', () => {
    const g = new DepGraph<string>();
    expect(g.key()).toBe('');
    expect(g.add('&a', '&b', 'EN', 'first')).toBe(true);
    expect(g.key()).toBe('&a>&b:2');
    expect(g.add('&a', '&b', 'EN', 'second')).toBe(false);
    expect(g.edge('&a', '&b')?.witness[1]).toBe('first');
    expect(g.add('&a', '&b', 'SN', 'third')).toBe(true);
    expect(g.key()).toBe('&a>&b:10');
    expect(g.size).toBe(1);
    expect(g.add('&b', '&a', 'EN', 'w')).toBe(true);
    expect([g.size, g.key()]).toEqual([2, '&a>&b:10;&b>&a:2']);
  });

  it('has(): an edge of that very type', () => {
    const g = new DepGraph<string>();
    g.add('&a', '&b', 'EN', 'w');
    expect([g.has('&a', '&b', 'EN'), g.has('&a', '&b', 'SN'), g.has('&b', '&a', 'EN'), g.has('&x', '&y', 'EN')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('edge types: which end in a recursive read, which start from an exclusive hold', () => {
    const types = ['ER', 'EN', 'SR', 'SN'] as const;
    expect(types.map((t) => isReadEnd(t))).toEqual([true, false, true, false]);
    expect(types.map((t) => isExclusiveStart(t))).toEqual([true, true, false, false]);
  });

  it('strong paths (lockdep __bfs): no -(xR)-> directly followed by -(Sx)->', () => {
    const path = (edges: [string, string, 'EN' | 'SN' | 'ER' | 'SR'][], src: string, viaR: boolean, target: string, excl: boolean) => {
      const g = new DepGraph<string>();
      for (const [f, t, ty] of edges) g.add(f, t, ty, `${f}${t}`);
      return g.strongPath(src, viaR, target, excl)?.map((h) => `${h.from}>${h.to}:${h.type}`) ?? null;
    };
    expect(
      path(
        [
          ['A', 'B', 'EN'],
          ['B', 'C', 'SN'],
        ],
        'A',
        false,
        'C',
        true,
      ),
    ).toEqual(['A>B:EN', 'B>C:SN']);
    // a recursive read into B cannot be followed by B held shared
    expect(
      path(
        [
          ['A', 'B', 'ER'],
          ['B', 'C', 'SN'],
        ],
        'A',
        false,
        'C',
        true,
      ),
    ).toBeNull();
    expect(
      path(
        [
          ['A', 'B', 'ER'],
          ['B', 'C', 'EN'],
        ],
        'A',
        false,
        'C',
        true,
      ),
    ).toEqual(['A>B:ER', 'B>C:EN']);
    // the same edge in both types: the search takes the one that keeps the path strong
    expect(
      path(
        [
          ['A', 'B', 'ER'],
          ['A', 'B', 'EN'],
          ['B', 'C', 'SN'],
        ],
        'A',
        false,
        'C',
        true,
      ),
    ).toEqual(['A>B:EN', 'B>C:SN']);
    // entering the source by a recursive read: its first edge must leave it exclusively
    expect(path([['A', 'B', 'SN']], 'A', true, 'B', true)).toBeNull();
    expect(path([['A', 'B', 'EN']], 'A', true, 'B', true)).toEqual(['A>B:EN']);
    // arriving at the target by a recursive read only conflicts if the closing edge leaves it exclusively
    expect(path([['A', 'B', 'ER']], 'A', false, 'B', false)).toBeNull();
    expect(path([['A', 'B', 'ER']], 'A', false, 'B', true)).toEqual(['A>B:ER']);
    expect(path([], 'A', false, 'A', true)).toEqual([]);
    expect(path([], 'A', true, 'A', false)).toBeNull();
    expect(
      path(
        [
          ['A', 'B', 'EN'],
          ['B', 'A', 'EN'],
        ],
        'A',
        true,
        'A',
        false,
      ),
    ).toEqual(['A>B:EN', 'B>A:EN']);
    // shortest first, and no endless walk round a cycle that misses the target
    expect(
      path(
        [
          ['A', 'B', 'EN'],
          ['B', 'C', 'EN'],
          ['C', 'D', 'EN'],
          ['A', 'D', 'EN'],
          ['C', 'A', 'EN'],
        ],
        'A',
        false,
        'D',
        true,
      ),
    ).toEqual(['A>D:EN']);
    expect(
      path(
        [
          ['A', 'B', 'EN'],
          ['B', 'A', 'EN'],
        ],
        'A',
        false,
        'Z',
        true,
      ),
    ).toBeNull();
  });

  it('a better witness replaces the kept one, without changing the key', () => {
    const g = new DepGraph<string>();
    g.add('&a', '&b', 'EN', 'long witness');
    const key = g.key();
    g.add('&a', '&b', 'EN', 'short', (x, y) => x.length < y.length);
    expect(g.edge('&a', '&b')?.witness[1]).toBe('short');
    g.add('&a', '&b', 'EN', 'much longer witness', (x, y) => x.length < y.length);
    expect(g.edge('&a', '&b')?.witness[1]).toBe('short');
    expect(g.key()).toBe(key);
  });

  it('a clone is independent of the original, both ways', () => {
    const g = new DepGraph<string>();
    g.add('&a', '&b', 'EN', 'w');
    g.noteClass('&a', 'mutex');
    const c = g.clone();
    expect([c.key(), c.size, c.classType('&a')]).toEqual([g.key(), 1, 'mutex']);
    c.add('&b', '&c', 'EN', 'w');
    c.add('&a', '&b', 'SN', 'w');
    c.noteClass('&c', 'rwsem');
    expect([g.key(), g.size, g.classType('&c')]).toEqual(['&a>&b:2', 1, undefined]);
    g.add('&c', '&a', 'EN', 'w');
    expect(c.edge('&c', '&a')).toBeUndefined();
    expect(c.key()).toBe('&a>&b:10;&b>&c:2');
  });

  it('noteClass: the first use of a class is kept, but a real lock type wins over a lockdep map', () => {
    const g = new DepGraph<string>();
    expect(g.wouldNote('&x', 'map')).toBe(true);
    g.noteClass('&x', 'map');
    expect(g.classType('&x')).toBe('map');
    expect(g.wouldNote('&x', 'map')).toBe(false);
    expect(g.wouldNote('&x', 'rwsem')).toBe(true);
    g.noteClass('&x', 'rwsem');
    expect(g.classType('&x')).toBe('rwsem');
    expect(g.wouldNote('&x', 'mutex')).toBe(false);
    g.noteClass('&x', 'mutex');
    g.noteClass('&x', 'map');
    expect(g.classType('&x')).toBe('rwsem');
  });

  it('the monitor notes the class of every lock it sees, a trylocked one included', () => {
    const m = new LockdepMonitor();
    const d = new LockDriver(
      lockSystem(setup, {
        T: [
          [down_read_trylock, 'sem'],
          [mutex_trylock, 'a'],
          [down_read, 'sem'],
        ],
      }),
      { monitors: [m] },
    );
    d.call('T').call('T');
    expect([m.dependencies.classType('&sem'), m.dependencies.classType('&a')]).toEqual(['rwsem', 'mutex']);
  });

  it('edges() lists every edge once; anyPath ignores types, strongPath does not', () => {
    const g = new DepGraph<string>();
    for (const [f, t, ty] of EDGES) g.add(f, t, ty, `${f}${t}${ty}`);
    expect([...g.edges()].map((e) => `${e.from}>${e.to}`)).toEqual(['&a>&b', '&a>&c', '&b>&c']);
    expect(g.anyPath('&a', '&c')?.map((h) => `${h.from}>${h.to}`)).toEqual(['&a>&c']);
    expect(g.anyPath('&b', '&a')).toBeNull();
    expect(g.anyPath('&a', '&a')).toEqual([]);
    g.add('&c', '&d', 'EN', 'cd');
    expect(g.anyPath('&b', '&d')?.map((h) => `${h.from}>${h.to}:${h.type}:${h.witness}`)).toEqual(['&b>&c:SN:&b&cSN', '&c>&d:EN:cd']);
  });
});
