/**
 * ../shared/spin/vfio_dmabuf_tight.pml as a system of this engine: the same
 * processes, shared variables, atomic steps and assertions, so that the two
 * checkers can be compared on the same work. One scheduling point here is one
 * Promela transition (a d_step, a plain statement, or an `if` guard); the code
 * follows the Promela line by line, inline by inline.
 *
 * Every variable the Promela state vector holds is in the world: each global
 * (array element) is an object of its own, with a field `v`, so that
 * footprints are as fine as SPIN's; each process has an object `P.<name>`
 * with its location (`pc`, the label of the point it waits at) and its loop
 * counters `d`, `e`. The world alone is thus the Promela state (search.ts keys
 * on it); the engine's own searches key on more (thread logs), see search.ts.
 * Two Promela statements are two locations even when their futures are the
 * same (the writer's `devusers--` after MEM=0 and after MEM=1): each point's
 * label names one statement, or SPIN's count and this one part.
 *
 * The writer's MEM=0/MEM=1 choice is Promela's only nondeterministic `if`
 * (both options guarded by WLOCK_FREE). A thread of this engine has no choice
 * of its own: the choice point reads `oracle.v`, which search.ts sets to each
 * option in turn; when nothing sets it, the writer follows its `mems` argument
 * (one scenario per choice vector, for the engine's own searches).
 */
import type { Ctx, OpFn } from '../../checker/context.ts';
import { ViolationSignal } from '../../checker/context.ts';
import type { Point } from '../../checker/point.ts';
import type { OpCall, Scenario, System, ThreadSpec } from '../../checker/scenario.ts';
import { type SymmetryGroup, symmetryGroups } from '../../checker/symmetry.ts';
import type { Args, Value } from '../../checker/value.ts';
import type { World } from '../../checker/world.ts';
import { DEFAULTS, NB, type TightParams } from './config.ts';

export { CONFIGS, type ConfigName, DEFAULTS, paramsOf, spinDefines, type TightParams } from './config.ts';

// ---- shared state --------------------------------------------------------

const get = (w: World, name: string): number => {
  const v = w.get(name, 'v');
  return v === true ? 1 : v === false ? 0 : (v as number);
};
const is = (w: World, name: string): boolean => w.get(name, 'v') === true;
const peekIs = (w: World, name: string): boolean => w.peek(name, 'v') === true;
const put = (w: World, name: string, v: Value): void => w.set(name, 'v', v);
const add = (w: World, name: string, by: number): void => put(w, name, get(w, name) + by);

const ibuf = (i: number) => i % NB;
const isSync = (p: TightParams, i: number) => ((p.syncmask >> i) & 1) === 1;
const wlockFree = (w: World) => !peekIs(w, 'wlock') && w.peek('rcount', 'v') === 0;

/** A failed Promela assert: the property it stands for, and the assertion's text. */
function check(cond: boolean, kind: string, text: string): void {
  if (!cond) throw new ViolationSignal({ kind, message: `assertion violated: ${text}` });
}

/** Promela's globals, as declared (before init runs). */
function declareGlobals(w: World, p: TightParams): void {
  for (const [name, v] of [
    ['wlock', false],
    ['rcount', 0],
    ['mem_enabled', true],
    ['dev_open', true],
    ['devfd', true],
    ['devusers', 0],
    ['barmapped', false],
  ] as const)
    w.create('var', { v }, null, name);
  for (let b = 0; b < NB; b++)
    for (const [name, v] of [
      ['revoked', false],
      ['linked', false],
      ['vdevp', false],
      ['fileref', 0],
      ['kref', 0],
      ['comp', 0],
      ['resv', false],
      ['freed', false],
    ] as const)
      w.create('var', { v }, null, `${name}${b}`);
  for (let i = 0; i < p.ni; i++) {
    w.create('var', { v: false }, null, `attached${i}`);
    w.create('var', { v: false }, null, `mapped${i}`);
  }
  w.create('oracle', { v: -1 }, null, 'oracle');
}

/** init's d_step: the dma-bufs on the list, each importer's file reference. */
function initStep(w: World, p: TightParams): void {
  for (let b = 0; b < NB; b++) {
    put(w, `linked${b}`, true);
    put(w, `vdevp${b}`, true);
    put(w, `kref${b}`, 1);
    put(w, `fileref${b}`, 1);
  }
  for (let i = 0; i < p.ni; i++) add(w, `fileref${ibuf(i)}`, 1);
}

// ---- processes -------------------------------------------------------------

/** The processes init runs, in its order (their pids are 1, 2, ...). */
export function processes(p: TightParams): ThreadSpec[] {
  const out: ThreadSpec[] = [{ name: 'closer', ops: [{ op: 'closer', args: {} }] }];
  for (let w = 0; w < p.nw; w++) out.push({ name: `writer${w}`, ops: [{ op: 'writer', args: { mems: [] } }] });
  for (let i = 0; i < p.ni; i++) out.push({ name: `importer${i}`, ops: [{ op: 'importer', args: { i } }] });
  for (let b = 0; b < NB; b++) {
    out.push({ name: `fdcloser${b}`, ops: [{ op: 'fdcloser', args: { b } }] });
    out.push({ name: `releaser${b}`, ops: [{ op: 'releaser', args: { b } }] });
  }
  if (p.nf >= 1) out.push({ name: 'faulter', ops: [{ op: 'faulter', args: {} }] });
  return out;
}

const procId = (thread: string) => `P.${thread}`;
const NO_YOUNGER: readonly string[] = [];
const START = 'start';
const END = 'end';
const REMOVED = 'removed';

/** A transition's atomic effect; its result, if any, is what the process's `yield` gives back. */
type Effect = ((w: World) => Value | undefined) | ((w: World) => void);

/**
 * One Promela process as it runs: its location and loop counters are written
 * to its world object as it moves, so that the world is its whole state.
 *
 * It is made when the process starts, in whichever branch of a search starts
 * it, and every frame of the process holds it. So it is not a class instance:
 * the compiled engine tells those apart by identity (checker/compiled/identity.ts),
 * and two branches that start a process at different times would never meet
 * in one state again (T1 with sleep sets passed 5.9M states, 17× SPIN's whole
 * count, inside one of its four scenarios). Made over a table and never
 * written after, it is its fields: the thread, and the system's own params
 * and list of younger processes, which every branch shares.
 */
interface Proc {
  readonly ctx: Ctx;
  readonly p: TightParams;
  /** the processes created after this one (they exit first) */
  readonly younger: readonly string[];
  readonly id: string;
}

const PROC_TABLE: object = Object.freeze({});
function proc(ctx: Ctx, p: TightParams, younger: readonly string[]): Proc {
  return Object.assign(Object.create(PROC_TABLE) as object, { ctx, p, younger, id: procId(ctx.thread) });
}

/** Where a process is before its first transition: setup's `start`, or `unborn` until init's run (SPIN counting). */
const BEFORE_FIRST: readonly Value[] = [START, 'unborn'];

/**
 * A transition at location `loc`: blocked while `enabled` is false (which
 * reads only `locs`), then `fire` runs atomically; its result is returned.
 */
function* at(
  pr: Proc,
  loc: string,
  fire: Effect,
  enabled?: (w: World) => boolean,
  locs: readonly string[] = [],
): Generator<Point, Value | undefined, Value | undefined> {
  let guard = enabled;
  let effect = fire as (w: World) => Value | undefined;
  if (BEFORE_FIRST.includes(pr.ctx.get(pr.id, 'pc'))) {
    // the location `start` was written by setup or by init's run. The first transition leaves its label for
    // the next at() of the same step to see (which writes its own over it): the world after the step is as it was
    const id = pr.id;
    effect = (w) => {
      w.set(id, 'pc', loc);
      return fire(w) as Value | undefined;
    };
    if (pr.p.spinCounting) {
      const own = enabled;
      guard = (w) => w.peek('P.init', 'pc') === END && (own === undefined || own(w));
      locs = [...locs, 'P.init'];
    }
  } else pr.ctx.set(pr.id, 'pc', loc);
  return yield { action: loc, locs, ...(guard ? { enabled: guard } : {}), fire: effect };
}

function local(pr: Proc, field: 'd' | 'e', v: number): void {
  pr.ctx.set(pr.id, field, v);
}

/** The end of the proctype: its exit step when counting as SPIN does. */
function* exit(pr: Proc): Generator<Point, void, Value | undefined> {
  pr.ctx.set(pr.id, 'pc', END);
  if (!pr.p.spinCounting) return;
  const younger = pr.younger.map(procId);
  yield {
    action: '-end-',
    locs: younger,
    enabled: (w) => younger.every((y) => w.peek(y, 'pc') === REMOVED),
    fire: (w) => {
      w.set(pr.id, 'pc', REMOVED);
      return undefined;
    },
  };
}

function kref_put(w: World, p: TightParams, b: number): void {
  if (!p.nop3) check(get(w, `kref${b}`) > 0, 'kref', `kref[${b}] > 0`);
  add(w, `kref${b}`, -1);
  if (get(w, `kref${b}`) === 0) add(w, `comp${b}`, 1);
}

/** The synchronous importers' invalidate callbacks unmap (and drop their kref) under resv. */
function invalidate(w: World, p: TightParams, b: number): void {
  for (let j = 0; j < p.ni; j++)
    if (is(w, `attached${j}`) && ibuf(j) === b && isSync(p, j) && is(w, `mapped${j}`)) {
      put(w, `mapped${j}`, false);
      kref_put(w, p, b);
    }
}

/** Property 2: no importer mapping of the buffer when move(true) finishes it. */
function nomaps(w: World, p: TightParams, b: number): void {
  if (p.nop2) return;
  for (let j = 0; j < p.ni; j++) check(!(is(w, `mapped${j}`) && ibuf(j) === b), 'nomaps', `!(mapped[${j}] && IBUF(${j}) == ${b})`);
}

const onList = (w: World, b: number) => is(w, `linked${b}`) && get(w, `fileref${b}`) > 0;

function fput(w: World, b: number): void {
  check(get(w, `fileref${b}`) > 0, 'fileref', `fileref[${b}] > 0`);
  add(w, `fileref${b}`, -1);
}

function* resv_lock(pr: Proc, loc: string, b: number) {
  yield* at(
    pr,
    loc,
    (w) => put(w, `resv${b}`, true),
    (w) => !peekIs(w, `resv${b}`),
    [`resv${b}`],
  );
}

function* resv_unlock(pr: Proc, loc: string, b: number) {
  yield* at(pr, loc, (w) => put(w, `resv${b}`, false));
}

/**
 * One element of the move loop (`do` at location `loc`, d < NB or d == NB):
 * skip it, find it already in the wanted state, or take a reference to
 * (re/un)voke it; `last` is the option at d == NB.
 */
type MoveOption = 'skip' | 'idem' | 'take' | 'last';
function moveStep(w: World, d: number, rev: boolean, last: Effect): MoveOption {
  if (d === NB) {
    last(w);
    return 'last';
  }
  if (!onList(w, d)) return 'skip';
  check(!is(w, `freed${d}`), 'freed', `!freed[${d}]`);
  if (is(w, `revoked${d}`) === rev) return 'idem';
  add(w, `fileref${d}`, 1);
  return 'take';
}

function* revoke_one(pr: Proc, L: (s: string) => string, d: number) {
  yield* resv_lock(pr, L('revoke: resv_lock'), d);
  yield* at(pr, L('revoke: revoked = true; invalidate'), (w) => {
    put(w, `revoked${d}`, true);
    invalidate(w, pr.p, d);
  });
  yield* resv_unlock(pr, L('revoke: resv_unlock'), d);
  if (pr.p.bug === 'nowait') {
    yield* at(pr, L('revoke: no wait; fput'), (w) => {
      nomaps(w, pr.p, d);
      fput(w, d);
    });
    return;
  }
  yield* at(pr, L('revoke: kref_put'), (w) => kref_put(w, pr.p, d));
  if (pr.p.bug === 'prefix')
    yield* at(
      pr,
      L('revoke: wait'),
      (w) => (add(w, `comp${d}`, -1), nomaps(w, pr.p, d)),
      (w) => (w.peek(`comp${d}`, 'v') as number) > 0,
      [`comp${d}`],
    );
  else
    yield* at(
      pr,
      L('revoke: wait; re-arm'),
      (w) => {
        add(w, `comp${d}`, -1);
        check(get(w, `kref${d}`) === 0, 'rearm', `kref[${d}] == 0`);
        put(w, `kref${d}`, 1);
        put(w, `comp${d}`, 0);
        nomaps(w, pr.p, d);
      },
      (w) => (w.peek(`comp${d}`, 'v') as number) > 0,
      [`comp${d}`],
    );
  yield* at(pr, L('revoke: fput'), (w) => fput(w, d));
}

function* unrevoke_one(pr: Proc, L: (s: string) => string, d: number) {
  yield* resv_lock(pr, L('unrevoke: resv_lock'), d);
  yield* at(pr, L('unrevoke: invalidate'), (w) => invalidate(w, pr.p, d));
  yield* resv_unlock(pr, L('unrevoke: resv_unlock'), d);
  if (pr.p.bug === 'prefix')
    yield* at(pr, L('unrevoke: re-arm'), (w) => {
      put(w, `kref${d}`, 1);
      put(w, `comp${d}`, 0);
    });
  yield* resv_lock(pr, L('unrevoke: resv_lock 2'), d);
  yield* at(pr, L('unrevoke: revoked = false'), (w) => put(w, `revoked${d}`, false));
  yield* resv_unlock(pr, L('unrevoke: resv_unlock 2'), d);
  yield* at(pr, L('unrevoke: fput'), (w) => fput(w, d));
}

/** The MEM choice: the search's oracle when it set one, else this scenario's choice. */
function chooseMem(w: World, fallback: number): number {
  const o = w.peek('oracle', 'v') as number;
  if (o < 0) return fallback;
  w.set('oracle', 'v', -1);
  return o;
}

export const CHOICE = '(choice) ';

/** The move loop of vfio_pci_dma_buf_move(vdev, rev) in the writer. */
function* move(pr: Proc, L: (s: string) => string, rev: boolean, last: (w: World) => void) {
  for (let d = 0; ; ) {
    const dd = d;
    const opt = (yield* at(pr, L(`move(${rev})`), (w) => moveStep(w, dd, rev, last))) as MoveOption;
    if (opt === 'last') break;
    if (opt === 'take') yield* rev ? revoke_one(pr, L, d) : unrevoke_one(pr, L, d);
    local(pr, 'd', ++d);
  }
  local(pr, 'd', 0);
}

function* writer_op(pr: Proc, k: number, mem: number) {
  const L = (s: string) => `op${k}: ${s}`;
  const open = yield* at(pr, L('devfd?'), (w) => {
    if (!is(w, 'devfd')) return false;
    add(w, 'devusers', 1);
    return true;
  });
  if (!open) return;
  const m = yield* at(
    pr,
    `${CHOICE}${L('zap_and_down_write (MEM=0) / down_write (MEM=1)')}`,
    (w) => {
      const c = chooseMem(w, mem);
      put(w, 'wlock', true);
      if (c === 0) put(w, 'barmapped', false);
      return c;
    },
    wlockFree,
    ['wlock', 'rcount'],
  );
  if (m === 0) {
    yield* move(pr, L, true, (w) => put(w, 'mem_enabled', false));
    yield* at(pr, L('up_write'), (w) => put(w, 'wlock', false));
    yield* at(pr, L('devusers-- (MEM=0)'), (w) => add(w, 'devusers', -1));
  } else {
    yield* at(pr, L('mem_enabled = true'), (w) => put(w, 'mem_enabled', true));
    yield* move(pr, L, false, (w) => put(w, 'wlock', false));
    yield* at(pr, L('devusers-- (MEM=1)'), (w) => add(w, 'devusers', -1));
  }
}

const writer = (p: TightParams, younger: readonly string[]): OpFn =>
  function* writerProc(ctx, args) {
    const pr = proc(ctx, p, younger);
    const mems = (args.mems ?? []) as readonly number[];
    for (let k = 0; k < p.wops; k++) yield* writer_op(pr, k, mems[k] ?? 0);
    yield* exit(pr);
    return null;
  };

const closer = (p: TightParams, younger: readonly string[]): OpFn =>
  function* closerProc(ctx) {
    const pr = proc(ctx, p, younger);
    yield* at(pr, 'devfd = false', (w) => put(w, 'devfd', false));
    yield* at(
      pr,
      'wait devusers == 0',
      () => undefined,
      (w) => w.peek('devusers', 'v') === 0,
      ['devusers'],
    );
    yield* at(pr, 'down_write', (w) => put(w, 'wlock', true), wlockFree, ['wlock', 'rcount']);
    // the pre-fix cleanup has no move(true): its loop starts at the orphans
    let d = p.bug === 'prefix' ? NB : 0;
    if (d !== 0) local(pr, 'd', d);
    const L = (s: string) => s;
    let e = 0;
    for (;;) {
      const dd = d;
      const ee = e;
      const opt = yield* at(pr, 'cleanup loop', (w) => {
        if (dd < NB) return moveStep(w, dd, true, () => undefined);
        if (ee < NB) {
          if (!onList(w, ee)) return 'orphan-skip';
          check(!is(w, `freed${ee}`), 'freed', `!freed[${ee}]`);
          add(w, `fileref${ee}`, 1);
          return 'orphan';
        }
        put(w, 'wlock', false);
        return 'last';
      });
      if (opt === 'last') break;
      if (opt === 'skip' || opt === 'idem' || opt === 'take') {
        if (opt === 'take') yield* revoke_one(pr, L, d);
        local(pr, 'd', ++d);
        continue;
      }
      if (opt === 'orphan') {
        if (p.bug === 'prefix') {
          yield* resv_lock(pr, 'orphan: resv_lock', e);
          yield* at(pr, 'orphan: unlink; revoke; invalidate', (w) => {
            put(w, `linked${ee}`, false);
            put(w, `vdevp${ee}`, false);
            put(w, `revoked${ee}`, true);
            invalidate(w, p, ee);
          });
          yield* resv_unlock(pr, 'orphan: resv_unlock', e);
          yield* at(pr, 'orphan: kref_put', (w) => kref_put(w, p, ee));
          yield* at(
            pr,
            'orphan: wait',
            (w) => (add(w, `comp${ee}`, -1), nomaps(w, p, ee)),
            (w) => (w.peek(`comp${ee}`, 'v') as number) > 0,
            [`comp${ee}`],
          );
        } else
          yield* at(pr, 'orphan: list_del_init; vdev = NULL', (w) => {
            put(w, `linked${ee}`, false);
            put(w, `vdevp${ee}`, false);
          });
        yield* at(pr, 'orphan: fput', (w) => fput(w, ee));
      }
      local(pr, 'e', ++e);
    }
    d = 0;
    e = 0;
    local(pr, 'd', 0);
    local(pr, 'e', 0);
    yield* at(pr, 'dev_open = false', (w) => put(w, 'dev_open', false));
    yield* exit(pr);
    return null;
  };

function* importer_round(pr: Proc, r: number, i: number, b: number) {
  const L = (s: string) => `round${r}: ${s}`;
  const revoked = yield* at(pr, L('revoked? (attach)'), (w) => is(w, `revoked${b}`));
  if (revoked) return;
  yield* resv_lock(pr, L('attach: resv_lock'), b);
  yield* at(pr, L('attached = true'), (w) => put(w, `attached${i}`, true));
  yield* resv_unlock(pr, L('attach: resv_unlock'), b);
  yield* resv_lock(pr, L('map: resv_lock'), b);
  yield* at(pr, L('map'), (w) => {
    if (is(w, `revoked${b}`)) return;
    check(get(w, `kref${b}`) > 0, 'kref', `kref[${b}] > 0`);
    add(w, `kref${b}`, 1);
    put(w, `mapped${i}`, true);
  });
  yield* resv_unlock(pr, L('map: resv_unlock'), b);
  yield* at(pr, L('DMA'), (w) => {
    if (is(w, `mapped${i}`)) check(is(w, 'mem_enabled') && is(w, 'dev_open'), 'access', 'mem_enabled && dev_open (DMA)');
  });
  yield* resv_lock(pr, L('unmap: resv_lock'), b);
  yield* at(pr, L('unmap'), (w) => {
    if (!is(w, `mapped${i}`)) return;
    put(w, `mapped${i}`, false);
    kref_put(w, pr.p, b);
  });
  yield* resv_unlock(pr, L('unmap: resv_unlock'), b);
  yield* resv_lock(pr, L('detach: resv_lock'), b);
  yield* at(pr, L('attached = false'), (w) => put(w, `attached${i}`, false));
  yield* resv_unlock(pr, L('detach: resv_unlock'), b);
}

const importer = (p: TightParams, younger: readonly string[]): OpFn =>
  function* importerProc(ctx, args) {
    const pr = proc(ctx, p, younger);
    const i = args.i as number;
    const b = ibuf(i);
    for (let r = 0; r < p.irounds; r++) yield* importer_round(pr, r, i, b);
    yield* at(pr, 'fput', (w) => fput(w, b));
    yield* exit(pr);
    return null;
  };

const fdcloser = (p: TightParams, younger: readonly string[]): OpFn =>
  function* fdcloserProc(ctx, args) {
    const pr = proc(ctx, p, younger);
    const b = args.b as number;
    yield* at(pr, 'fput', (w) => fput(w, b));
    yield* exit(pr);
    return null;
  };

const releaser = (p: TightParams, younger: readonly string[]): OpFn =>
  function* releaserProc(ctx, args) {
    const pr = proc(ctx, p, younger);
    const b = args.b as number;
    yield* at(
      pr,
      'wait fileref == 0',
      () => undefined,
      (w) => w.peek(`fileref${b}`, 'v') === 0,
      [`fileref${b}`],
    );
    const vdev = yield* at(pr, 'vdevp?', (w) => is(w, `vdevp${b}`));
    if (vdev) {
      yield* at(pr, 'down_write', (w) => put(w, 'wlock', true), wlockFree, ['wlock', 'rcount']);
      yield* at(pr, 'unlink', (w) => {
        check(is(w, `vdevp${b}`) && is(w, `linked${b}`), 'release', `vdevp[${b}] && linked[${b}]`);
        put(w, `linked${b}`, false);
        put(w, `vdevp${b}`, false);
      });
      yield* at(pr, 'up_write', (w) => put(w, 'wlock', false));
    } else yield* at(pr, 'skip', () => undefined);
    yield* at(pr, 'free', (w) => {
      check(!is(w, `linked${b}`) && !is(w, `resv${b}`), 'release', `!linked[${b}] && !resv[${b}]`);
      for (let j = 0; j < p.ni; j++)
        check(!(ibuf(j) === b && (is(w, `attached${j}`) || is(w, `mapped${j}`))), 'release', `!(attached[${j}] || mapped[${j}])`);
      put(w, `freed${b}`, true);
    });
    yield* exit(pr);
    return null;
  };

const faulter = (p: TightParams, younger: readonly string[]): OpFn =>
  function* faulterProc(ctx) {
    const pr = proc(ctx, p, younger);
    const open = yield* at(pr, 'devfd?', (w) => {
      if (!is(w, 'devfd')) return false;
      add(w, 'devusers', 1);
      return true;
    });
    if (open) {
      yield* at(
        pr,
        'down_read',
        (w) => add(w, 'rcount', 1),
        (w) => !peekIs(w, 'wlock'),
        ['wlock'],
      );
      yield* at(pr, 'fault', (w) => {
        if (is(w, 'mem_enabled') && is(w, 'dev_open')) put(w, 'barmapped', true);
      });
      yield* at(pr, 'up_read', (w) => add(w, 'rcount', -1));
      yield* at(pr, 'CPU access', (w) => {
        if (is(w, 'barmapped')) check(is(w, 'mem_enabled') && is(w, 'dev_open'), 'access', 'mem_enabled && dev_open (CPU)');
      });
      yield* at(pr, 'unmap; devusers--', (w) => {
        put(w, 'barmapped', false);
        add(w, 'devusers', -1);
      });
    }
    yield* exit(pr);
    return null;
  };

/** init (SPIN counting only): its d_step, the runs inside atomic{}, and its exit once every process has exited. */
const init = (p: TightParams, procs: readonly string[]): OpFn =>
  function* initProc() {
    yield {
      action: 'init: d_step',
      fire: (w) => {
        initStep(w, p);
        w.set('P.init', 'pc', 'atomic');
        return undefined;
      },
    };
    // atomic { run ... }: the states between the runs are not stored, so they are one step here
    yield {
      action: 'init: atomic { run ... }',
      fire: (w) => {
        for (const t of procs) w.set(procId(t), 'pc', START);
        w.set('P.init', 'pc', END);
        return undefined;
      },
    };
    const all = procs.map(procId);
    yield {
      action: '-end-',
      locs: all,
      enabled: (w) => all.every((id) => w.peek(id, 'pc') === REMOVED),
      fire: (w) => {
        w.set('P.init', 'pc', REMOVED);
        return undefined;
      },
    };
    return null;
  };

/** The tight model with these parameters as a System, and its one scenario (every process, as init runs them). */
export function tightSystem(params: Partial<TightParams> = {}): { system: System; scenario: Scenario; params: TightParams } {
  const p: TightParams = { ...DEFAULTS, ...params };
  const procs = processes(p);
  const names = procs.map((t) => t.name);
  const younger = (t: string) => names.slice(names.indexOf(t) + 1);
  const ops: Record<string, OpFn> = {};
  const makers: Record<string, (p: TightParams, y: readonly string[]) => OpFn> = { writer, closer, importer, fdcloser, releaser, faulter };
  // Counting as SPIN does, a process exits only after the younger ones, so each thread's op knows them and
  // ops are per thread name. Otherwise the order of exits is no step and ops are per role: two writers then
  // run the same operation, the condition for swapping them (tightSymmetry)
  const threads: ThreadSpec[] = procs.map((t) => {
    const base = t.ops[0]?.op as string;
    const maker = makers[base] as (p: TightParams, y: readonly string[]) => OpFn;
    const op = p.spinCounting ? t.name : base;
    ops[op] ??= maker(p, p.spinCounting ? younger(t.name) : NO_YOUNGER);
    return { name: t.name, ops: [{ op, args: (t.ops[0] as { args: Args }).args }] };
  });
  if (p.spinCounting) {
    ops.init = init(p, names);
    threads.unshift({ name: 'init', ops: [{ op: 'init', args: {} }] });
  }
  const system: System = {
    name: `spin-tight${p.bug === 'none' ? '' : `-${p.bug}`}`,
    setup(w) {
      declareGlobals(w, p);
      if (!p.spinCounting) initStep(w, p);
      for (const t of names) w.create('proc', { pc: p.spinCounting ? 'unborn' : START, d: 0, e: 0 }, null, procId(t));
      if (p.spinCounting) w.create('proc', { pc: START, d: 0, e: 0 }, null, 'P.init');
    },
    ops,
    // a Promela process stands at its first statement once init has run it
    startsRunning: true,
  };
  return { system, scenario: { threads }, params: p };
}

/**
 * The writers' choice vectors (MEM per op), for the engine's searches that have
 * no oracle: one scenario each. `multiset`: only vectors whose writers' choices
 * do not decrease from writer to writer, since the writers are interchangeable
 * (the others are renamings of these, as the real model's space takes the
 * threads of a role as a multiset).
 */
export function choiceScenarios(p: TightParams, base: Scenario, multiset = false): Scenario[] {
  const n = p.nw * p.wops;
  const out: Scenario[] = [];
  // writer w's vector is bits w*wops .. w*wops+wops-1 of the scenario's number
  const vector = (bits: number, w: number) => (bits >> (w * p.wops)) & ((1 << p.wops) - 1);
  const nonDecreasing = (bits: number) => {
    for (let w = 1; w < p.nw; w++) if (vector(bits, w - 1) > vector(bits, w)) return false;
    return true;
  };
  for (let bits = 0; bits < 1 << n; bits++) {
    if (multiset && !nonDecreasing(bits)) continue;
    out.push({
      ...base,
      threads: base.threads.map((t) => {
        const m = /^writer(\d+)$/.exec(t.name);
        if (!m) return t;
        const w = Number(m[1]);
        const mems = Array.from({ length: p.wops }, (_, k) => (bits >> (w * p.wops + k)) & 1);
        return { ...t, ops: [{ ...(t.ops[0] as OpCall), args: { mems } }] };
      }),
    });
  }
  return out;
}

/**
 * The writers of a scenario with equal choice vectors, as a symmetry group
 * (checker/symmetry.ts): a writer's identity is its thread name, which its
 * world object `P.writer<w>` holds as a token. Only when not counting as SPIN
 * does: there a writer exits only after the younger ones, which tells them apart.
 */
export function tightSymmetry(p: TightParams): (scenario: Scenario) => readonly SymmetryGroup[] {
  if (p.spinCounting) throw new Error('counting as SPIN does, the writers are not interchangeable (exits are ordered)');
  return (scenario) => symmetryGroups([{ role: 'writer', commands: [], symmetric: true }], scenario);
}
