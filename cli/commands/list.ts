/** `list`: names with one-line descriptions. */
import type { DomainName } from '../../model/domain.ts';
import { domainOf } from '../../model/domains.ts';
import { builtinDesigns } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import type { Property } from '../../properties/property.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../errors.ts';
import { out, outLines, printJson, table } from '../io.ts';
import { JSON_FORMAT } from '../report-json.ts';
import { COMMANDS } from './index.ts';

const TOPICS = ['variants', 'properties', 'commands', 'bounds'] as const;
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

export const list: Command = {
  spec: {
    name: 'list',
    brief: 'variants, properties, commands or bounds, one line each',
    summary: 'Lists variants (with their source: seed, kernel version or fix commit), properties, commands or bounds, one line each.',
    positionals: [{ name: 'TOPIC', help: 'what to list', choices: TOPICS }],
    flags: [{ name: 'json', help: 'print JSON (every field) instead of text: {format, <topic>: [...]} (docs/schemas/list.schema.json)' }],
    examples: ['vfio-dmabuf-model list variants', 'vfio-dmabuf-model list properties --json'],
  },

  async run(args: Args): Promise<number> {
    const topic = args.positionals[0] as (typeof TOPICS)[number];
    const json = args.has('json');
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
      const cs = COMMANDS.map((c) => ({ name: c.spec.name, summary: c.spec.brief }));
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
};
