/**
 * Symmetry reduction over interchangeable threads (`check --symmetry`,
 * docs/engine.md). Two threads of a role declared symmetric that run the same
 * operations differ only by the names that carry their identity; a state and
 * the state with two such threads swapped (names exchanged, thread entries
 * exchanged) have the same futures up to that renaming, so the search keeps
 * one of them: the state's fingerprint is that of its least renamed key.
 */
import type { Fp } from './fingerprint.ts';
import { hashString } from './fingerprint.ts';
import type { Scenario } from './scenario.ts';
import type { RoleSpec } from './space.ts';
import { stableStringify } from './value.ts';

/** Threads of a scenario that are interchangeable, and the names that carry each one's identity. */
export interface SymmetryGroup {
  /** the threads, by index in the scenario */
  readonly threads: readonly number[];
  /** names[j]: thread threads[j]'s names, its thread name first; as many for each thread, in corresponding order */
  readonly names: readonly (readonly string[])[];
}

/** The most permutations a search renames every state by: above it the reduction costs more than it saves. */
export const MAX_PERMUTATIONS = 24;

/** A name is one token: a maximal run of identifier characters, so substituting names is a bijection on texts. */
const TOKEN = /^[A-Za-z_$][\w$]*$/;

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/**
 * The groups of a scenario: per symmetric role, its threads (named role + index)
 * with equal operations. Threads of one role with different operations (another
 * dma-buf, another BAR) are not interchangeable, and are in no group.
 */
export function symmetryGroups(roles: readonly RoleSpec[], scenario: Scenario): SymmetryGroup[] {
  const groups: SymmetryGroup[] = [];
  for (const role of roles) {
    if (!role.symmetric) continue;
    const byOps = new Map<string, { threads: number[]; names: (readonly string[])[] }>();
    scenario.threads.forEach((t, i) => {
      const index = indexIn(role.role, t.name);
      if (index === null) return;
      const ops = stableStringify(t.ops);
      let g = byOps.get(ops);
      if (!g) byOps.set(ops, (g = { threads: [], names: [] }));
      g.threads.push(i);
      g.names.push([t.name, ...(role.owns?.(index) ?? [])]);
    });
    for (const g of byOps.values()) if (g.threads.length > 1) groups.push(g);
  }
  return groups;
}

/** The index of thread `name` in `role` (role + a decimal index), or null when the name is not of that form. */
function indexIn(role: string, name: string): number | null {
  if (!name.startsWith(role)) return null;
  const rest = name.slice(role.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : null;
}

/** The most permutations a scenario within these thread counts can have: every thread of a symmetric role in one group. */
export function permutationBound(roles: readonly RoleSpec[], maxThreads: (role: RoleSpec) => number): number {
  return roles.reduce((n, r) => (r.symmetric ? n * factorial(maxThreads(r)) : n), 1);
}

/** Why a scenario's groups cannot be used, or null. */
export function symmetryProblem(groups: readonly SymmetryGroup[]): string | null {
  const n = groups.reduce((p, g) => p * factorial(g.threads.length), 1);
  if (n > MAX_PERMUTATIONS)
    return `--symmetry: ${n} permutations of interchangeable threads, more than ${MAX_PERMUTATIONS} (fewer threads per symmetric role)`;
  const seen = new Set<string>();
  for (const g of groups) {
    const width = g.names[0]?.length ?? 0;
    for (const names of g.names) {
      if (names.length !== width) return `--symmetry: threads of one group with different numbers of names (${names.join(', ')})`;
      for (const name of names) {
        if (!TOKEN.test(name)) return `--symmetry: the name ${JSON.stringify(name)} is not one token`;
        if (seen.has(name)) return `--symmetry: the name ${name} belongs to two threads`;
        seen.add(name);
      }
    }
  }
  return null;
}

/** One renaming: where each thread's entry goes, and each name's image. */
interface Permutation {
  readonly to: readonly number[];
  readonly names: ReadonlyMap<string, string>;
}

/** Every way of permuting each group's threads among themselves, the identity first. */
function permutations(groups: readonly SymmetryGroup[], threads: number): Permutation[] {
  let out: Permutation[] = [{ to: [...Array(threads).keys()], names: new Map() }];
  for (const g of groups) {
    const next: Permutation[] = [];
    for (const p of out)
      for (const order of orders(g.threads.length)) {
        const to = [...p.to];
        const names = new Map(p.names);
        order.forEach((j, i) => {
          // thread i of the group takes thread j's place and names
          to[g.threads[i] as number] = g.threads[j] as number;
          (g.names[i] as readonly string[]).forEach((name, k) => {
            if (j !== i) names.set(name, (g.names[j] as readonly string[])[k] as string);
          });
        });
        next.push({ to, names });
      }
    out = next;
  }
  return out;
}

/** The permutations of 0..n-1, the identity first. */
function orders(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of orders(n - 1)) for (let at = rest.length; at >= 0; at--) out.push([...rest.slice(0, at), n - 1, ...rest.slice(at)]);
  return out;
}

/** What a state keeps in the cache under symmetry: its canonical fingerprint, and how its threads map to the canonical numbering. */
export interface Canonical {
  readonly fp: Fp;
  /** thread t of this state is thread to[t] of the canonical one */
  readonly to: readonly number[];
}

/** The parts of a state key (Execution.stateKeyParts). */
export interface KeyParts {
  readonly world: readonly string[];
  readonly threads: readonly string[];
  readonly monitors: readonly string[];
}

/** A scenario's symmetry: every state's least key over the permutations of its groups. */
export class Symmetry {
  private readonly perms: Permutation[];
  private readonly names: RegExp;

  constructor(groups: readonly SymmetryGroup[], threads: number) {
    const problem = symmetryProblem(groups);
    if (problem) throw new Error(problem);
    this.perms = permutations(groups, threads);
    const all = groups.flatMap((g) => g.names.flat());
    this.names = new RegExp(`(?<![\\w$])(?:${all.map((n) => n.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`, 'g');
  }

  get size(): number {
    return this.perms.length;
  }

  /** The state's canonical fingerprint (with its key for an exact table), and the permutation that gave the least key. */
  canonical(exec: { stateKeyParts(): KeyParts }, exact: boolean): Canonical {
    const parts = exec.stateKeyParts();
    let best: string | null = null;
    let to: readonly number[] = [];
    for (const p of this.perms) {
      const key = this.renamed(parts, p);
      if (best === null || key < best) {
        best = key;
        to = p.to;
      }
    }
    const fp = hashString(best as string, { a: 0, b: 0 });
    return { fp: exact ? { a: fp.a, b: fp.b, key: best as string } : fp, to };
  }

  /** A state key renamed by `p`: names substituted as tokens, thread entries moved, the world's parts sorted again. */
  renamed(parts: KeyParts, p: Permutation): string {
    const sub = (s: string) => (p.names.size === 0 ? s : s.replace(this.names, (m) => p.names.get(m) ?? m));
    const threads: string[] = [];
    parts.threads.forEach((t, i) => {
      threads[p.to[i] as number] = sub(t);
    });
    let k = parts.world.map(sub).sort().join('');
    for (const t of threads) k += `|${t}`;
    for (const m of parts.monitors) k += `|${sub(m)}`;
    return k;
  }

  /** A mask of threads (bit t: thread t) in the canonical numbering. */
  static mask(mask: number, to: readonly number[]): number {
    let out = 0;
    for (let t = 0; t < to.length; t++) if (mask & (1 << t)) out |= 1 << (to[t] as number);
    return out;
  }
}
