import { sourceOf } from '../checker/compiled/runtime.ts';
import { type SourceOf, unprovenGroups } from '../checker/reduce/touchers.ts';
import type { System } from '../checker/scenario.ts';
import type { Design } from '../model/design.ts';
import type { Domain } from '../model/domain.ts';

/**
 * `check --reduce`: the mover groups (lock types) the design does not prove
 * free of trylocks, racy is-locked reads and frees. Scanned: every function of
 * the design's table (model code reaches kernel functions through it, one
 * entry per kernel function), every operation it adds, and every operation the
 * engine runs (the actors' code, which may call a primitive directly).
 */
export function unprovenLockTypes(domain: Domain, design: Design<object>, system: System): ReadonlySet<string> {
  const sources: SourceOf[] = [];
  const add = (name: string, f: unknown) => {
    if (typeof f === 'function') sources.push({ name, source: sourceOf(f) });
  };
  for (const [name, f] of Object.entries(design.functions as Record<string, unknown>)) add(name, f);
  for (const [name, op] of Object.entries(design.operations ?? {})) add(name, op.run);
  for (const [name, op] of Object.entries(system.ops)) add(`op:${name}`, op);
  return unprovenGroups(sources, domain.lockTouchers);
}
