import { layoutOf } from './layout.ts';
import type { Value } from './value.ts';
import type { Lifecycle, World } from './world.ts';

declare const kindBrand: unique symbol;

/**
 * A handle on an object of kind K. At run time it is the object's id, spelled
 * as traces and counterexample files spell it (`priv0`); the brand exists for
 * the compiler only, so `ctx.get(priv, 'revoked')` is checked against the
 * kind's declaration and a handle of one kind cannot stand for another.
 */
export type Ref<K extends string = string> = string & { readonly [kindBrand]: K };

/** A plain string id: what model code that does not use declarations passes (never a Ref). */
export type Id = string & { readonly [kindBrand]?: never };

/**
 * What a function of the kernel layer takes for an object of kind K: its typed
 * handle, or a plain string id (tests, toy models and variants written before
 * handles were typed, which spell ids as literals). A handle of another kind is
 * refused by the compiler; a plain id is taken to be of kind K (refTo).
 */
export type Handle<K extends string> = Ref<K> | Id;

/** Fields: a value each, or, for a field a design may add later, optional (absent until written). */
export type Fields = Record<string, Value | undefined>;

/** One object kind, declared once: its fields with their initial values, its lifecycle, and its views (registered on the kind's layout). */
export interface KindDecl<K extends string, F extends Fields, E extends { readonly type: string }> {
  readonly kind: K;
  readonly init: F;
  readonly lifecycle: Lifecycle<E> | null;
}

/**
 * Fields computed from another field (layout.ts View): one fact stored once.
 * `read` gives the view's value from the stored field's; `write` the stored
 * field's new value when the view is written, given what it holds.
 */
export type Views<F extends Fields> = {
  readonly [N in keyof F]?: {
    readonly of: Exclude<keyof F & string, N>;
    read(stored: Value | undefined): F[N];
    write(value: F[N] & Value, stored: Value | undefined): Value;
  };
};

/**
 * The declared kinds by name, for the typed forms of Ctx (get, set, send).
 * Empty here: a model adds its kinds by declaration merging, so the engine
 * still knows nothing of them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface Kinds {}

export type KindName = keyof Kinds & string;
type DeclOf<K extends KindName> = Kinds[K] extends KindDecl<string, infer F, infer E> ? { fields: F; event: E } : never;
export type FieldsOf<K extends KindName> = DeclOf<K>['fields'];
export type FieldName<K extends KindName> = keyof FieldsOf<K> & string;
export type EventOf<K extends KindName> = DeclOf<K>['event'];

export function declareKind<K extends string, F extends Fields, E extends { readonly type: string }>(
  kind: K,
  init: F,
  lifecycle: Lifecycle<E> | null,
  views: Views<F> = {},
): KindDecl<K, F, E> {
  const layout = layoutOf(kind);
  for (const [name, v] of Object.entries(views) as [string, NonNullable<Views<F>[keyof F]>][])
    layout.defineView(
      name,
      v.of,
      v.read as (s: Value | undefined) => Value | undefined,
      v.write as (value: Value, s: Value | undefined) => Value,
    );
  return { kind, init, lifecycle };
}

/**
 * A new object's fields: the declared initial values, with some given; in the
 * declaration's order. A view not given reads what its stored field will hold,
 * so a given stored field is not overwritten by the view's initial value.
 */
export function initialFields<F extends Fields>(decl: KindDecl<string, F, { type: string }>, given: Partial<F>): Record<string, Value> {
  const out = { ...decl.init, ...given } as Record<string, Value>;
  const layout = layoutOf(decl.kind);
  for (const view of layout.viewList)
    if (view.name in out && !(view.name in given)) out[view.name] = view.read(out[layout.fields[view.of] as string]) as Value;
  return out;
}

/**
 * The handle of an object of a declared kind whose id the model spells itself:
 * a constant (`iommu_pasid_idr`) or an id derived from its owner
 * (`priv0.kref`, objects.ts). The one place a string becomes a Ref, so an id
 * scheme says which kind it names and the compiler checks every use.
 */
export function refTo<K extends KindName>(_kind: K, id: string): Ref<K> {
  return id as Ref<K>;
}

/**
 * A field of a declared kind's object, read as World.peek reads it (not in the
 * step's footprint): for what cannot change under the reader, and inside a
 * point's own `fire`/`enabled`. Typed by the declaration, so the kernel's
 * accessors need no cast.
 */
export function peekField<K extends KindName, F extends FieldName<K>>(w: World, obj: Ref<K>, field: F): FieldsOf<K>[F] {
  return w.peek(obj, field) as FieldsOf<K>[F];
}

/** As peekField, but read as World.get reads it: recorded in the step's footprint. */
export function getField<K extends KindName, F extends FieldName<K>>(w: World, obj: Ref<K>, field: F): FieldsOf<K>[F] {
  return w.get(obj, field) as FieldsOf<K>[F];
}

/** Writes a field of a declared kind's object (World.set), typed by the declaration. */
export function setField<K extends KindName, F extends FieldName<K>>(
  w: World,
  obj: Ref<K>,
  field: F,
  value: Exclude<FieldsOf<K>[F], undefined>,
): void {
  w.set(obj, field, value as Value);
}

/**
 * Creates an object of a declared kind in a world before any thread runs
 * (System.setup): its declared fields, some given, and its lifecycle; the id
 * given or `${kind}${n}`. A running thread uses `ctx.make`, which logs the id.
 */
export function createIn<K extends string, F extends Fields, E extends { readonly type: string }>(
  world: World,
  decl: KindDecl<K, F, E>,
  given: Partial<F>,
  id?: string,
): Ref<K> {
  return world.create(decl.kind, initialFields(decl, given), decl.lifecycle, id) as Ref<K>;
}

/**
 * A value's type with every handle a plain string id: what code written
 * before handles were typed declares. Functions (release callbacks) and
 * non-handle strings are left as they are.
 */
export type LooseValue<T> =
  T extends Ref<string>
    ? string
    : T extends (...a: never[]) => unknown
      ? T
      : T extends readonly (infer E)[]
        ? LooseValue<E>[]
        : T extends object
          ? { [P in keyof T]: LooseValue<T[P]> }
          : T;

type LooseArgs<A extends readonly unknown[]> = { [I in keyof A]: LooseValue<A[I]> };

/** A bound kernel's function with plain string ids in its arguments and result. */
export type LooseFn<F> = F extends (...a: infer A) => Generator<infer Y, infer R, infer N>
  ? (...a: LooseArgs<A>) => Generator<Y, LooseValue<R>, N>
  : F;

/** A bound kernel (K) as code with plain string ids sees it: each function loosened, everything else (ctx, flags) as is. */
export type Loose<T> = { [P in keyof T]: LooseFn<T[P]> };

/** A table entry `(k, ...args)` over the loose kernel with plain string ids: what a variant written with `string` ids declares. */
export type LooseEntry<F> = F extends (k: infer KK, ...a: infer A) => Generator<infer Y, infer R, infer N>
  ? (k: Loose<KK>, ...a: LooseArgs<A>) => Generator<Y, LooseValue<R>, N>
  : F;

/** A function table with plain string ids throughout. */
export type LooseTable<T> = { [N in keyof T]: LooseEntry<T[N]> };
