import type { OpCall, Scenario, ThreadSpec } from './scenario.ts';
import type { Args, Value } from './value.ts';

/**
 * A command a thread of some role may run: an operation and a finite domain for
 * each argument. Arguments are usually small handles (e.g. "the n-th buffer")
 * that the operation resolves against the live world, so that few generated
 * commands are impossible.
 */
export interface CommandSpec {
  readonly op: string;
  readonly args?: { readonly [name: string]: readonly Value[] };
}

/**
 * A kind of thread (an actor): how many of them a scenario may have, the
 * commands they choose from, and the fixed operations they start with.
 */
export interface RoleSpec {
  readonly role: string;
  readonly commands: readonly CommandSpec[];
  readonly min?: number;
  readonly max?: number;
  /** fixed operations every thread of the role starts with (by thread index within the role) */
  readonly prelude?: readonly OpCall[] | ((index: number) => readonly OpCall[]);
  /**
   * Its threads' programs differ by index-derived names alone, so two of them
   * with equal operations are interchangeable (the symmetry reduction,
   * checker/symmetry.ts): swapping them is a renaming of their thread names
   * and of the names `owns` gives. A name that carries a thread's identity
   * must be one of those, or contain its thread name as a token
   * (`actor.sync0`, `task:sync0`); objects numbered by creation order need
   * none (the swap takes their order with it).
   */
  readonly symmetric?: boolean;
  /** with symmetric: names of world objects thread `index` owns that do not contain its thread name (each one token) */
  readonly owns?: (index: number) => readonly string[];
}

/** A role's prelude by thread index, made once: random search asks for it at every scenario it generates. */
const preludes = new WeakMap<RoleSpec, (readonly OpCall[])[]>();

/** The operations thread `index` of a role runs first (a prelude function is a function of the index: it is called once per index). */
export function preludeOf(role: RoleSpec, index: number): readonly OpCall[] {
  const p = role.prelude;
  if (p === undefined) return [];
  if (typeof p !== 'function') return p;
  let made = preludes.get(role);
  if (!made) preludes.set(role, (made = []));
  let ops = made[index];
  if (ops === undefined) {
    ops = p(index);
    made[index] = ops;
  }
  return ops;
}

/** Everything scenario generation may produce, random or exhaustive. */
export interface ScenarioSpace {
  readonly roles: readonly RoleSpec[];
  readonly setup?: Args;
}

/** Bounds users can set: threads per role and operations per thread. */
export interface SpaceBounds {
  readonly threads: number;
  readonly opsPerThread: number;
}

/** Every value of a command's argument domains, as OpCalls. */
export function expandCommand(cmd: CommandSpec): OpCall[] {
  let out: Args[] = [{}];
  for (const [name, domain] of Object.entries(cmd.args ?? {})) {
    const next: Args[] = [];
    for (const partial of out) for (const v of domain) next.push({ ...partial, [name]: v });
    out = next;
  }
  return out.map((args) => ({ op: cmd.op, args }));
}

export function threadCounts(role: RoleSpec, bounds: SpaceBounds): { min: number; max: number } {
  const max = Math.min(role.max ?? bounds.threads, bounds.threads);
  return { min: Math.min(role.min ?? 0, max), max };
}

function sequences(calls: readonly OpCall[], maxLen: number): OpCall[][] {
  const out: OpCall[][] = [];
  const rec = (acc: OpCall[]) => {
    if (acc.length > 0) out.push([...acc]);
    if (acc.length === maxLen) return;
    for (const c of calls) {
      acc.push(c);
      rec(acc);
      acc.pop();
    }
  };
  rec([]);
  return out;
}

/**
 * Every scenario within the bounds, once per multiset of threads: threads of one
 * role are interchangeable, so their op lists are taken in non-decreasing order
 * (a symmetry reduction over thread names).
 */
export function* enumerateScenarios(space: ScenarioSpace, bounds: SpaceBounds): Generator<Scenario> {
  const perRole = space.roles.map((role) => {
    const calls = role.commands.flatMap(expandCommand);
    const seqs = role.commands.length === 0 || bounds.opsPerThread === 0 ? [[]] : sequences(calls, bounds.opsPerThread);
    if (role.prelude && seqs.length > 0 && seqs[0]?.length !== 0) seqs.unshift([]);
    const { min, max } = threadCounts(role, bounds);
    const choices: OpCall[][][] = [];
    const rec = (start: number, acc: OpCall[][]) => {
      if (acc.length >= min) choices.push([...acc]);
      if (acc.length === max) return;
      for (let i = start; i < seqs.length; i++) {
        acc.push(seqs[i] as OpCall[]);
        rec(i, acc);
        acc.pop();
      }
    };
    rec(0, []);
    return choices;
  });
  const rec = function* (r: number, threads: ThreadSpec[]): Generator<Scenario> {
    if (r === space.roles.length) {
      if (threads.length > 0) yield { threads: [...threads], ...(space.setup ? { setup: space.setup } : {}) };
      return;
    }
    const role = space.roles[r] as RoleSpec;
    for (const choice of perRole[r] as OpCall[][][]) {
      const ts = choice.map((ops, i) => ({ name: `${role.role}${i}`, ops: [...preludeOf(role, i), ...ops] }));
      yield* rec(r + 1, [...threads, ...ts]);
    }
  };
  yield* rec(0, []);
}
