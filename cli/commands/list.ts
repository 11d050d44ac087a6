/** `list`: names with one-line descriptions. */
import { type ActorSpec, type ArgSpec, type ArgType, namedHandle, type OpSignature } from '../../checker/signature.ts';
import { designDomain } from '../../model/design-domain.ts';
import type { Domain, DomainName } from '../../model/domain.ts';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import type { Property } from '../../properties/property.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { asInput, EXIT, UsageError } from '../errors.ts';
import { out, outLines, printJson, table } from '../io.ts';
import { JSON_FORMAT } from '../report-json.ts';
import { resolveDesign } from '../setup.ts';

const TOPICS = ['variants', 'properties', 'commands', 'bounds', 'ops'] as const;
const DOMAINS: readonly DomainName[] = ['dmabuf', 'sva'];

/** The first sentence of a statement, for one-line listings. */
export function firstSentence(text: string, max = 110): string {
  const m = /^(.*?\.)(\s+[A-Z(]|$)/s.exec(text);
  const s = (m ? (m[1] as string) : text).replace(/\.$/, '');
  return s.length > max ? `${s.slice(0, max - 1).replace(/\s+\S*$/, '')} …` : s;
}

function properties(): { name: string; domains: DomainName[]; checked: string[]; statement: string; property: Property }[] {
  const out: { name: string; domains: DomainName[]; checked: string[]; statement: string; property: Property }[] = [];
  for (const d of DOMAINS)
    for (const p of propertiesOf(d)) {
      const old = out.find((x) => x.name === p.name);
      if (old) {
        if (!old.domains.includes(d)) old.domains.push(d);
        continue;
      }
      out.push({ name: p.name, domains: [d], checked: [...p.checked], statement: p.statement, property: p });
    }
  return out;
}

/** `list TOPIC --json`: one object, `{format, <topic>: [...]}` (docs/schemas/list.schema.json). */
function printList(topic: (typeof TOPICS)[number], items: readonly unknown[]): void {
  printJson({ format: JSON_FORMAT, [topic]: items });
}

/** An argument's type as `list ops` prints it: `0..devices-1`, `true|false`, `"self"|1..procs`. */
function typeShort(t: ArgType): string {
  switch (t.type) {
    case 'integer':
      return `${t.min}..${typeof t.max === 'number' ? t.max : t.max.text}`;
    case 'boolean':
      return 'true|false';
    case 'name':
      return t.values.map((v) => JSON.stringify(v)).join('|');
    case 'threads':
      return `[${t.role} threads]`;
    case 'handle':
      return `<${t.handle} name>`;
  }
}

const argText = (name: string, a: ArgSpec) =>
  `${name}: ${a.accepts.map(typeShort).join('|')}${Object.hasOwn(a, 'default') ? ` = ${JSON.stringify(a.default)}` : ''}`;

const threadRange = (a: ActorSpec) => {
  const max = typeof a.maxThreads === 'number' ? String(a.maxThreads - 1) : `<${a.maxThreads.text}-1>`;
  return max === '0' ? `${a.role}0` : `${a.role}0..${a.role}${max}`;
};

/**
 * Every actor of each domain with the operations its threads run: what `--focus` takes and what files may name.
 * With a design: its domain only, with the operations it adds (`added`: true).
 */
function ops(domains: readonly Domain[], added: ReadonlySet<string>) {
  return domains.flatMap((dom) => {
    const sig = dom.signatures;
    return sig.actors.map((a) => ({
      domain: dom.name,
      role: a.role,
      threads: threadRange(a),
      help: a.help,
      ops: a.ops.map((name) => {
        const o = sig.ops[name] as OpSignature;
        const names = namedHandle(sig, name);
        return {
          name,
          help: o.help,
          args: o.args,
          takes: o.takes,
          creates: o.creates,
          ...(names ? { names } : {}),
          ...(added.has(name) ? { added: true } : {}),
        };
      }),
    }));
  });
}

/** `list`, given the commands `list commands` names (index.ts, whose list has this one in it). */
export const listOf = (commands: () => readonly Command[]): Command => ({
  spec: {
    name: 'list',
    brief: 'variants, properties, commands, bounds or operations, one line each',
    summary:
      'Lists variants (with their source: seed, kernel version or fix commit), properties, commands, bounds, or the operations each kind of thread runs with their arguments (ops), one line each.',
    positionals: [{ name: 'TOPIC', help: 'what to list', choices: TOPICS }],
    flags: [
      { name: 'json', help: 'print JSON (every field) instead of text: {format, <topic>: [...]} (docs/schemas/list.schema.json)' },
      {
        name: 'variant',
        value: 'NAME|PATH',
        help: "with ops: that design's operations only (its domain's, and those it adds, marked added)",
      },
    ],
    notes: [
      'ops: the threads of each model by role (a thread is named <role><n>), and the operations they run, with their arguments (type or range, and the default when one may be left out) and the handles each takes and creates. These are the operations --focus takes (those of the primary or user threads) and all that counterexample files may name; replay checks a file against them before anything runs.',
    ],
    examples: [
      'vfio-dmabuf-model list variants',
      'vfio-dmabuf-model list properties --json',
      'vfio-dmabuf-model list ops',
      'vfio-dmabuf-model list ops --variant examples/variants/feature-revoke-all.ts',
    ],
  },

  async run(args: Args): Promise<number> {
    const topic = args.positionals[0] as (typeof TOPICS)[number];
    const json = args.has('json');
    const variant = args.get('variant');
    if (variant !== undefined && topic !== 'ops') throw new UsageError(`--variant applies to list ops only, not to list ${topic}`);
    if (topic === 'variants') {
      const ds = builtinDesigns();
      if (json)
        printList(
          'variants',
          ds.map((d) => ({
            name: d.name,
            domain: d.domain,
            summary: d.summary,
            source: d.source,
            base: d.base,
            differences: d.differences,
            replaced: d.replaced,
            bounds: d.bounds,
            focus: d.focus,
            notApplicable: d.notApplicable,
          })),
        );
      else {
        const w = Math.max(...ds.map((d) => d.name.length));
        for (const d of ds) {
          out(`${d.name.padEnd(w)}  ${d.domain.padEnd(6)}  ${d.summary}`);
          out(`${''.padEnd(w)}  ${''.padEnd(6)}  source: ${d.source}${d.base ? `; base: ${d.base}` : ''}`);
        }
      }
      return EXIT.pass;
    }
    if (topic === 'properties') {
      const ps = properties();
      if (json)
        printList(
          'properties',
          ps.map((p) => ({
            name: p.name,
            domains: p.domains,
            checked: p.checked,
            statement: p.statement,
            kinds: p.property.kinds,
            limits: p.property.limits,
          })),
        );
      else
        outLines(
          table(
            ['PROPERTY', 'DOMAINS', 'CHECKED', 'CLAIM'],
            ps.map((p) => [p.name, p.domains.join(','), p.checked.join(', '), firstSentence(p.statement)]),
          ),
        );
      return EXIT.pass;
    }
    if (topic === 'commands') {
      const cs = commands().map((c) => ({ name: c.spec.name, summary: c.spec.brief }));
      if (json) printList('commands', cs);
      else
        outLines(
          table(
            ['COMMAND', 'WHAT IT DOES'],
            cs.map((c) => [c.name, c.summary]),
          ),
        );
      return EXIT.pass;
    }
    if (topic === 'ops') {
      const design = variant === undefined ? null : (await resolveDesign(variant)).design;
      const as = design
        ? ops([asInput(() => designDomain(design))], new Set(Object.keys(design.operations ?? {})))
        : ops(
            DOMAINS.map((d) => domainOf(d)),
            new Set(),
          );
      if (design && !json) out(`operations of ${design.name}`);
      if (json) printList('ops', as);
      else
        for (const [i, a] of as.entries()) {
          if (i === 0 || as[i - 1]?.domain !== a.domain) out(`${i ? '\n' : ''}${a.domain}`);
          out(`  ${a.threads}: ${a.help}`);
          for (const o of a.ops) {
            const handles = [o.takes.length ? `takes ${o.takes.join(', ')}` : '', o.creates.length ? `creates ${o.creates.join(', ')}` : '']
              .filter((x) => x)
              .join('; ');
            out(
              `    ${o.name}(${[
                ...Object.entries(o.args).map(([n, x]) => argText(n, x)),
                ...('names' in o ? [`as: <${o.names} name>`] : []),
              ].join(', ')})  ${o.help}${handles ? ` [${handles}]` : ''}${'added' in o && design ? ` (added by ${design.name})` : ''}`,
            );
          }
        }
      return EXIT.pass;
    }
    // bounds
    const bs = DOMAINS.flatMap((d) => {
      const dom = domainOf(d);
      return Object.entries(dom.defaultBounds).map(([key, def]) => ({ domain: d, key, default: def, help: dom.boundHelp[key] ?? '' }));
    });
    if (json) printList('bounds', bs);
    else
      outLines(
        table(
          ['DOMAIN', 'BOUND', 'DEFAULT', 'WHAT IT COUNTS'],
          bs.map((b) => [b.domain, b.key, String(b.default), b.help]),
          new Set([2]),
        ),
      );
    return EXIT.pass;
  },
});
