/**
 * Symmetry reduction over interchangeable threads (`check --symmetry`,
 * docs/engine.md). Two threads of a role declared symmetric that run the same
 * operations differ only by the names that carry their identity; a state and
 * the state with two such threads swapped (names exchanged, thread entries
 * exchanged) have the same futures up to that renaming, so the search keeps
 * one of them: the state's fingerprint is that of its least renamed key.
 */
import type { Fp } from './fingerprint.ts';
import { extend, fmix, hashString } from './fingerprint.ts';
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

/** What the fast path reads of a state (checker/execution.ts): its parts one by one, each with its own hash. */
export interface SymmetryState {
  stateKeyParts(): KeyParts;
  readonly world: {
    fingerprintSum(into: Fp): Fp;
    readonly objectCount: number;
    objectFpAt(k: number, into: Fp): Fp;
    objectPartAt(k: number): string;
  };
  threadFp(i: number, into: Fp): Fp;
  threadKeyAt(i: number): string;
  readonly monitorCount: number;
  monitorKeyAt(i: number): string | null;
}

/** Above this many entries a part cache starts again: a bound on memory, not on correctness. */
const CACHE_LIMIT = 1 << 20;

/**
 * A scenario's symmetry: every state's least key over the permutations of its
 * groups. With exact keys the least is taken over the renamed texts; without,
 * over the renamed states' hashes, which are built from each part's renamed
 * hash, cached by the part (a world object's text, a thread's own hash), so a
 * state pays for renaming only the parts it has not met before.
 */
export class Symmetry {
  private readonly perms: Permutation[];
  private readonly names: RegExp;
  /** the same names, to test a text once (no `g`: a global regex keeps its lastIndex) */
  private readonly mentions: RegExp;
  /** per permutation, which thread takes position j: inverse of `to` */
  private readonly from: number[][];
  /**
   * Each part's hashes renamed by every permutation (2 numbers each; one pair
   * when it names no interchangeable thread), cached by the part's own hash:
   * world objects (INVARIANT when they name none), threads, monitors' keys.
   */
  private readonly objectHashes = new Map<number, Int32Array>();
  private readonly threadHashes = new Map<number, Int32Array>();
  private readonly monitorHashes: Map<string, Int32Array>[] = [];
  private readonly sumA: Int32Array;
  private readonly sumB: Int32Array;
  private readonly own: Fp = { a: 0, b: 0 };
  private readonly scratch: Fp = { a: 0, b: 0 };
  private readonly rows: Int32Array[] = [];

  constructor(groups: readonly SymmetryGroup[], threads: number) {
    const problem = symmetryProblem(groups);
    if (problem) throw new Error(problem);
    this.perms = permutations(groups, threads);
    const all = groups.flatMap((g) => g.names.flat()).map((n) => n.replace(/\$/g, '\\$'));
    this.names = new RegExp(`(?<![\\w$])(?:${all.join('|')})(?![\\w$])`, 'g');
    this.mentions = new RegExp(this.names.source);
    this.from = this.perms.map((p) => {
      const from: number[] = [];
      p.to.forEach((j, i) => {
        from[j] = i;
      });
      return from;
    });
    this.sumA = new Int32Array(this.perms.length);
    this.sumB = new Int32Array(this.perms.length);
  }

  get size(): number {
    return this.perms.length;
  }

  /** The state's canonical fingerprint (with its key for an exact table), and the permutation that gave the least key. */
  canonical(exec: SymmetryState, exact: boolean): Canonical {
    return exact ? this.canonicalKey(exec.stateKeyParts()) : this.canonicalHash(exec);
  }

  /** The least renamed key, as text. */
  private canonicalKey(parts: KeyParts): Canonical {
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
    return { fp: { a: fp.a, b: fp.b, key: best as string }, to };
  }

  /**
   * The least hash of a renamed state. The set of a state's renamed hashes is
   * the same for every state of its orbit (each is some renaming of the
   * others), so its least is a canonical fingerprint as the least text is. The
   * world's part is its fingerprint sum with each object that names an
   * interchangeable thread swapped for its renamed text's hash; the others
   * (most) are their own image under every renaming.
   */
  private canonicalHash(exec: SymmetryState): Canonical {
    const n = this.perms.length;
    const { sumA, sumB, rows, own } = this;
    const world = exec.world.fingerprintSum(own);
    sumA.fill(world.a);
    sumB.fill(world.b);
    const objects = exec.world.objectCount;
    for (let k = 0; k < objects; k++) {
      const fp = exec.world.objectFpAt(k, own);
      const key = cacheKey(fp);
      let h = this.objectHashes.get(key);
      if (h === undefined) {
        const text = exec.world.objectPartAt(k);
        h = this.mentions.test(text) ? this.renamedHashes(text) : INVARIANT;
        remember(this.objectHashes, key, h);
      }
      if (h === INVARIANT) continue;
      for (let p = 0; p < n; p++) {
        sumA[p] = (sumA[p] as number) - fp.a + (h[2 * p] as number);
        sumB[p] = (sumB[p] as number) - fp.b + (h[2 * p + 1] as number);
      }
    }
    const threads = this.from[0]?.length ?? 0;
    for (let i = 0; i < threads; i++) rows[i] = this.threadHash(exec, i);
    const monitors = exec.monitorCount;
    for (let i = 0; i < monitors; i++) {
      const key = exec.monitorKeyAt(i);
      if (key !== null) rows[threads + i] = this.monitorHash(i, key);
    }
    let bestA = 0;
    let bestB = 0;
    let best = -1;
    const h = this.scratch;
    for (let p = 0; p < n; p++) {
      h.a = fmix(sumA[p] as number);
      h.b = fmix((sumB[p] as number) ^ 0x5bd1e995);
      const from = this.from[p] as number[];
      for (let j = 0; j < threads; j++) pick(h, rows[from[j] as number] as Int32Array, p);
      for (let i = 0; i < monitors; i++) if (exec.monitorKeyAt(i) !== null) pick(h, rows[threads + i] as Int32Array, p);
      const a = h.a >>> 0;
      const b = h.b >>> 0;
      if (best < 0 || a < bestA || (a === bestA && b < bestB)) {
        best = p;
        bestA = a;
        bestB = b;
      }
    }
    return { fp: { a: bestA | 0, b: bestB | 0 }, to: (this.perms[best] as Permutation).to };
  }

  /** Monitor i's key renamed by each permutation, cached by the key (monitors mostly hand back one cached string). */
  private monitorHash(i: number, key: string): Int32Array {
    let cache = this.monitorHashes[i];
    if (!cache) this.monitorHashes[i] = cache = new Map();
    let h = cache.get(key);
    if (h === undefined) {
      h = this.renamedHashes(key);
      remember(cache, key, h);
    }
    return h;
  }

  /** Thread i's part renamed by each permutation, by its own hash. */
  private threadHash(exec: SymmetryState, i: number): Int32Array {
    const key = cacheKey(exec.threadFp(i, this.own));
    let h = this.threadHashes.get(key);
    if (h === undefined) {
      h = this.renamedHashes(exec.threadKeyAt(i));
      remember(this.threadHashes, key, h);
    }
    return h;
  }

  private renamedHashes(text: string): Int32Array {
    const fp: Fp = { a: 0, b: 0 };
    if (!this.mentions.test(text)) {
      hashString(text, fp);
      return Int32Array.of(fp.a, fp.b);
    }
    const out = new Int32Array(2 * this.perms.length);
    this.perms.forEach((p, k) => {
      hashString(this.rename(text, p), fp);
      out[2 * k] = fp.a;
      out[2 * k + 1] = fp.b;
    });
    return out;
  }

  private rename(text: string, p: Permutation): string {
    return p.names.size === 0 ? text : text.replace(this.names, (m) => p.names.get(m) ?? m);
  }

  /** A state key renamed by `p`: names substituted as tokens, thread entries moved, the world's parts sorted again. */
  renamed(parts: KeyParts, p: Permutation): string {
    const sub = (s: string) => this.rename(s, p);
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

/** Adds a part's hash under permutation p (a part that names no thread has one hash for all). */
function pick(into: Fp, h: Int32Array, p: number): void {
  if (h.length === 2) extend(into, h[0] as number, h[1] as number);
  else extend(into, h[2 * p] as number, h[2 * p + 1] as number);
}

/** An object that names no interchangeable thread: its own image under every renaming. */
const INVARIANT = new Int32Array(0);

/**
 * 53 of a part's 64 hash bits, as a number a Map keys cheaply: two parts that
 * share them share a cache entry, a collision that weakens the search no more
 * than a 53-bit fingerprint would.
 */
function cacheKey(fp: Fp): number {
  return (fp.a >>> 0) * 0x200000 + (fp.b & 0x1fffff);
}

function remember<K>(cache: Map<K, Int32Array>, key: K, h: Int32Array): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, h);
}
