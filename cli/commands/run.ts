/** `run FILE`: a scenario file's steps in file order, each to completion, with every return value and violation. */

import { readScenario } from '../../loader/scenario-file.ts';
import { designDomain } from '../../model/design-domain.ts';
import { errname } from '../../model/errno.ts';
import { runLoaded } from '../../properties/run-scenario.ts';
import { systemOf } from '../../properties/system.ts';
import type { Args } from '../args.ts';
import { type Command, VARIANT_FLAG, WIDTH_FLAG } from '../command.ts';
import { asInput, EXIT } from '../errors.ts';
import { out, outLines, printJson, table, width } from '../io.ts';
import { JSON_FORMAT } from '../report-json.ts';
import { resolveDesign } from '../setup.ts';
import { renderTrace, traceInput, VIEWS, type View } from '../trace.ts';

export const run: Command = {
  spec: {
    name: 'run',
    brief: 'run a scenario file step by step, in file order, and print what each operation returns',
    summary:
      'Runs the steps of a scenario file (docs/scenarios.md) one after the other in file order, each operation with its task work to completion before the next starts, as a selftest issues them. Prints each return value (errno names: an error return is an answer, not a failure) and every violation any property reports. `check --scenario FILE` explores every interleaving of the same threads instead.',
    positionals: [{ name: 'FILE', help: 'a scenario file (docs/schemas/scenario.schema.json)' }],
    flags: [
      VARIANT_FLAG,
      WIDTH_FLAG,
      { name: 'trace', help: 'print the trace of the run after the steps' },
      { name: 'view', value: 'VIEW', choices: VIEWS, help: 'how --trace prints it (see `replay --help`)', default: 'diff' },
      {
        name: 'json',
        help: 'print one JSON object {format, verdict, variant, file, steps, violations, blocked} (docs/schemas/run.schema.json)',
      },
    ],
    notes: [
      'Unless the file says "exit": false or has steps of thread exit0, the processes exit after the last step (the exit0 thread every generated scenario ends with), so that what is still held at the end is reported as a leak.',
      'An operation that blocks ends the run: nothing else runs to wake it. The line names what it waits for.',
      'exit status: 0 every step ran and no property was violated, 1 a violation, or a step blocked, 2 the file or a name in it is wrong (one line naming the field).',
    ],
    examples: [
      'vfio-dmabuf-model run examples/scenarios/export-mmap-revoke.json --variant evans-2026-rfc-v2',
      'vfio-dmabuf-model run my-scenario.json --variant ./my-design.ts --trace',
    ],
  },

  async run(args: Args): Promise<number> {
    const file = args.positionals[0] as string;
    const loaded = await resolveDesign(args.get('variant') ?? VARIANT_FLAG.default);
    const { design } = loaded;
    const domain = asInput(() => designDomain(design));
    const scenario = asInput(() => readScenario(file, domain, design));
    const r = runLoaded(scenario, domain, design);
    const verdict = r.violations.length > 0 || r.blocked ? 'fail' : 'pass';
    const code = verdict === 'fail' ? EXIT.violation : EXIT.pass;
    if (args.has('json')) {
      printJson({
        format: JSON_FORMAT,
        verdict,
        variant: design.name,
        file,
        steps: r.steps.map((s) => ({
          step: s.step,
          thread: s.thread,
          call: s.call,
          ...(s.step >= scenario.given ? { implicit: true } : {}),
          ...('value' in s ? { value: s.value ?? null, returned: errname(s.value) } : {}),
          violations: s.violations.map((v) => ({ kind: v.kind, message: v.message })),
        })),
        violations: r.violations.map((v) => ({ kind: v.kind, message: v.message })),
        blocked: r.blocked,
      });
      return code;
    }
    out(`vfio-dmabuf-model run ${file} on ${design.name}${scenario.doc.description ? `: ${scenario.doc.description}` : ''}`);
    out(
      `setup: ${
        Object.entries(scenario.scenario.setup ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') || '(none)'
      }`,
    );
    out();
    const rows: string[][] = [];
    for (const s of r.steps) {
      const ret = 'value' in s ? errname(s.value) : r.blocked?.step === s.step ? 'BLOCKED' : '-';
      rows.push([String(s.step + 1), s.thread, `${s.call}${s.step >= scenario.given ? ' (the processes exit)' : ''}`, ret]);
      for (const v of s.violations) rows.push(['', '', `VIOLATION ${v.kind}: ${v.message}`, '']);
    }
    outLines(table(['STEP', 'THREAD', 'OPERATION', 'RETURNS'], rows));
    if (args.has('trace')) {
      out();
      outLines(renderTrace(traceInput(r.exec, systemOf(domain, design)), (args.get('view') ?? 'diff') as View, width(args)));
    }
    out();
    const late = r.violations.filter((v) => !r.steps.some((s) => s.violations.includes(v)));
    for (const v of late) out(`VIOLATION ${v.kind}: ${v.message}`);
    if (r.blocked) {
      out(
        `BLOCKED: step ${r.blocked.step + 1} (${r.blocked.thread}) waits at ${r.blocked.at}${r.blocked.waitsFor ? ` — ${r.blocked.waitsFor}` : ''}; in a run nothing else runs to wake it`,
      );
    } else if (r.steps.length < scenario.steps.length)
      out(`the run ended at step ${r.steps.length}: a violation the model raises itself ends it`);
    out(
      r.violations.length
        ? `${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}: ${[...new Set(r.violations.map((v) => v.kind))].join(', ')}`
        : r.blocked
          ? 'no violation before the run blocked'
          : `No violation: ${r.steps.length} steps ran.`,
    );
    return code;
  },
};
