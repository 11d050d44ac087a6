/**
 * Summarizes a V8 .cpuprofile: the top functions by self time and by
 * inclusive time (recursion counted once), as a share of all samples but idle.
 *
 *   npx tsx bench/top.ts FILE.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';

interface Node {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly Node[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, count = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/top.ts FILE.cpuprofile [N]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (id: number): string => {
  const f = (nodes.get(id) as Node).callFrame;
  const where = f.url.replace(/^.*\/(checker|kernel|model|properties|bench|node_modules)\//, '$1/');
  return `${f.functionName || '(anonymous)'}${where ? `  ${where}` : ''}`;
};
const selfById = new Map<number, number>();
p.samples.forEach((s, i) => {
  selfById.set(s, (selfById.get(s) ?? 0) + (p.timeDeltas[i] ?? 0));
});
const self = new Map<string, number>();
const incl = new Map<string, number>();
let total = 0;
for (const [id, t] of selfById) {
  if ((nodes.get(id) as Node).callFrame.functionName === '(idle)') continue;
  total += t;
  self.set(name(id), (self.get(name(id)) ?? 0) + t);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(cur);
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + t);
  }
}
const show = (title: string, m: Map<string, number>) => {
  console.log(title);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(count)))
    console.log(`${((100 * t) / total).toFixed(1).padStart(6)}%  ${k}`);
};
console.log(`${(total / 1e6).toFixed(1)} s sampled (idle excluded)`);
show('--- self time', self);
show('--- inclusive time', incl);
