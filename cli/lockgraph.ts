/**
 * The reports of a lock dependency graph (properties/lock-graph.ts searches
 * it and judges a declared order): text, DOT, Mermaid, JSON and a lockdep
 * priming function in C.
 */

import { callLabel } from '../checker/execution.ts';
import type { Scenario } from '../checker/scenario.ts';
import type { LockCycle, LockEdge, LockRecursion } from '../kernel/lockdep/lockgraph.ts';
import type { LockKind, LockType } from '../kernel/task.ts';
import { checkDeclared, type DeclaredOrder, type GraphRun, type OrderCheck } from '../properties/lock-graph.ts';
import { UsageError } from './errors.ts';
import { didYouMean } from './suggest.ts';

/**
 * The declared order checked against the run, once its file is known to name
 * only classes of the design: a declared class that no searched scenario has
 * and no execution took is a typo (or a class of another design), and checking
 * against it would only report it "never exercised" and miss the edges it was
 * meant to order.
 */
export function checkOrder(run: GraphRun, order: DeclaredOrder): OrderCheck {
  const known = [...run.knownClasses].sort();
  for (const c of order.classes)
    if (!run.knownClasses.has(c))
      throw new UsageError(
        `${order.file}:${order.lineOf[c]}: unknown lock class "${c}"${didYouMean(c, known)} (classes of the design at this bound: ${known.join(', ')})`,
      );
  return checkDeclared(run, order);
}

// ---------------------------------------------------------------------------
// text pieces

export function scenarioLine(s: Scenario): string {
  return s.threads.map((t) => `${t.name}: ${t.ops.map((o) => callLabel(o.op, o.args)).join(', ')}`).join('; ');
}

/** The lines the text report and the page both give a recursion and a lockdep warning. */
export const recursionTitle = (r: LockRecursion, i: number, of?: number) =>
  `Recursion ${i + 1}${of === undefined ? '' : ` of ${of}`} (lockdep-recursion): ${r.class} taken while already held`;
export const recursionWitness = (r: LockRecursion) =>
  `First made by ${r.witness.threadName} at step ${r.witness.path.length} of {${scenarioLine(r.witness.scenario)}}`;
export const warningLine = (w: GraphRun['warnings'][number]) =>
  `lockdep warning (${w.violation.kind}) in ${w.path.length} steps of {${scenarioLine(w.scenario)}}: ${w.violation.message}`;

export function edgeLines(e: LockEdge): string[] {
  const w = e.witness;
  const how = w.mode === 'wait' ? 'waited for' : w.mode === 'signal' ? 'needed by the signaller' : 'taken';
  return [
    `${e.from} -> ${e.to}  [${e.types.join(',')}]`,
    `    ${e.to} ${how} at ${w.at} by ${w.threadName} in ${w.stack.join(' > ')}`,
    `    witness: step ${w.path.length} of {${scenarioLine(w.scenario)}}`,
  ];
}

/** Lock types of the classes seen, from the witnesses. */
export function classTypes(edges: readonly LockEdge[]): Map<string, { type: LockType; kinds: Set<LockKind> }> {
  const out = new Map<string, { type: LockType; kinds: Set<LockKind> }>();
  const note = (cls: string, type: LockType, kind: LockKind) => {
    const o = out.get(cls);
    if (!o) out.set(cls, { type, kinds: new Set([kind]) });
    else {
      if (o.type === 'map' && type !== 'map') o.type = type;
      o.kinds.add(kind);
    }
  };
  for (const e of edges) {
    note(e.witness.dep.prev.class, e.witness.dep.prev.lockType, e.witness.dep.prev.kind);
    note(e.witness.dep.next.class, e.witness.dep.next.lockType, e.witness.dep.next.kind);
  }
  return out;
}

export const onCycle = (cycles: readonly LockCycle[], e: LockEdge) =>
  cycles.some((c) => c.hops.some((h) => h.from === e.from && h.to === e.to));

// ---------------------------------------------------------------------------
// DOT

function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** What an edge links to in a rendered graph (the page's witness of it), and its hover text. */
export type EdgeLink = (e: LockEdge, i: number) => { readonly href?: string; readonly tooltip: string };

/** A declared edge no execution made has no witness: it links to its declaration (`i` counts these edges). */
export type DeclaredLink = (d: OrderCheck['unexercised'][number], i: number) => { readonly href: string };

/** Where the order file declares an edge no execution made: the hover text of its dotted edge. */
export const declaredTip = (check: OrderCheck, d: OrderCheck['unexercised'][number]) =>
  `declared at ${check.order.file}:${d.line}, never taken within the bound`;

export function renderDot(run: GraphRun, title: string, check: OrderCheck | null, link?: EdgeLink, declared?: DeclaredLink): string[] {
  const types = classTypes(run.edges);
  const classes = [...new Set([...types.keys(), ...(check ? check.order.classes : [])])].sort();
  const out = [
    'digraph lockdep {',
    `  label=${dotId(`${title}\nA -> B: B taken (or waited for) while A is held; edge label: lockdep dependency type, and where B was taken`)};`,
    '  labelloc=t; fontname="Helvetica"; fontsize=14;',
    '  rankdir=LR; nodesep=0.35; ranksep=0.9;',
    '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", fontname="Courier", fontsize=12];',
    '  edge [fontname="Helvetica", fontsize=10, color="#334466"];',
  ];
  for (const c of classes) {
    const t = types.get(c);
    const kind = t
      ? t.type === 'map'
        ? c.startsWith('(completion)')
          ? 'completion (wait)'
          : 'lockdep map'
        : t.type
      : 'declared, not seen';
    const shape =
      t?.type === 'map' ? ', shape=ellipse, style="dashed,filled", fillcolor="#fff8e6"' : t ? '' : ', style="dotted", fillcolor="#ffffff"';
    out.push(`  ${dotId(c)} [label=${dotId(`${c}\n${kind}`)}${shape}];`);
  }
  for (const [i, e] of run.edges.entries()) {
    const w = e.witness;
    const bad = check?.broken.some((b) => b.edge === e);
    const cyc = onCycle(run.cycles, e);
    const style = cyc
      ? ', color="#cc0000", penwidth=2.2, fontcolor="#cc0000"'
      : bad
        ? ', color="#cc0000", style=dashed, fontcolor="#cc0000"'
        : '';
    const l = link?.(e, i);
    const linked = l ? `${l.href ? `, href=${dotId(l.href)}` : ''}, tooltip=${dotId(l.tooltip)}` : '';
    out.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [label=${dotId(`${e.types.join(',')} ${w.at}`)}${style}${linked}];`);
  }
  for (const [i, d] of (check?.unexercised ?? []).entries()) {
    const href = declared?.(d, i).href;
    const linked = `${href ? `, href=${dotId(href)}` : ''}, tooltip=${dotId(declaredTip(check as OrderCheck, d))}`;
    out.push(
      `  ${dotId(d.from)} -> ${dotId(d.to)} [label="declared, never taken", style=dotted, color="#999999", fontcolor="#999999"${linked}];`,
    );
  }
  out.push('}');
  return out;
}

// ---------------------------------------------------------------------------
// Mermaid

function mmLabel(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/;/g, '#59;');
}

export function renderMermaidGraph(run: GraphRun, check: OrderCheck | null): string[] {
  const types = classTypes(run.edges);
  const classes = [...new Set([...types.keys(), ...(check ? check.order.classes : [])])].sort();
  const id = (c: string) => `c${classes.indexOf(c)}`;
  const out = ['flowchart LR'];
  for (const c of classes) {
    const t = types.get(c);
    out.push(t?.type === 'map' ? `  ${id(c)}(["${mmLabel(c)}"])` : `  ${id(c)}["${mmLabel(c)}"]`);
  }
  const red: number[] = [];
  let k = 0;
  for (const e of run.edges) {
    out.push(`  ${id(e.from)} -->|"${mmLabel(`${e.types.join(',')} ${e.witness.at}`)}"| ${id(e.to)}`);
    if (onCycle(run.cycles, e) || check?.broken.some((b) => b.edge === e)) red.push(k);
    k++;
  }
  for (const d of check?.unexercised ?? []) {
    out.push(`  ${id(d.from)} -.->|"declared, never taken"| ${id(d.to)}`);
    k++;
  }
  if (red.length) out.push(`  linkStyle ${red.join(',')} stroke:#cc0000,stroke-width:2px`);
  return out;
}

// ---------------------------------------------------------------------------
// C: a lockdep priming function in the style of dma_resv_lockdep()

interface CLock {
  readonly cls: string;
  /** file-scope declarations (class keys, lockdep maps) */
  readonly global: string[];
  readonly decl: string[];
  readonly init: string[];
  readonly fini: string[];
  lock(kind: LockKind): string[];
  unlock(kind: LockKind): string[];
}

function cIdent(cls: string, used: Set<string>): string {
  let base = cls
    .replace(/^\(completion\)/, 'comp_')
    .replace(/^&/, '')
    .replace(/->/g, '_')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/__+/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `l_${base}`;
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
}

const cString = (s: string) => JSON.stringify(s);

function cLock(cls: string, type: LockType, used: Set<string>): CLock {
  // classes whose init function already gives every instance the real class, as in dma_resv_lockdep()
  if (cls === 'reservation_ww_class_mutex' && type === 'ww_mutex') {
    used.add('obj');
    return {
      cls,
      global: [],
      decl: ['struct dma_resv obj;'],
      init: ['dma_resv_init(&obj);'],
      fini: ['dma_resv_fini(&obj);'],
      lock: () => ['dma_resv_lock(&obj, NULL);'],
      unlock: () => ['dma_resv_unlock(&obj);'],
    };
  }
  if (cls === '&mm->mmap_lock') {
    used.add('mm');
    return {
      cls,
      global: [],
      decl: ['struct mm_struct *mm = mm_alloc();'],
      init: [],
      fini: ['mmput(mm);'],
      lock: (k) => [k === 'W' ? 'mmap_write_lock(mm);' : 'mmap_read_lock(mm);'],
      unlock: (k) => [k === 'W' ? 'mmap_write_unlock(mm);' : 'mmap_read_unlock(mm);'],
    };
  }
  if (cls === '&mapping->i_mmap_rwsem') {
    used.add('mapping');
    return {
      cls,
      global: [],
      decl: ['struct address_space mapping;'],
      init: ['address_space_init_once(&mapping);'],
      fini: [],
      lock: (k) => [k === 'W' ? 'i_mmap_lock_write(&mapping);' : 'i_mmap_lock_read(&mapping);'],
      unlock: (k) => [k === 'W' ? 'i_mmap_unlock_write(&mapping);' : 'i_mmap_unlock_read(&mapping);'],
    };
  }
  const v = cIdent(cls, used);
  // other classes are keyed by their init site: share a key with the real lock's init
  const key = [
    `/* ${cls}: lockdep_set_class(..., &${v}_key) where the real lock is initialised, too */`,
    `static struct lock_class_key ${v}_key;`,
  ];
  const setClass = `lockdep_set_class_and_name(&${v}, &${v}_key, ${cString(cls)});`;
  switch (type) {
    case 'mutex':
      return {
        cls,
        global: key,
        decl: [`struct mutex ${v};`],
        init: [`mutex_init(&${v});`, setClass],
        fini: [`mutex_destroy(&${v});`],
        lock: () => [`mutex_lock(&${v});`],
        unlock: () => [`mutex_unlock(&${v});`],
      };
    case 'rwsem':
      return {
        cls,
        global: key,
        decl: [`struct rw_semaphore ${v};`],
        init: [`init_rwsem(&${v});`, setClass],
        fini: [],
        lock: (k) => [k === 'W' ? `down_write(&${v});` : `down_read(&${v});`],
        unlock: (k) => [k === 'W' ? `up_write(&${v});` : `up_read(&${v});`],
      };
    case 'ww_mutex':
      return {
        cls,
        global: [`/* ${cls}: the ww_class its real instances are initialised with */`, `extern struct ww_class ${v}_ww_class;`],
        decl: [`struct ww_mutex ${v};`],
        init: [`ww_mutex_init(&${v}, &${v}_ww_class);`],
        fini: [],
        lock: () => [`ww_mutex_lock(&${v}, NULL);`],
        unlock: () => [`ww_mutex_unlock(&${v});`],
      };
    default: {
      // a wait class (completion, fence) or another lockdep map
      const what = cls.startsWith('(completion)')
        ? [
            `/*`,
            ` * Waits for the completion ${cls.slice('(completion)'.length)}. lockdep does not track completions:`,
            ` * annotate wait_for_completion() on it with lock_map_acquire() + lock_map_release()`,
            ` * of this map, and the code that completes it with lock_map_acquire_read() ...`,
            ` * lock_map_release() around it, as dma-fence does with dma_fence_lockdep_map.`,
            ` */`,
          ]
        : [`/* the lockdep map ${cls} */`];
      return {
        cls,
        global: [
          ...what,
          `static struct lock_class_key ${v}_key;`,
          `static struct lockdep_map ${v}_map = STATIC_LOCKDEP_MAP_INIT(${cString(cls)}, &${v}_key);`,
        ],
        decl: [],
        init: [],
        fini: [],
        lock: (k) => [k === 'W' ? `lock_map_acquire(&${v}_map);` : `lock_map_acquire_read(&${v}_map);`],
        unlock: () => [`lock_map_release(&${v}_map);`],
      };
    }
  }
}

/** Nesting chains that together make every edge once: a greedy path cover of the (acyclic part of the) graph. */
export function chains(edges: readonly LockEdge[]): { chain: string[]; kinds: LockKind[] }[] {
  // drop edges that close a cycle (DFS back edges): priming them would be the inversion itself
  const out = new Map<string, LockEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const state = new Map<string, 1 | 2>();
  const keep = new Set<LockEdge>();
  const dfs = (u: string) => {
    state.set(u, 1);
    for (const e of out.get(u) ?? []) {
      const s = state.get(e.to);
      if (s === 1) continue;
      keep.add(e);
      if (s === undefined) dfs(e.to);
    }
    state.set(u, 2);
  };
  for (const e of edges) if (!state.has(e.from)) dfs(e.from);
  const left = new Set(edges.filter((e) => keep.has(e)));
  const result: { chain: string[]; kinds: LockKind[] }[] = [];
  // repeatedly take the longest path through edges not yet primed (the graph is acyclic now)
  while (left.size) {
    const memo = new Map<string, LockEdge[]>();
    const longest = (u: string): LockEdge[] => {
      const m = memo.get(u);
      if (m) return m;
      let best: LockEdge[] = [];
      for (const e of left) {
        if (e.from !== u) continue;
        const p = [e, ...longest(e.to)];
        if (p.length > best.length) best = p;
      }
      memo.set(u, best);
      return best;
    };
    let path: LockEdge[] = [];
    for (const e of left) {
      const p = longest(e.from);
      if (p.length > path.length) path = p;
    }
    for (const e of path) left.delete(e);
    const first = path[0] as LockEdge;
    result.push({
      chain: [first.from, ...path.map((e) => e.to)],
      kinds: [first.witness.dep.prev.kind, ...path.map((e) => e.witness.dep.next.kind)],
    });
  }
  return result;
}

export function renderC(run: GraphRun, design: string, command: string, describe: string): string[] {
  const types = classTypes(run.edges);
  const used = new Set<string>();
  const locks = new Map<string, CLock>();
  const lockOf = (cls: string) => {
    let l = locks.get(cls);
    if (!l) {
      l = cLock(cls, types.get(cls)?.type ?? 'mutex', used);
      locks.set(cls, l);
    }
    return l;
  };
  const cs = chains(run.edges);
  for (const c of cs) for (const cls of c.chain) lockOf(cls);
  const fn = `${design.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}_lockdep`.replace(/^(\d)/, 'v$1');
  const o: string[] = [
    '/*',
    ` * Generated by: ${command}`,
    ` * The lock order vfio-dmabuf-model observed for ${design} (${describe}),`,
    ' * as a lockdep priming function in the style of dma_resv_lockdep()',
    ' * (drivers/dma-buf/dma-resv.c): taking each chain once at boot teaches',
    ' * lockdep every dependency, so an inversion is reported the first time',
    ' * any path takes it, not only when both sides happen to run.',
    ' *',
    ' * Each dummy lock must get the same lock class as the real one: initialise',
    ' * it at the same site (the same static lock_class_key) or use',
    ' * lockdep_set_class(). Edges observed:',
    ...run.edges.map((e) => ` *   ${e.from} -> ${e.to} (${e.types.join(',')}, at ${e.witness.at})`),
  ];
  if (run.cycles.length)
    o.push(' *', ` * WARNING: the observed order has ${run.cycles.length} cycle(s); the edges closing them are left out.`);
  o.push(' */', '');
  const globals = [...locks.values()].filter((l) => l.global.length);
  for (const l of globals) o.push(...l.global, '');
  o.push(`static int __init ${fn}(void)`, '{');
  for (const l of locks.values()) for (const d of l.decl) o.push(`\t${d}`);
  o.push('');
  if (used.has('mm')) o.push('\tif (!mm)', '\t\treturn -ENOMEM;', '');
  const inits = [...locks.values()].flatMap((l) => l.init);
  for (const i of inits) o.push(`\t${i}`);
  if (inits.length) o.push('');
  for (const c of cs) {
    o.push(`\t/* ${c.chain.join(' -> ')} */`);
    c.chain.forEach((cls, i) => {
      for (const line of lockOf(cls).lock(c.kinds[i] as LockKind)) o.push(`\t${line}`);
    });
    for (let i = c.chain.length - 1; i >= 0; i--)
      for (const line of lockOf(c.chain[i] as string).unlock(c.kinds[i] as LockKind)) o.push(`\t${line}`);
    o.push('');
  }
  for (const l of locks.values()) for (const f of l.fini) o.push(`\t${f}`);
  o.push('\treturn 0;', '}', `subsys_initcall(${fn});`);
  return o;
}
