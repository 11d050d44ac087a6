/**
 * The digest a version-2 counterexample file records of the design it was
 * found on: the sources of the design's functions, of the operations threads
 * run, of its domain's lifecycles (the XState definitions with their guards
 * and actions), its flags and its bounds. A replay compares it to tell "the
 * model changed since the file was saved" from "the file was edited".
 */
import { createHash } from 'node:crypto';
import { sourceOf } from '../checker/compiled/runtime.ts';
import type { Design } from './design.ts';
import { commands } from './dmabuf/actors.ts';
import { machines } from './dmabuf/machines/index.ts';
import { domainOf } from './domains.ts';
import { svaCommands } from './sva/actors.ts';
import { svaMachines } from './sva/machines.ts';

const MODEL = {
  dmabuf: { commands, machines },
  sva: { commands: svaCommands, machines: svaMachines },
} as const;

/**
 * Canonical text of the model's own definitions: functions as their source (a
 * compiled generator's native body, not its wrapper, which is the same text for
 * all of them), object keys sorted, shared parts once.
 */
function sourceText(v: unknown, seen: WeakSet<object>): string {
  if (typeof v === 'function') return `fn:${sourceOf(v)}`;
  if (v === null || typeof v !== 'object') return v === undefined ? 'undefined' : JSON.stringify(v);
  if (seen.has(v)) return '(seen)';
  seen.add(v);
  if (Array.isArray(v)) return `[${v.map((x) => sourceText(x, seen)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${sourceText(o[k], seen)}`)
    .join(',')}}`;
}

/** An XState machine by what defines it (its config and implementations), not its runtime caches. */
const definition = (m: unknown) => {
  const x = m as { config?: unknown; implementations?: unknown };
  return { config: x.config, implementations: x.implementations };
};

/** An added kind by what defines it: its fields, its machine's definition and the events the model sends. */
const addedKind = (d: NonNullable<Design<object>['kinds']>[string]) => ({ init: d.init, machine: definition(d.machine), events: d.events });

export function designDigest(design: Design<object>): string {
  const model = MODEL[design.domain];
  const text = sourceText(
    {
      functions: design.functions,
      commands: model.commands,
      lifecycles: Object.fromEntries(Object.entries(model.machines).map(([k, m]) => [k, definition(m)])),
      flags: design.flags,
      bounds: { ...domainOf(design.domain).defaultBounds, ...design.bounds },
      // what a design adds, only when it adds it: the digests of the built-in designs stay as saved files have them
      ...(Object.keys(design.operations ?? {}).length ? { operations: design.operations } : {}),
      ...(design.actors ? { actors: design.actors } : {}),
      ...(design.kinds ? { kinds: Object.fromEntries(Object.entries(design.kinds).map(([k, d]) => [k, addedKind(d)])) } : {}),
    },
    new WeakSet(),
  );
  return createHash('sha256').update(text).digest('hex');
}
