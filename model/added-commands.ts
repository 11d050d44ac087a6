/**
 * The operations a design adds (Design.operations) as commands of the
 * generated space: each argument takes every value its declaration allows
 * (an integer range, true and false, each name), so exhaustive and random
 * search choose them as they choose the model's own commands. An argument
 * no search can choose by itself (a handle name, a list of threads) is left
 * at its default; an operation with such an argument and no default is not
 * generated (it runs from scenario files, and coverage shows it never ran).
 */

import type { ArgSpec, ArgType } from '../checker/signature.ts';
import type { CommandSpec } from '../checker/space.ts';
import type { Args, Value } from '../checker/value.ts';
import type { Design } from './design.ts';
import type { AddedCommands } from './domain.ts';

/** Every value of a type the search can enumerate, or null (a handle name, a thread list). */
function valuesOf(t: ArgType, setup: Args): Value[] | null {
  switch (t.type) {
    case 'integer': {
      const max = typeof t.max === 'number' ? t.max : t.max.of(setup);
      return Array.from({ length: Math.max(0, max - t.min + 1) }, (_, i) => t.min + i);
    }
    case 'boolean':
      return [false, true];
    case 'name':
      return [...t.values];
    default:
      return null;
  }
}

/** The argument's values (each once), `[]` to leave it at its default, or null when the search cannot give it. */
function argDomain(a: ArgSpec, setup: Args): Value[] | null {
  const values = a.accepts.flatMap((t) => valuesOf(t, setup) ?? []);
  if (values.length > 0) return [...new Set(values)];
  return Object.hasOwn(a, 'default') ? [] : null;
}

/** The design's added operations as commands, by the role of the threads that run them; `setup` resolves setup-dependent limits. */
export function addedCommands(design: Pick<Design<object>, 'operations'>, setup: Args): AddedCommands {
  const out: Record<string, CommandSpec[]> = {};
  for (const [op, spec] of Object.entries(design.operations ?? {})) {
    const args: Record<string, Value[]> = {};
    let generated = true;
    for (const [name, a] of Object.entries(spec.signature.args)) {
      const values = argDomain(a, setup);
      if (values === null) generated = false;
      else if (values.length > 0) args[name] = values;
    }
    if (!generated) continue;
    const cmd: CommandSpec = Object.keys(args).length ? { op, args } : { op };
    (out[spec.actor] ??= []).push(cmd);
  }
  return out;
}
