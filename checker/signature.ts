/**
 * What operations take and which threads may call them, declared by a model
 * so that a scenario from a file can be checked before anything runs: an
 * argument the model never meant (a device that does not exist, a malformed
 * request name) would otherwise fail deep inside the design's code and read
 * as a fault of the design. The engine knows only these shapes, not what the
 * arguments mean.
 */
import type { Scenario } from './scenario.ts';
import type { Args, Value } from './value.ts';

/** A limit that depends on the scenario's setup (the initial world), e.g. "the devices it has, less one". */
export interface SetupLimit {
  /** how `list ops` prints it, e.g. "devices-1" */
  readonly text: string;
  /** its value for a setup as a file records it (the model's defaults fill what is absent) */
  readonly of: (setup: Args) => number;
}

export type ArgType =
  | { readonly type: 'integer'; readonly min: number; readonly max: number | SetupLimit }
  | { readonly type: 'boolean' }
  /** one of these strings */
  | { readonly type: 'name'; readonly values: readonly string[] }
  /** a list of the scenario's thread names, each a thread of `role` */
  | { readonly type: 'threads'; readonly role: string }
  /** a name an operation of the scenario gave what it created (its `as` argument), e.g. a dma-buf it exported */
  | { readonly type: 'handle'; readonly handle: string };

export interface ArgSpec {
  readonly help: string;
  /** the value may be of any of these types */
  readonly accepts: readonly ArgType[];
  /** what the operation uses when the argument is absent (absent from the declaration: the argument is required) */
  readonly default?: Value;
}

export interface OpSignature {
  readonly help: string;
  readonly args: { readonly [name: string]: ArgSpec };
  /** handles the operation resolves against the live world, e.g. "the thread's attachment" */
  readonly takes: readonly string[];
  /** handles it leaves behind for later operations */
  readonly creates: readonly string[];
}

/** A kind of thread: its name is `<role><index>` and it may run only these operations. */
export interface ActorSpec {
  readonly role: string;
  readonly help: string;
  /** threads of this role a scenario may have */
  readonly maxThreads: number | SetupLimit;
  readonly ops: readonly string[];
}

/**
 * A handle a scenario may name: an operation that creates one (its `creates`
 * has the handle's name) may take `as: NAME`, and an argument of type
 * `{type: 'handle'}` may then give NAME instead of the object's creation
 * index (see handles.ts for how a name is resolved as the scenario runs).
 */
export interface HandleSpec {
  /** the kind of the world object the handle is; the model's argument is its index among the objects of that kind */
  readonly kind: string;
}

/** The argument by which an operation that creates a handle names it. */
export const AS = 'as';

/** Everything a model declares about the scenarios files may hold. */
export interface Signatures {
  readonly ops: { readonly [op: string]: OpSignature };
  readonly actors: readonly ActorSpec[];
  /** handles scenarios may name, by the name operations' `creates` give them */
  readonly handles?: { readonly [handle: string]: HandleSpec };
}

/** The handle an operation may name with `as`, or null. */
export function namedHandle(sig: Signatures, op: string): string | null {
  const s = Object.hasOwn(sig.ops, op) ? sig.ops[op] : undefined;
  return s?.creates.find((c) => sig.handles !== undefined && Object.hasOwn(sig.handles, c)) ?? null;
}

/** Every name the scenario's operations give with `as`, and the handle each names (null: given twice, or by an op that names none). */
function scenarioNames(sig: Signatures, scenario: Scenario): Map<string, string> {
  const names = new Map<string, string>();
  for (const t of scenario.threads)
    for (const call of t.ops) {
      const h = namedHandle(sig, call.op);
      const v = call.args[AS];
      if (h !== null && typeof v === 'string') names.set(v, h);
    }
  return names;
}

const limitOf = (l: number | SetupLimit, setup: Args): number => (typeof l === 'number' ? l : l.of(setup));

/** How a type reads in `list ops` and in error messages, e.g. "an integer 0..devices-1" or, for a setup, "0..0". */
export function typeText(t: ArgType, setup?: Args): string {
  switch (t.type) {
    case 'integer': {
      const max = typeof t.max === 'number' ? String(t.max) : setup ? String(t.max.of(setup)) : t.max.text;
      return `an integer ${t.min}..${max}`;
    }
    case 'boolean':
      return 'true or false';
    case 'name':
      return t.values.length === 1 ? `"${t.values[0]}"` : `one of ${t.values.map((v) => `"${v}"`).join(', ')}`;
    case 'threads':
      return `a list of ${t.role} thread names`;
    case 'handle':
      return `the name of a ${t.handle} (given by \`as\`)`;
  }
}

/** Why `v` is not of type `t` in this scenario, or null when it is. */
/** What an argument is checked against: the setup, each thread's role, and each name `as` gives with its handle. */
interface Known {
  readonly setup: Args;
  readonly roles: ReadonlyMap<string, string>;
  readonly names: ReadonlyMap<string, string>;
}

function typeError(t: ArgType, v: Value, { setup, roles, names }: Known): string | null {
  switch (t.type) {
    case 'integer': {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return 'expected an integer';
      const max = limitOf(t.max, setup);
      return v >= t.min && v <= max ? null : `is out of range ${t.min}..${max}`;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : 'expected true or false';
    case 'name':
      return typeof v === 'string' && t.values.includes(v) ? null : `expected ${typeText(t)}`;
    case 'threads': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `expected ${typeText(t)}`;
      const wrong = (v as string[]).find((x) => roles.get(x) !== t.role);
      return wrong === undefined ? null : `"${wrong}" is no ${t.role} thread of the scenario`;
    }
    case 'handle': {
      if (typeof v !== 'string') return `expected ${typeText(t)}`;
      const h = names.get(v);
      if (h === undefined) return `no operation of the scenario names a ${t.handle} "${v}" (with \`as\`)`;
      return h === t.handle ? null : `"${v}" names a ${h}, not a ${t.handle}`;
    }
  }
}

/** The JSON kind of value each type takes. */
const KIND: Record<ArgType['type'], string> = { integer: 'number', boolean: 'boolean', name: 'string', handle: 'string', threads: 'array' };
const jsKind = (v: Value) => (Array.isArray(v) ? 'array' : typeof v);

function argError(spec: ArgSpec, v: Value, known: Known): string | null {
  const { setup } = known;
  const errors = spec.accepts.map((t) => typeError(t, v, known));
  if (errors.some((e) => e === null)) return null;
  const shown = JSON.stringify(v);
  // one type: its own words ("5 is out of range 0..0"); an index or a handle's name: the words of the one of the value's kind
  const handle = spec.accepts.some((t) => t.type === 'handle');
  const own = handle ? spec.accepts.flatMap((t, i) => (KIND[t.type] === jsKind(v) ? [errors[i] as string] : [])) : [];
  if (own.length === 1 || spec.accepts.length === 1) {
    const e = own.length === 1 ? (own[0] as string) : (errors[0] as string);
    if (e.startsWith('expected')) return `${shown}: ${e}`;
    return e.startsWith('is ') ? `${shown} ${e}` : e;
  }
  return `${shown}: expected ${spec.accepts.map((t) => typeText(t, setup)).join(', or ')}`;
}

/** The role of a thread name `<role><index>`, or null when no actor has that name. */
export function roleOf(actors: readonly ActorSpec[], name: string, setup: Args): { role: string; index: number } | null {
  const m = /^([a-z_]+?)(0|[1-9][0-9]*)$/.exec(name);
  if (!m) return null;
  const actor = actors.find((a) => a.role === m[1]);
  const index = Number(m[2]);
  return actor && index < limitOf(actor.maxThreads, setup) ? { role: actor.role, index } : null;
}

const threadNames = (actors: readonly ActorSpec[], setup: Args) =>
  actors.map((a) => `${a.role}0..${a.role}${limitOf(a.maxThreads, setup) - 1}`).join(', ');

/**
 * What is wrong with a scenario against a model's declarations, as
 * "field: what is wrong", or null. Fields are named as in a counterexample
 * file (`scenario.threads[1].ops[0].args.dev`). Each thread's name gives its
 * role (a model may run a thread by what its name says, e.g. which process it
 * is), so a name must be one the model gives, and its operations ones that
 * role runs.
 */
export function scenarioError(sig: Signatures, scenario: Scenario, model: string, where = 'scenario'): string | null {
  const setup = scenario.setup ?? {};
  const roles = new Map<string, string>();
  for (const [i, t] of scenario.threads.entries()) {
    const r = roleOf(sig.actors, t.name, setup);
    if (!r) return `${where}.threads[${i}].name: "${t.name}" is no thread of ${model} (threads: ${threadNames(sig.actors, setup)})`;
    roles.set(t.name, r.role);
  }
  const names = scenarioNames(sig, scenario);
  const given = new Set<string>();
  for (const [i, t] of scenario.threads.entries()) {
    const actor = sig.actors.find((a) => a.role === roles.get(t.name)) as ActorSpec;
    for (const [j, call] of t.ops.entries()) {
      const at = `${where}.threads[${i}].ops[${j}]`;
      const s = Object.hasOwn(sig.ops, call.op) ? sig.ops[call.op] : undefined;
      if (!s)
        return `${at}.op: expected an operation of ${model} ("${call.op}" is not one; operations: ${Object.keys(sig.ops).join(', ')})`;
      if (!actor.ops.includes(call.op))
        return `${at}.op: a ${actor.role} thread does not run ${call.op} (${actor.role} threads run: ${actor.ops.join(', ')})`;
      const handle = namedHandle(sig, call.op);
      if (Object.hasOwn(call.args, AS)) {
        const v = call.args[AS];
        if (handle === null) return `${at}.args.as: ${call.op} creates nothing a later operation can name`;
        if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(v))
          return `${at}.args.as: ${JSON.stringify(v)}: expected a name (a letter or _, then letters, digits, _ . -)`;
        if (given.has(v)) return `${at}.args.as: "${v}" is given twice (each name names one object)`;
        given.add(v);
      }
      for (const name of Object.keys(call.args))
        if (name !== AS && !Object.hasOwn(s.args, name))
          return `${at}.args.${name}: ${call.op} takes no argument "${name}" (${Object.keys(s.args).length ? `arguments: ${Object.keys(s.args).join(', ')}` : 'it takes none'})`;
      for (const [name, spec] of Object.entries(s.args)) {
        const v = Object.hasOwn(call.args, name) ? call.args[name] : undefined;
        if (v === undefined) {
          if (!Object.hasOwn(spec, 'default'))
            return `${at}.args.${name}: missing (${call.op} needs ${spec.accepts.map((t) => typeText(t, setup)).join(', or ')})`;
          continue;
        }
        const e = argError(spec, v, { setup, roles, names });
        if (e !== null) return `${at}.args.${name}: ${e}`;
      }
    }
  }
  return null;
}
