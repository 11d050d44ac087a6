/**
 * A design: the baseline or a variant of it, as a full function table plus
 * flags. A variant names its base and says exactly what it replaces, so
 * `diff` and docs/matrix.md can show how two designs differ.
 */

import type { FunctionTable } from './dmabuf/functions.ts';
import { DEFAULT_FLAGS, type Flags } from './flags.ts';

export interface Design<T extends object = FunctionTable> {
  /** exact name, e.g. "upstream-7.1", "before-kref-underflow" */
  readonly name: string;
  /** one line */
  readonly summary: string;
  /** where it comes from: seed, kernel version, or the fix commit it predates */
  readonly source: string;
  /** the design it is derived from (null for a root design) */
  readonly base: string | null;
  /** how it differs from its base, one line each, in kernel terms */
  readonly differences: readonly string[];
  /** names of the functions replaced relative to the base */
  readonly replaced: readonly string[];
  readonly functions: T;
  readonly flags: Flags;
  /** properties that do not apply to this design, with why */
  readonly notApplicable: Readonly<Record<string, string>>;
  /** which lifecycle this design models: the property catalog and the actors differ */
  readonly domain: 'dmabuf' | 'sva';
  /** bounds (over the domain's defaults) at which the matrix checks this design: what its scenarios need */
  readonly bounds: Readonly<Record<string, number>>;
  /** the primary process's commands the matrix uses for this design (all when empty): keeps exhaustive rows small */
  readonly focus: readonly string[];
}

/** What a variant module writes: its base, and what it changes. */
export interface VariantSpec<T extends object = FunctionTable> {
  readonly name: string;
  readonly summary: string;
  readonly source: string;
  readonly differences: readonly string[];
  readonly replace?: Partial<T>;
  readonly flags?: Partial<Flags>;
  readonly notApplicable?: Readonly<Record<string, string>>;
  readonly bounds?: Readonly<Record<string, number>>;
  readonly focus?: readonly string[];
}

/** A design derived from `base` by replacing functions and setting flags. */
export function defineVariant<T extends object = FunctionTable>(base: Design<T>, spec: VariantSpec<T>): Design<T> {
  const replace = spec.replace ?? {};
  for (const name of Object.keys(replace))
    if (!(name in base.functions)) throw new Error(`variant ${spec.name} replaces ${name}, which design ${base.name} does not have`);
  return {
    name: spec.name,
    summary: spec.summary,
    source: spec.source,
    base: base.name,
    differences: spec.differences,
    replaced: Object.keys(replace).sort(),
    functions: { ...base.functions, ...replace } as T,
    flags: { ...base.flags, ...spec.flags },
    notApplicable: { ...base.notApplicable, ...spec.notApplicable },
    domain: base.domain,
    bounds: spec.bounds ?? {},
    focus: spec.focus ?? [],
  };
}

export function rootDesign<T extends object = FunctionTable>(
  spec: Omit<Design<T>, 'base' | 'replaced' | 'flags' | 'notApplicable' | 'bounds' | 'focus'> & {
    flags?: Partial<Flags>;
    notApplicable?: Record<string, string>;
    bounds?: Record<string, number>;
    focus?: string[];
  },
): Design<T> {
  return {
    ...spec,
    base: null,
    replaced: [],
    flags: { ...DEFAULT_FLAGS, ...spec.flags },
    notApplicable: spec.notApplicable ?? {},
    bounds: spec.bounds ?? {},
    focus: spec.focus ?? [],
  };
}
