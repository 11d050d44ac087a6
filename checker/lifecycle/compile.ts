import type { AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { accepts } from './accepts.ts';
import { canonicalKey, deepFreeze, flatKey } from './canonical.ts';
import { Interner } from './intern.ts';
import { assertCompilable } from './reject.ts';
import { createSharedScope } from './scope.ts';
import { dottedValue } from './value.ts';

/**
 * A lifecycle machine turned into a lazily filled integer transition table.
 *
 * The XState machine stays the only definition of the lifecycle: every table
 * cell is what `machine.transition` answered the first time that (state,
 * event) pair was asked. What changes is the cost of asking again, from tens
 * of microseconds (XState builds snapshots, resolves actions, walks the state
 * tree) to an array load, which is what lets a model checker step lifecycles
 * millions of times per second.
 */
export interface CompiledLifecycle<E extends EventObject> {
  /** The machine id. */
  readonly name: string;
  /** Interned id of the initial snapshot. */
  readonly initial: number;
  /** Next interned snapshot id, or -1 when the machine does not accept `event` in `state` (see `accepts.ts`). */
  step(state: number, event: E): number;
  /** Same as `step`, with an event id from `eventId` (no event hashing: the hot path). */
  stepId(state: number, eventId: number): number;
  /** Interned id of an event (events are keyed by their canonical JSON). */
  eventId(event: E): number;
  /** State value as a dotted path: `'idle'`, `'open.reading'`. */
  value(state: number): string;
  /** Context of the state. Deep-frozen and shared: do not mutate. */
  context(state: number): unknown;
  /** Has the machine reached a top-level final state (snapshot status `done`)? Such states accept no event. */
  isFinal(state: number): boolean;
  /** `snapshot.matches(value)` for a dotted path such as `'open'` or `'open.reading'`. */
  matches(state: number, value: string): boolean;
  /** The XState snapshot the state was interned from (for conformance checks and debugging). */
  snapshot(state: number): AnyMachineSnapshot;
  /** Distinct states and filled (state, event) cells so far, and how many times XState computed a step. */
  stats(): { states: number; pairs: number; xstateCalls: number };
}

export interface CompileOptions {
  /** Input for machines whose context is computed from `input`. */
  input?: unknown;
}

/**
 * Compile a lifecycle machine. Throws `UncompilableLifecycleError` when the
 * machine uses something memoization cannot honour (see `reject.ts`).
 */
export function compileLifecycle<E extends EventObject>(machine: AnyStateMachine, options: CompileOptions = {}): CompiledLifecycle<E> {
  assertCompilable(machine);
  return new TableLifecycle<E>(machine, options.input);
}

interface StateEntry {
  readonly snapshot: AnyMachineSnapshot;
  readonly value: string;
  readonly final: boolean;
  readonly matches: Map<string, boolean>;
}

/** Table cells hold `next + OFFSET`, so a zero-filled row means "not asked yet" and 1 means "not accepted". */
const UNFILLED = 0;
const OFFSET = 2;

class TableLifecycle<E extends EventObject> implements CompiledLifecycle<E> {
  readonly name: string;
  readonly initial: number;
  private readonly machine: AnyStateMachine;
  private readonly scope: AnyActorScope;
  private readonly states = new Interner<StateEntry>();
  private readonly events = new Interner<EventObject>();
  /** Event ids of `{ type }`-only events by type: a shortcut past canonical keying, same ids. */
  private readonly bareEvents = new Map<string, number>();
  /** rows[state][eventId]; rows grow when new events are interned, on first use. */
  private readonly rows: Int32Array[] = [];
  private pairs = 0;
  private xstateCalls = 0;

  constructor(machine: AnyStateMachine, input: unknown) {
    this.machine = machine;
    this.name = machine.id;
    this.scope = createSharedScope(machine, input);
    this.xstateCalls++;
    const first = this.checked(() => machine.getInitialSnapshot(this.scope, input), 'computing the initial state');
    this.initial = this.intern(first);
  }

  step(state: number, event: E): number {
    return this.stepId(state, this.eventId(event));
  }

  stepId(state: number, eventId: number): number {
    const row = this.rows[state];
    if (row !== undefined) {
      const cell = row[eventId];
      if (cell !== undefined && cell !== UNFILLED) return cell - OFFSET;
    }
    return this.fill(state, eventId);
  }

  eventId(event: E): number {
    // Most lifecycle events are bare `{ type }` literals; skip canonical keying for those.
    const bare = isBareEvent(event);
    // Stryker disable next-line BlockStatement: without the shortcut every event goes through canonical keying, which gives the same ids
    if (bare) {
      const known = this.bareEvents.get(event.type);
      if (known !== undefined) return known;
    }
    const key = flatKey(event) ?? canonicalKey(event, `lifecycle machine "${this.name}": event`);
    const id = this.events.intern(key, () => deepFreeze(structuredClone(event)));
    if (bare) this.bareEvents.set(event.type, id);
    return id;
  }

  value(state: number): string {
    return this.states.get(state).value;
  }

  context(state: number): unknown {
    return this.states.get(state).snapshot.context;
  }

  isFinal(state: number): boolean {
    return this.states.get(state).final;
  }

  matches(state: number, value: string): boolean {
    const entry = this.states.get(state);
    let known = entry.matches.get(value);
    if (known === undefined) {
      known = entry.snapshot.matches(value);
      entry.matches.set(value, known);
    }
    return known;
  }

  snapshot(state: number): AnyMachineSnapshot {
    return this.states.get(state).snapshot;
  }

  stats(): { states: number; pairs: number; xstateCalls: number } {
    return { states: this.states.size, pairs: this.pairs, xstateCalls: this.xstateCalls };
  }

  /** Slow path: ask XState once, remember the answer. */
  private fill(state: number, eventId: number): number {
    const from = this.states.get(state).snapshot;
    const event = this.events.get(eventId);
    let next = -1;
    if (accepts(this.machine, from, event)) {
      next = this.intern(this.transition(from, event));
    } else if (from.status === 'active') {
      // Refusing must mean "nothing happens"; XState agreeing is cheap to check once per cell.
      if (this.transition(from, event) !== from) {
        throw new Error(
          `lifecycle machine "${this.name}" changed state in "${dottedValue(from.value)}" on ${JSON.stringify(event)} ` +
            'although no transition was enabled for it (an eventless transition guarded on the event?); not compilable',
        );
      }
    }
    let row = this.rows[state] as Int32Array;
    if (eventId >= row.length) {
      // Stryker disable next-line ArithmeticOperator: doubling is only the growth rate; any length above eventId holds the cell
      const doubled = row.length * 2;
      const grown = new Int32Array(Math.max(eventId + 1, doubled));
      grown.set(row);
      this.rows[state] = row = grown;
    }
    row[eventId] = next + OFFSET;
    this.pairs++;
    return next;
  }

  private transition(from: AnyMachineSnapshot, event: EventObject): AnyMachineSnapshot {
    this.xstateCalls++;
    return this.checked(
      () => this.machine.transition(from, event, this.scope),
      `stepping from "${dottedValue(from.value)}" on ${JSON.stringify(event)}`,
    );
  }

  /** Run an XState step and refuse results that carry state the table cannot see. */
  private checked(run: () => AnyMachineSnapshot, doing: string): AnyMachineSnapshot {
    let snapshot: AnyMachineSnapshot;
    try {
      snapshot = run();
    } catch (cause) {
      throw new Error(`lifecycle machine "${this.name}" threw while ${doing}`, { cause });
    }
    if (Object.keys(snapshot.children).length > 0) {
      throw new Error(`lifecycle machine "${this.name}" spawned child actors while ${doing}; not compilable`);
    }
    if (snapshot.status !== 'active' && snapshot.status !== 'done') {
      throw new Error(`lifecycle machine "${this.name}" ended in status "${snapshot.status}" while ${doing}`, {
        cause: snapshot.error,
      });
    }
    return snapshot;
  }

  /** Snapshots are identified by value and context; everything else XState keeps is derived from those here. */
  private intern(snapshot: AnyMachineSnapshot): number {
    const where = `lifecycle machine "${this.name}": `;
    // Stryker disable next-line StringLiteral: a state value is XState's strings in plain objects, which canonicalKey never refuses, so this label is never printed
    const value = canonicalKey(snapshot.value, `${where}value`);
    const key = `${value}|${canonicalKey(snapshot.context, `${where}context`)}`;
    return this.states.intern(key, () => {
      const entry: StateEntry = {
        snapshot,
        value: dottedValue(snapshot.value),
        final: snapshot.status === 'done',
        matches: new Map(),
      };
      deepFreeze(snapshot.context);
      // Stryker disable next-line MethodExpression: a row's first length is capacity only; fill() grows it on demand
      this.rows.push(new Int32Array(Math.max(8, this.events.size)));
      return entry;
    });
  }
}

// Stryker disable next-line BlockStatement: an event not taken for bare goes through canonical keying, which gives the same id
function isBareEvent(event: EventObject): boolean {
  if (Object.getPrototypeOf(event) !== Object.prototype) return false;
  // Stryker disable next-line StringLiteral: never bare (typeof is never ""): canonical keying gives the same ids
  if (typeof event.type !== 'string') return false;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: each makes no event bare: canonical keying gives the same ids
  for (const key in event) if (key !== 'type') return false;
  // Stryker disable next-line BooleanLiteral: no event bare: canonical keying gives the same ids
  return true;
}
