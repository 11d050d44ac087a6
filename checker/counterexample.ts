import type { Execution } from './execution.ts';
import type { Monitor } from './monitor.ts';
import type { Violation } from './point.ts';
import { runPath } from './run.ts';
import type { OpCall, Scenario, System, ThreadSpec } from './scenario.ts';
import { contextSwitches } from './schedule.ts';
import { pathToRuns, runsToPath, traceDigest } from './trace.ts';
import type { Args, Value } from './value.ts';

export const COUNTEREXAMPLE_FORMAT = 'vfio-dmabuf-model/counterexample';
export const COUNTEREXAMPLE_VERSION = 1;

/**
 * A saved counterexample. Operations and threads are named, never positional,
 * so the file stays valid when unrelated parts of the model change; the trace
 * digest says whether the replayed trace is still exactly the recorded one.
 */
export interface CounterexampleFile {
  readonly format: typeof COUNTEREXAMPLE_FORMAT;
  readonly version: typeof COUNTEREXAMPLE_VERSION;
  /** the design checked: a variant name, or a path to a user's variant module, and a digest of its definition */
  readonly design: { readonly name: string; readonly path?: string; readonly digest?: string };
  readonly property: string;
  readonly violation: { readonly kind: string; readonly message: string; readonly thread?: string };
  /** how it was found, for the record: not needed to replay */
  readonly found: { readonly mode: string; readonly seed?: number; readonly runs?: number; readonly [k: string]: Value | undefined };
  readonly scenario: { readonly setup?: Args; readonly threads: readonly ThreadSpec[] };
  /** the thread that runs each step, as runs of [thread, steps] */
  readonly schedule: readonly (readonly [string, number])[];
  readonly trace: { readonly steps: number; readonly contextSwitches: number; readonly digest: string };
}

export function makeCounterexample(args: {
  design: CounterexampleFile['design'];
  property: string;
  found: CounterexampleFile['found'];
  exec: Execution;
}): CounterexampleFile {
  const { exec } = args;
  const v = exec.violation as Violation;
  if (exec.steps.length !== exec.path.length) throw new Error('counterexamples need a fully recorded execution');
  return {
    format: COUNTEREXAMPLE_FORMAT,
    version: COUNTEREXAMPLE_VERSION,
    design: args.design,
    property: args.property,
    violation: { kind: v.kind, message: v.message, ...(v.thread ? { thread: v.thread } : {}) },
    found: args.found,
    scenario: { ...(exec.scenario.setup ? { setup: exec.scenario.setup } : {}), threads: exec.scenario.threads },
    schedule: pathToRuns(exec.path, exec.threadNames),
    trace: { steps: exec.path.length, contextSwitches: contextSwitches(exec.path), digest: traceDigest(exec.steps) },
  };
}

/** A malformed counterexample file: the message names the field and what was expected. */
export class CounterexampleFormatError extends Error {}

function fail(where: string, expected: string): never {
  throw new CounterexampleFormatError(`${where}: expected ${expected}`);
}

/**
 * The longest trace a file may hold. Searches stop at depth 10,000
 * (checker/search); ten times that still replays in moments, while a count
 * near 2^53 would expand the schedule into an array that exhausts the heap.
 */
export const MAX_TRACE_STEPS = 100_000;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * Text a replay prints. A file may come from anyone, so control characters
 * (terminal escapes, carriage returns) and bidi overrides are refused rather
 * than echoed to the reviewer's terminal; a message may span lines.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const printable = (v: string, where: string, multiline = false): string =>
  UNPRINTABLE.test(v) || (!multiline && /[\n\t]/.test(v)) ? fail(where, 'printable text (no control characters)') : v;
/** Every string of a plain value (keys too) is printable text. */
function printableValues(v: Value, where: string): void {
  if (typeof v === 'string') printable(v, where);
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) printableValues(x, `${where}[${i}]`);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      printable(k, where);
      printableValues(x, `${where}.${k}`);
    }
}
const str = (v: unknown, where: string): string =>
  typeof v === 'string' && v.length > 0 ? printable(v, where) : fail(where, 'a non-empty string');
/** An optional field: absent, or a non-empty string. */
const optStr = (v: unknown, where: string): void => {
  if (v !== undefined) str(v, where);
};
const count = (v: unknown, where: string, min: number, max: number): number =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fail(where, `an integer from ${min} to ${max}`);

function isValue(v: unknown): v is Value {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isValue);
  return isObj(v) && Object.values(v).every(isValue);
}

/** Parses and validates a counterexample file's text; throws CounterexampleFormatError. */
export function parseCounterexample(text: string): CounterexampleFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CounterexampleFormatError(`not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(raw)) fail('file', 'a JSON object');
  if (raw.format !== COUNTEREXAMPLE_FORMAT) fail('format', `"${COUNTEREXAMPLE_FORMAT}"`);
  if (raw.version !== COUNTEREXAMPLE_VERSION)
    fail('version', `${COUNTEREXAMPLE_VERSION} (this tool reads version ${COUNTEREXAMPLE_VERSION} only)`);
  const design = isObj(raw.design) ? raw.design : fail('design', 'an object {name, path?, digest?}');
  str(design.name, 'design.name');
  optStr(design.path, 'design.path');
  optStr(design.digest, 'design.digest');
  str(raw.property, 'property');
  const violation = isObj(raw.violation) ? raw.violation : fail('violation', 'an object {kind, message, thread?}');
  str(violation.kind, 'violation.kind');
  if (typeof violation.message !== 'string') fail('violation.message', 'a string');
  printable(violation.message, 'violation.message', true);
  optStr(violation.thread, 'violation.thread');
  // only for the record, but printed: plain values, and a mode to print
  if (!isObj(raw.found) || !isValue(raw.found)) fail('found', 'an object of plain values');
  str(raw.found.mode, 'found.mode');
  const scenario = isObj(raw.scenario) ? raw.scenario : fail('scenario', 'an object {threads}');
  if (scenario.setup !== undefined && !(isObj(scenario.setup) && isValue(scenario.setup)))
    fail('scenario.setup', 'an object of plain values');
  if (!Array.isArray(scenario.threads) || scenario.threads.length === 0) fail('scenario.threads', 'a non-empty array');
  const names = new Set<string>();
  scenario.threads.forEach((t: unknown, i: number) => {
    const where = `scenario.threads[${i}]`;
    if (!isObj(t)) fail(where, 'an object {name, ops}');
    const name = str(t.name, `${where}.name`);
    if (names.has(name)) fail(`${where}.name`, `a unique thread name ("${name}" repeats)`);
    names.add(name);
    if (!Array.isArray(t.ops)) fail(`${where}.ops`, 'an array');
    t.ops.forEach((op: unknown, j: number) => {
      if (!isObj(op)) fail(`${where}.ops[${j}]`, 'an object {op, args}');
      str(op.op, `${where}.ops[${j}].op`);
      if (!isObj(op.args) || !isValue(op.args)) fail(`${where}.ops[${j}].args`, 'an object of plain values');
      printableValues(op.args, `${where}.ops[${j}].args`);
    });
  });
  if (!Array.isArray(raw.schedule) || raw.schedule.length === 0) fail('schedule', 'a non-empty array of [thread, steps]');
  // summed as checked, so no count can be large enough to overflow or exhaust memory when expanded
  let total = 0;
  raw.schedule.forEach((r: unknown, i: number) => {
    if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'string' || !Number.isSafeInteger(r[1]) || (r[1] as number) < 1)
      fail(`schedule[${i}]`, '[thread name, positive step count]');
    if (!names.has(r[0])) fail(`schedule[${i}]`, `a thread of the scenario ("${r[0]}" is not one)`);
    total += r[1] as number;
    if (total > MAX_TRACE_STEPS) fail(`schedule[${i}]`, `at most ${MAX_TRACE_STEPS} steps in all (the counts reach ${total})`);
  });
  const trace = isObj(raw.trace) ? raw.trace : fail('trace', 'an object {steps, contextSwitches, digest}');
  count(trace.steps, 'trace.steps', 1, MAX_TRACE_STEPS);
  if (total !== trace.steps) fail('trace.steps', `the schedule's length (${total})`);
  // n steps switch threads at most n - 1 times
  count(trace.contextSwitches, 'trace.contextSwitches', 0, total - 1);
  str(trace.digest, 'trace.digest');
  return raw as unknown as CounterexampleFile;
}

export function counterexampleScenario(cx: CounterexampleFile): Scenario {
  const threads = cx.scenario.threads.map((t) => ({ name: t.name, ops: t.ops.map((o): OpCall => ({ op: o.op, args: o.args })) }));
  return { threads, ...(cx.scenario.setup ? { setup: cx.scenario.setup } : {}) };
}

export interface ReplayResult {
  /** the recorded violation happened again, at the same kind */
  readonly reproduced: boolean;
  /** the replayed trace has the recorded digest */
  readonly sameTrace: boolean;
  /** null when the scenario could not even start */
  readonly exec: Execution | null;
  /** why it did not reproduce, in one line */
  readonly reason: string | null;
}

/**
 * Every operation the scenario calls must be one of the system's own: an
 * inherited name (`constructor`, `toString`) would be called as if it were
 * one, and a name from another model says the file does not belong here.
 */
function checkOps(system: System, scenario: Scenario): void {
  for (const [i, t] of scenario.threads.entries())
    for (const [j, o] of t.ops.entries())
      if (!Object.hasOwn(system.ops, o.op))
        fail(
          `scenario.threads[${i}].ops[${j}].op`,
          `an operation of ${system.name} ("${o.op}" is not one; operations: ${Object.keys(system.ops).join(', ')})`,
        );
}

/**
 * Re-runs a counterexample exactly, step by step, and says whether its
 * violation reproduced. Throws CounterexampleFormatError when the scenario
 * calls an operation the system does not have.
 */
export function replayCounterexample(system: System, cx: CounterexampleFile, monitors: readonly Monitor[] = []): ReplayResult {
  const scenario = counterexampleScenario(cx);
  checkOps(system, scenario);
  const path = runsToPath(
    cx.schedule,
    scenario.threads.map((t) => t.name),
  );
  const out = runPath(system, scenario, path, { record: 'full', monitors });
  const exec = out.exec;
  const sameTrace = out.ok && traceDigest(exec.steps) === cx.trace.digest;
  const v = exec.violation;
  if (v && v.kind === cx.violation.kind) return { reproduced: true, sameTrace, exec, reason: null };
  if (v) return { reproduced: false, sameTrace, exec, reason: `a different violation happened: ${v.kind}: ${v.message}` };
  if (!out.ok) return { reproduced: false, sameTrace, exec, reason: `the schedule no longer fits: ${out.reason}` };
  return { reproduced: false, sameTrace, exec, reason: 'the execution ran to its end without a violation' };
}
