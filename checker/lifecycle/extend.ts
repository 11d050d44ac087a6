import { type AnyStateMachine, createMachine } from 'xstate';

/** What an extension adds to a machine: states (merged into the base's, nested states too), root transitions, and named guards and actions. */
export interface MachineExtension {
  /** the new machine's id (absent: the base's): an extended lifecycle is another object's, so it usually gets a name of its own */
  readonly id?: string;
  /** the initial state (absent: the base's) */
  readonly initial?: string;
  /**
   * States by name, merged into the base's: a new name is a new state; an
   * existing one keeps what it has and gains what is given (an `on` entry for
   * an event it already handles replaces that entry).
   */
  // biome-ignore lint/suspicious/noExplicitAny: XState's state config, whatever the machine's types
  readonly states?: Readonly<Record<string, any>>;
  /** root-level transitions, merged into the base's */
  // biome-ignore lint/suspicious/noExplicitAny: as states
  readonly on?: Readonly<Record<string, any>>;
  // biome-ignore lint/suspicious/noExplicitAny: guard and action implementations as XState takes them
  readonly guards?: Readonly<Record<string, (...args: any[]) => boolean>>;
  // biome-ignore lint/suspicious/noExplicitAny: as guards
  readonly actions?: Readonly<Record<string, any>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` merged into `base` key by key, objects recursively; anything else (a target, a list of guarded transitions) replaced. */
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v) : v;
  return out;
}

/**
 * A new XState machine: `base`'s definition (its config and its guards and
 * actions) with `ext`'s states, transitions and implementations merged in.
 * The base is left as it is, so the built-in objects keep their lifecycle; the
 * result is compiled like any machine (`compileLifecycle`), and what the
 * compiler refuses in it (`reject.ts`) is refused there.
 */
export function extendMachine(base: AnyStateMachine, ext: MachineExtension): AnyStateMachine {
  const config = merge(base.config, {
    ...(ext.id === undefined ? {} : { id: ext.id }),
    ...(ext.initial === undefined ? {} : { initial: ext.initial }),
    ...(ext.states === undefined ? {} : { states: ext.states }),
    ...(ext.on === undefined ? {} : { on: ext.on }),
  }) as never;
  const impl = base.implementations;
  return createMachine(config, {
    ...impl,
    guards: { ...impl.guards, ...ext.guards },
    actions: { ...impl.actions, ...ext.actions },
  } as never) as unknown as AnyStateMachine;
}
