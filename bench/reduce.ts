/**
 * `check --reduce` against the plain search, design by design, at each
 * design's matrix bounds (design.bounds and focus, as docs/matrix.json) or
 * with extra `--bound k=v` pairs: distinct states, transitions and CPU
 * seconds, each search in a child process of its own so that neither warms the
 * other's JIT.
 *
 *   nice npx tsx bench/reduce.ts [DESIGN...] [--bound k=v,...] [--json]
 */
import { spawnSync } from 'node:child_process';
import { exploreSpace } from '../checker/search/space-search.ts';
import { domainOf } from '../model/domains.ts';
import { builtinDesigns } from '../model/variants/index.ts';
import { propertiesOf } from '../properties/catalog.ts';
import { unprovenLockTypes } from '../properties/reduce.ts';
import { systemOf } from '../properties/system.ts';

interface One {
  readonly states: number;
  readonly transitions: number;
  readonly cpuSeconds: number;
  readonly kinds: readonly string[];
}

function one(name: string, reduce: boolean, extra: readonly string[]): One {
  const design = builtinDesigns().find((d) => d.name === name);
  if (!design) throw new Error(`no built-in design ${name}`);
  const domain = domainOf(design.domain);
  const { bounds } = domain.parseBounds([...Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`), ...extra]);
  const system = systemOf(domain, design);
  const t = process.cpuUsage();
  const r = exploreSpace(system, domain.space(bounds, design.focus), domain.searchBounds(bounds), {
    monitors: propertiesOf(design.domain).flatMap((p) => p.monitors()),
    collectAll: true,
    ...(reduce ? { reduce: { unproven: unprovenLockTypes(domain, design, system) } } : {}),
  });
  const c = process.cpuUsage(t);
  return {
    states: r.coverage.states,
    transitions: r.coverage.transitions,
    cpuSeconds: Math.round((c.user + c.system) / 1e5) / 10,
    kinds: [...r.byKind.keys()].sort(),
  };
}

function child(name: string, reduce: boolean, extra: readonly string[]): One {
  const args = [...process.execArgv, import.meta.filename, '--one', name, reduce ? 'reduce' : 'plain', ...extra];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${name}: ${r.stderr.split('\n').find((l) => l.trim()) ?? `exit ${r.status}`}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as One;
}

const argv = process.argv.slice(2);
if (argv[0] === '--one') {
  console.log(JSON.stringify(one(argv[1] as string, argv[2] === 'reduce', argv.slice(3))));
} else {
  const json = argv.includes('--json');
  const b = argv.indexOf('--bound');
  const extra = b >= 0 ? (argv[b + 1] ?? '').split(',').filter(Boolean) : [];
  const named = argv.filter((a, i) => !a.startsWith('--') && (b < 0 || i !== b + 1));
  const names = named.length > 0 ? named : builtinDesigns().map((d) => d.name);
  const rows = [];
  for (const name of names) {
    const plain = child(name, false, extra);
    const reduced = child(name, true, extra);
    if (plain.kinds.join() !== reduced.kinds.join()) throw new Error(`${name}: kinds differ: ${plain.kinds} vs ${reduced.kinds}`);
    const row = { design: name, bounds: extra, plain, reduced, ratio: Math.round((plain.states / reduced.states) * 1000) / 1000 };
    rows.push(row);
    if (!json)
      console.log(
        `${name.padEnd(32)} ${String(plain.states).padStart(8)} ${String(reduced.states).padStart(8)}  ${row.ratio.toFixed(3)}×  ${plain.cpuSeconds}s ${reduced.cpuSeconds}s`,
      );
  }
  if (json) console.log(JSON.stringify(rows, null, 2));
}
