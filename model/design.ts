/**
 * A design: the baseline or a variant of it, as a full function table plus
 * flags. A variant names its base and says exactly what it replaces, so
 * `diff` and docs/matrix.md can show how two designs differ.
 */

import type { Ctx } from '../checker/context.ts';
import type { LooseEntry } from '../checker/kind.ts';
import type { MachineKind } from '../checker/machine-kind.ts';
import type { OpCall } from '../checker/scenario.ts';
import type { OpSignature, Signatures } from '../checker/signature.ts';
import type { CommandSpec } from '../checker/space.ts';
import type { Args } from '../checker/value.ts';
import type { Gen } from './bind.ts';
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
  /** names of the functions added relative to the root design (absent: none) */
  readonly added?: readonly string[];
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
  /** operations added by this design or its bases, by name (none for the built-in model) */
  readonly operations?: Readonly<Record<string, AddedOperation>>;
  /** actors (thread roles) added by this design or its bases, by role (AddedActor) */
  readonly actors?: Readonly<Record<string, AddedActor>>;
  /** object kinds added by this design or its bases, by kind name, each with its XState lifecycle */
  readonly kinds?: Readonly<Record<string, MachineKind>>;
}

/**
 * An operation a variant adds (a new ioctl or feature of the device fd, a new
 * file operation): which actor's threads run it, its declared arguments (as
 * `list ops` prints them; a scenario is checked against them) and its body,
 * given the thread's bound table `k` (added functions included) and its arguments.
 */
export interface AddedOperation {
  /** the role of the threads that may run it, e.g. "primary" */
  readonly actor: string;
  readonly signature: OpSignature;
  // biome-ignore lint/suspicious/noExplicitAny: k is the domain's bound table (K or SvaK) plus the variant's added functions
  readonly run: (k: any, args: Args) => Gen<unknown>;
}

/**
 * An actor (a kind of thread) a variant adds, with the bound that says how
 * many threads of it a generated scenario has: a posted series often adds a
 * path run by a new party (a KVM vCPU faulting on a memslot, a second
 * process), not only a new ioctl of the primary process.
 */
export interface AddedActor {
  /** the bound key (`--bound KEY=N`) counting the role's threads; its default is 0, so the default space is the base's */
  readonly bound: string;
  /** one line: who the threads are (`list ops`, `list bounds`) */
  readonly help: string;
  /** the largest value the bound accepts (absent: 2) */
  readonly max?: number;
  /** the role's own operations (each is added as an operation whose actor is this role) */
  readonly ops?: Readonly<Record<string, Omit<AddedOperation, 'actor'>>>;
  /** what thread `index` of the role runs first in a generated scenario, in order (absent: nothing) */
  readonly thread?: (index: number, bounds: Readonly<Record<string, number>>) => readonly OpCall[];
  /** commands its threads then pick freely, each with a finite domain per argument (absent: none) */
  readonly commands?: readonly CommandSpec[];
}

export const DEFAULT_ACTOR_MAX = 2;

/** The domain's signatures with a design's added operations in them. */
export function signaturesWith(sig: Signatures, design: Pick<Design<object>, 'name' | 'operations' | 'actors'>): Signatures {
  const added = Object.entries(design.operations ?? {});
  if (added.length === 0 && !design.actors) return sig;
  sig = actorsWith(sig, design);
  for (const [name, op] of added)
    if (!sig.actors.some((a) => a.role === op.actor))
      throw new Error(`design ${design.name} adds ${name} to actor ${op.actor}, which does not exist`);
  return {
    ...sig,
    ops: { ...sig.ops, ...Object.fromEntries(added.map(([n, op]) => [n, op.signature])) },
    // idempotent: a domain that has them already (model/domains.ts domainFor) keeps each once
    actors: sig.actors.map((a) => ({
      ...a,
      ops: [...a.ops, ...added.filter(([n, op]) => op.actor === a.role && !a.ops.includes(n)).map(([n]) => n)],
    })),
  };
}

/** The domain's actors with a design's added ones (no operations yet: signaturesWith adds them). */
function actorsWith(sig: Signatures, design: Pick<Design<object>, 'name' | 'actors'>): Signatures {
  // idempotent: signatures that have the design's actors already (the help says whose) keep each once
  const added = Object.entries(design.actors ?? {}).filter(([role, a]) => {
    const known = sig.actors.find((x) => x.role === role);
    if (known && known.help !== a.help) throw new Error(`design ${design.name} adds actor ${role}, which the model already has`);
    return !known;
  });
  const actors = added.map(([role, a]) => ({ role, help: a.help, maxThreads: a.max ?? DEFAULT_ACTOR_MAX, ops: [] }));
  return { ...sig, actors: [...sig.actors, ...actors] };
}

/** The engine's op functions of a design's added operations, each running on the thread's bound table. */
export function addedOps(design: Design<object>, bind: (ctx: Ctx) => unknown): Record<string, (ctx: Ctx, args: Args) => Gen<unknown>> {
  return Object.fromEntries(
    Object.entries(design.operations ?? {}).map(([n, op]) => [n, (ctx: Ctx, args: Args) => op.run(bind(ctx), args)]),
  );
}

/** What a variant module writes: its base, and what it changes. */
export interface VariantSpec<T extends object = FunctionTable> {
  readonly name: string;
  readonly summary: string;
  readonly source: string;
  readonly differences: readonly string[];
  /** replacements by name: each typed as the table's entry, or with plain string ids where it has handles (LooseEntry) */
  readonly replace?: { readonly [N in keyof T]?: T[N] | LooseEntry<T[N]> };
  readonly flags?: Partial<Flags>;
  readonly notApplicable?: Readonly<Record<string, string>>;
  readonly bounds?: Readonly<Record<string, number>>;
  /** the primary commands the matrix uses; absent: the base's */
  readonly focus?: readonly string[];
  /** what the variant adds: new table functions (kernel functions the base has not) and new operations */
  readonly add?: {
    // biome-ignore lint/suspicious/noExplicitAny: an added function takes the domain's bound table first
    readonly functions?: Readonly<Record<string, (k: any, ...args: any[]) => Gen<unknown>>>;
    readonly operations?: Readonly<Record<string, AddedOperation>>;
    /** new thread roles, each with its bound key and its operations (AddedActor) */
    readonly actors?: Readonly<Record<string, AddedActor>>;
    /** new object kinds, each declared with `machineKind` (its fields, XState machine and events) */
    readonly kinds?: Readonly<Record<string, MachineKind>>;
  };
}

/**
 * A design derived from `base` by replacing functions and setting flags. */
export function defineVariant<T extends object = FunctionTable>(base: Design<T>, spec: VariantSpec<T>): Design<T> {
  const replace = spec.replace ?? {};
  for (const name of Object.keys(replace))
    if (!(name in base.functions)) throw new Error(`variant ${spec.name} replaces ${name}, which design ${base.name} does not have`);
  const addFns = spec.add?.functions ?? {};
  for (const name of Object.keys(addFns))
    if (name in base.functions) throw new Error(`variant ${spec.name} adds ${name}, which design ${base.name} already has: replace it`);
  const addOps = { ...spec.add?.operations, ...actorOps(spec) };
  for (const name of Object.keys(addOps))
    if (base.operations && name in base.operations)
      throw new Error(`variant ${spec.name} adds operation ${name}, which design ${base.name} already has`);
  return {
    name: spec.name,
    summary: spec.summary,
    source: spec.source,
    base: base.name,
    differences: spec.differences,
    replaced: Object.keys(replace).sort(),
    added: [...(base.added ?? []), ...Object.keys(addFns)].sort(),
    functions: { ...base.functions, ...addFns, ...replace } as T,
    flags: { ...base.flags, ...spec.flags },
    notApplicable: { ...base.notApplicable, ...spec.notApplicable },
    domain: base.domain,
    bounds: { ...base.bounds, ...spec.bounds },
    focus: spec.focus ?? base.focus,
    operations: { ...base.operations, ...addOps },
    ...addedActorsAndKinds(base, spec),
  };
}

/** The operations `add.actors` declares, each with its actor's role. */
function actorOps(spec: VariantSpec<object>): Record<string, AddedOperation> {
  const out: Record<string, AddedOperation> = {};
  for (const [role, a] of Object.entries(spec.add?.actors ?? {}))
    for (const [name, op] of Object.entries(a.ops ?? {})) {
      if (name in out || (spec.add?.operations && name in spec.add.operations))
        throw new Error(`variant ${spec.name} adds operation ${name} twice`);
      out[name] = { ...op, actor: role };
    }
  return out;
}

/** The base's added actors and kinds with the variant's; a role, a bound key or a kind added twice is refused. */
function addedActorsAndKinds(base: Design<object>, spec: VariantSpec<object>): Pick<Design<object>, 'actors' | 'kinds'> {
  const actors = { ...base.actors };
  for (const [role, a] of Object.entries(spec.add?.actors ?? {})) {
    if (!/^[a-z_]+$/.test(role))
      throw new Error(`variant ${spec.name} adds actor "${role}": a role is lower-case letters and _ (threads are <role><n>)`);
    if (role in actors) throw new Error(`variant ${spec.name} adds actor ${role}, which design ${base.name} already has`);
    if (Object.values(actors).some((b) => b.bound === a.bound))
      throw new Error(`variant ${spec.name} adds bound ${a.bound}, which design ${base.name} already has`);
    actors[role] = a;
  }
  const kinds = { ...base.kinds };
  for (const [name, k] of Object.entries(spec.add?.kinds ?? {})) {
    if (k.kind !== name) throw new Error(`variant ${spec.name} adds kind ${name} declared as ${k.kind}`);
    if (name in kinds) throw new Error(`variant ${spec.name} adds kind ${name}, which design ${base.name} already has`);
    kinds[name] = k;
  }
  return {
    ...(Object.keys(actors).length ? { actors } : {}),
    ...(Object.keys(kinds).length ? { kinds } : {}),
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
