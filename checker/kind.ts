import type { Value } from './value.ts';
import type { Lifecycle } from './world.ts';

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

/** One object kind, declared once: its fields with their initial values, and its lifecycle. */
/** Fields: a value each, or, for a field a design may add later, optional (absent until written). */
export type Fields = Record<string, Value | undefined>;

export interface KindDecl<K extends string, F extends Fields, E extends { readonly type: string }> {
  readonly kind: K;
  readonly init: F;
  readonly lifecycle: Lifecycle<E> | null;
}

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
): KindDecl<K, F, E> {
  return { kind, init, lifecycle };
}

/** A new object's fields: the declared initial values, with some given; in the declaration's order. */
export function initialFields<F extends Fields>(decl: KindDecl<string, F, { type: string }>, given: Partial<F>): Record<string, Value> {
  return { ...decl.init, ...given } as Record<string, Value>;
}
