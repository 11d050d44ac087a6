/**
 * Names a scenario gives what its operations create (signature.ts, HandleSpec):
 * `export_dmabuf(as=buf1)` then `dmabuf_mmap(dmabuf=buf1)`. Which object an
 * operation creates depends on the interleaving (two exports race for the
 * next index), so a name cannot be turned into a creation index before the
 * scenario runs: it is bound as the operation returns, in the world (another
 * thread may use it), and resolved as the using operation starts.
 *
 * The model never sees a name: an operation that names what it creates runs
 * with a ctx that notes the first object of the handle's kind it creates, and
 * an argument that gives a name gets that object's creation index, or, for a
 * name not bound yet in this execution (its operation failed, or has not
 * returned), an index past the last object, which the model answers as it
 * does any handle that does not exist (-EBADF).
 */
import type { Ctx, OpFn, OpGenerator } from './context.ts';
import type { System } from './scenario.ts';
import { type ArgSpec, AS, namedHandle, type Signatures } from './signature.ts';
import type { Args, Value } from './value.ts';

const bindingId = (name: string) => `handle.${name}`;

/** The object a name is bound to in this execution, or null. */
function lookup(ctx: Ctx, name: string): string | null {
  return ctx.exists(bindingId(name)) ? ctx.get<string>(bindingId(name), 'obj') : null;
}

/** An operation's result is a success when it is not a negative number (an errno). */
const succeeded = (ret: Value | undefined) => !(typeof ret === 'number' && ret < 0);

/**
 * A view of `ctx` whose create() and make() (a declared kind's create) also tell
 * `onCreate` (bound methods, so the ctx's own fields stay its own).
 */
function noting(ctx: Ctx, onCreate: (kind: string, id: string) => void): Ctx {
  return new Proxy(ctx, {
    get(target, prop) {
      if (prop === 'create')
        return (...a: Parameters<Ctx['create']>) => {
          const id = target.create(...a);
          onCreate(a[0], id);
          return id;
        };
      if (prop === 'make')
        return (...a: Parameters<Ctx['make']>) => {
          const id = target.make(...a);
          onCreate(a[0].kind, id);
          return id;
        };
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

function handleArgs(spec: { readonly [name: string]: ArgSpec }): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, a] of Object.entries(spec)) {
    const t = a.accepts.find((x) => x.type === 'handle');
    if (t?.type === 'handle') out.set(name, t.handle);
  }
  return out;
}

/** The fixed names an argument also accepts (`{type: 'name'}`): such a value is no handle name, the model reads it as it is. */
function fixedNames(spec: { readonly [name: string]: ArgSpec }): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [name, a] of Object.entries(spec))
    out.set(
      name,
      a.accepts.flatMap((x) => (x.type === 'name' ? x.values : [])),
    );
  return out;
}

function wrap(op: OpFn, sig: Signatures, opName: string): OpFn {
  const s = sig.ops[opName];
  const uses = s ? handleArgs(s.args) : new Map<string, string>();
  const fixed = s ? fixedNames(s.args) : new Map<string, readonly string[]>();
  const isHandleName = (arg: string, v: Value) => uses.has(arg) && typeof v === 'string' && !fixed.get(arg)?.includes(v);
  const names = namedHandle(sig, opName);
  if (uses.size === 0 && names === null) return op;
  const handles = sig.handles ?? {};
  const kindOf = (h: string) => (handles[h] as { kind: string }).kind;
  // Stryker disable next-line ConditionalExpression,MethodExpression: a shortcut: named() runs a call that names nothing exactly as the operation itself
  const needs = (args: Args) => Object.hasOwn(args, AS) || [...uses.keys()].some((a) => isHandleName(a, args[a] as Value));
  return (ctx, args) => (needs(args) ? named(op, ctx, args) : op(ctx, args));

  function* named(inner: OpFn, ctx: Ctx, args: Args): OpGenerator {
    const resolved: Record<string, Value> = {};
    for (const [k, v] of Object.entries(args)) {
      if (k === AS) continue;
      const h = uses.get(k);
      if (h === undefined || typeof v !== 'string' || !isHandleName(k, v)) {
        resolved[k] = v;
        continue;
      }
      const all = ctx.ids(kindOf(h));
      const obj = lookup(ctx, v);
      // Stryker disable next-line ConditionalExpression: indexOf(null) is -1 too
      const i = obj === null ? -1 : all.indexOf(obj);
      resolved[k] = i < 0 ? all.length : i;
    }
    const as = args[AS];
    if (typeof as !== 'string' || names === null) return yield* inner(ctx, resolved);
    const kind = kindOf(names);
    let created: string | null = null;
    const ret = yield* inner(
      noting(ctx, (k, id) => {
        if (k === kind && created === null) created = id;
      }),
      resolved,
    );
    if (created !== null && succeeded(ret)) ctx.world.create('handle', { obj: created }, null, bindingId(as));
    return ret;
  }
}

const wrapped = new WeakMap<System, System>();

/**
 * The system with handle names resolved, for a model that declares handles
 * (the same object for the same system, so that its setup's world is built once).
 * Operations given no name run exactly as before.
 */
export function withHandles(system: System, sig: Signatures): System {
  if (!sig.handles || Object.keys(sig.handles).length === 0) return system;
  const known = wrapped.get(system);
  if (known) return known;
  const ops: Record<string, OpFn> = {};
  for (const [name, fn] of Object.entries(system.ops)) ops[name] = wrap(fn, sig, name);
  const out: System = { ...system, ops };
  wrapped.set(system, out);
  return out;
}
