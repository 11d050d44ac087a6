import type { LockType } from '../task.ts';
import { DEP_BIT, DEP_TYPES, type DepType, FROM_E, TO_R } from './deps.ts';

/**
 * The lock dependency graph between classes (lockdep's `locks_after` lists), with
 * the dependency types of each edge as a bit set and one witness per type, and
 * the strong-path search of kernel/locking/lockdep.c __bfs()/check_noncircular().
 */
export interface EdgeInfo<W> {
  types: number;
  readonly witness: (W | undefined)[];
}

/** One step of a path: the edge `from -> to` used with one of its types. */
export interface Hop<W> {
  readonly from: string;
  readonly to: string;
  readonly type: DepType;
  readonly witness: W;
}

export class DepGraph<W> {
  private readonly out = new Map<string, Map<string, EdgeInfo<W>>>();
  private readonly classTypes = new Map<string, LockType>();
  private keyCache: string | null = '';
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Remembers how a class is used, for the `{+.+.}`/`{++++}` usage string of reports (a real lock type wins over a map). */
  noteClass(cls: string, type: LockType): void {
    if (this.wouldNote(cls, type)) this.classTypes.set(cls, type);
  }

  /** True when noteClass(cls, type) would change anything. */
  wouldNote(cls: string, type: LockType): boolean {
    const old = this.classTypes.get(cls);
    return old === undefined || (old === 'map' && type !== 'map');
  }

  /** An independent copy (witnesses are shared: they are never changed in place). */
  clone(): DepGraph<W> {
    const c = new DepGraph<W>();
    for (const [from, m] of this.out) {
      const cm = new Map<string, EdgeInfo<W>>();
      for (const [to, e] of m) cm.set(to, { types: e.types, witness: [...e.witness] });
      c.out.set(from, cm);
    }
    for (const [cls, t] of this.classTypes) c.classTypes.set(cls, t);
    c.keyCache = this.keyCache;
    c.count = this.count;
    return c;
  }

  classType(cls: string): LockType | undefined {
    return this.classTypes.get(cls);
  }

  edge(from: string, to: string): EdgeInfo<W> | undefined {
    return this.out.get(from)?.get(to);
  }

  has(from: string, to: string, type: DepType): boolean {
    const e = this.edge(from, to);
    return e !== undefined && (e.types & DEP_BIT[type]) !== 0;
  }

  /**
   * Adds a typed edge; keeps the existing witness unless `better(new, old)`.
   * Returns true when the edge set changed (a new edge or a new type).
   */
  add(from: string, to: string, type: DepType, witness: W, better?: (a: W, b: W) => boolean): boolean {
    let m = this.out.get(from);
    if (!m) {
      m = new Map();
      this.out.set(from, m);
    }
    let e = m.get(to);
    if (!e) {
      e = { types: 0, witness: [undefined, undefined, undefined, undefined] };
      m.set(to, e);
      this.count++;
    }
    const bit = DEP_BIT[type];
    const idx = DEP_TYPES.indexOf(type);
    const old = e.witness[idx];
    if (old === undefined || better?.(witness, old)) e.witness[idx] = witness;
    if (e.types & bit) return false;
    e.types |= bit;
    this.keyCache = null;
    return true;
  }

  /** Every edge, in insertion order. */
  *edges(): Generator<{ from: string; to: string; info: EdgeInfo<W> }> {
    for (const [from, m] of this.out) for (const [to, info] of m) yield { from, to, info };
  }

  /** Canonical text of the edge set (with types): the monitor's state key. */
  key(): string {
    if (this.keyCache === null) {
      const parts: string[] = [];
      for (const { from, to, info } of this.edges()) parts.push(`${from}>${to}:${info.types}`);
      parts.sort();
      this.keyCache = parts.join(';');
    }
    return this.keyCache;
  }

  /**
   * Shortest strong path from `src` to `target` (BFS over (class, "entered by
   * -(xR)->") states, so exact for the strong-path rule: no -(xR)-> directly
   * followed by -(Sx)->). `srcViaR`: the edge that closes the cycle ends in a
   * recursive reader (bfs_init_root: only_xr = next->read == 2). `targetExclusive`:
   * the closing edge leaves the target as a writer, so any arrival is fine
   * (hlock_conflict: prev->read == 0 || !only_xr). Returns [] when src is target
   * and that already conflicts.
   */
  strongPath(src: string, srcViaR: boolean, target: string, targetExclusive: boolean): Hop<W>[] | null {
    const hits = (node: string, viaR: boolean) => node === target && (targetExclusive || !viaR);
    if (hits(src, srcViaR)) return [];
    interface S {
      readonly node: string;
      readonly viaR: boolean;
      readonly parent: S | null;
      readonly hop: Hop<W> | null;
    }
    const seen = new Set<string>([`${src}|${srcViaR ? 1 : 0}`]);
    let frontier: S[] = [{ node: src, viaR: srcViaR, parent: null, hop: null }];
    while (frontier.length > 0) {
      const next: S[] = [];
      for (const s of frontier) {
        const m = this.out.get(s.node);
        if (!m) continue;
        for (const [to, info] of m) {
          const allowed = s.viaR ? info.types & FROM_E : info.types;
          if (!allowed) continue;
          for (const t of DEP_TYPES) {
            const bit = DEP_BIT[t];
            if (!(allowed & bit)) continue;
            const viaR = (bit & TO_R) !== 0;
            const k = `${to}|${viaR ? 1 : 0}`;
            if (seen.has(k)) continue;
            seen.add(k);
            const hop: Hop<W> = { from: s.node, to, type: t, witness: info.witness[DEP_TYPES.indexOf(t)] as W };
            const ns: S = { node: to, viaR, parent: s, hop };
            if (hits(to, viaR)) {
              const path: Hop<W>[] = [];
              for (let c: S | null = ns; c?.hop; c = c.parent) path.push(c.hop);
              return path.reverse();
            }
            next.push(ns);
          }
        }
      }
      frontier = next;
    }
    return null;
  }
  /** Shortest path from `src` to `target` ignoring dependency types (for declared orders). */
  anyPath(src: string, target: string): Hop<W>[] | null {
    if (src === target) return [];
    const parent = new Map<string, Hop<W>>();
    const seen = new Set<string>([src]);
    let frontier = [src];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const u of frontier) {
        const m = this.out.get(u);
        if (!m) continue;
        for (const [v, info] of m) {
          if (seen.has(v)) continue;
          seen.add(v);
          const idx = info.witness.findIndex((x) => x !== undefined);
          parent.set(v, { from: u, to: v, type: DEP_TYPES[idx] as DepType, witness: info.witness[idx] as W });
          if (v === target) {
            const path: Hop<W>[] = [];
            for (let c: string = v; c !== src; ) {
              const h = parent.get(c) as Hop<W>;
              path.push(h);
              c = h.from;
            }
            return path.reverse();
          }
          next.push(v);
        }
      }
      frontier = next;
    }
    return null;
  }
}

export function isReadEnd(type: DepType): boolean {
  return (DEP_BIT[type] & TO_R) !== 0;
}

export function isExclusiveStart(type: DepType): boolean {
  return (DEP_BIT[type] & FROM_E) !== 0;
}
