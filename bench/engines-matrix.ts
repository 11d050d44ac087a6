/**
 * Every matrix row under both engines: verdicts, violation kinds and
 * counterexample lengths must agree; states are listed old (generators) and new
 * (compiled), since frames may identify states the log hash kept apart.
 *
 *   nice -n 10 node --import tsx --import ./checker/compiled/register.ts bench/engines-matrix.ts [DESIGN...]
 *
 * Prints a Markdown table and exits 1 on any disagreement.
 */
import { type Engine, engineChoice } from '../checker/compiled/engine.ts';
import { builtinDesigns } from '../model/variants/index.ts';
import { type CorpusFile, computeRow, type MatrixRow } from '../properties/matrix.ts';

interface Seen {
  readonly row: MatrixRow;
  readonly kinds: Record<string, string>;
  readonly cpu: number;
}

function run(design: ReturnType<typeof builtinDesigns>[number], engine: Engine): Seen {
  engineChoice.engine = engine;
  const t0 = process.cpuUsage();
  const { row, corpus } = computeRow(design);
  const t = process.cpuUsage(t0);
  return { row, kinds: kindsOf(corpus), cpu: (t.user + t.system) / 1e6 };
}

function kindsOf(corpus: readonly CorpusFile[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of corpus) {
    const cx = JSON.parse(f.text) as { property: string; violation: { kind: string }; trace: { steps: number } };
    out[cx.property] = `${cx.violation.kind}/${cx.trace.steps}`;
  }
  return out;
}

const only = process.argv.slice(2);
const designs = builtinDesigns().filter((d) => only.length === 0 || only.includes(d.name));
let bad = 0;
console.log('| design | states, generators | states, compiled | CPU-s gen / compiled | agree |');
console.log('|---|---|---|---|---|');
for (const d of designs) {
  const old = run(d, 'generators');
  const now = run(d, 'compiled');
  const diffs: string[] = [];
  for (const [p, c] of Object.entries(old.row.cells)) {
    const n = now.row.cells[p];
    if (!n || n.verdict !== c.verdict || n.steps !== c.steps) diffs.push(`${p}: ${c.verdict}/${c.steps} vs ${n?.verdict}/${n?.steps}`);
    if (old.kinds[p] !== now.kinds[p]) diffs.push(`${p}: ${old.kinds[p]} vs ${now.kinds[p]}`);
  }
  if (JSON.stringify(old.row.upstreamAtBound) !== JSON.stringify(now.row.upstreamAtBound)) diffs.push('upstream at bound differs');
  if (old.row.complete !== now.row.complete) diffs.push('completeness differs');
  if (diffs.length > 0) bad++;
  console.log(
    `| ${d.name} | ${old.row.states.toLocaleString('en')} | ${now.row.states.toLocaleString('en')} | ${old.cpu.toFixed(1)} / ${now.cpu.toFixed(1)} | ${diffs.length === 0 ? 'yes' : `NO: ${diffs.join('; ')}`} |`,
  );
}
process.exit(bad === 0 ? 0 : 1);
