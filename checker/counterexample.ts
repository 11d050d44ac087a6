import { createHash } from 'node:crypto';
import type { Execution } from './execution.ts';
import type { Monitor } from './monitor.ts';
import type { Violation } from './point.ts';
import { runPath } from './run.ts';
import type { OpCall, Scenario, System, ThreadSpec } from './scenario.ts';
import { contextSwitches } from './schedule.ts';
import { pathToRuns, runsToPath, traceDigest } from './trace.ts';
import { type Args, stableStringify, type Value } from './value.ts';

export const COUNTEREXAMPLE_FORMAT = 'vfio-dmabuf-model/counterexample';
/** the version written; every version in COUNTEREXAMPLE_VERSIONS is read */
export const COUNTEREXAMPLE_VERSION = 2;
export const COUNTEREXAMPLE_VERSIONS = [1, 2] as const;
export type CounterexampleVersion = (typeof COUNTEREXAMPLE_VERSIONS)[number];

/**
 * The design a file was saved with. Version 1: a built-in name, or an
 * absolute module path, and an FNV digest of the module's text (or of the
 * built-in's function names). Version 2: the name; for a user's module its
 * path relative to the working directory and the sha256 of its text, so a
 * file and its module travel together; and `digest`, the sha256 of the
 * design's function sources, the model's operations, lifecycles and bounds,
 * which says whether the model changed since.
 */
export interface CounterexampleDesign {
  readonly name: string;
  readonly path?: string;
  readonly sha256?: string;
  readonly digest?: string;
}

/**
 * A saved counterexample. Operations and threads are named, never positional,
 * so the file stays valid when unrelated parts of the model change; the trace
 * digest says whether the replayed trace is still exactly the recorded one,
 * and (version 2) `digest`, of the file's own content, whether the file was
 * edited since it was saved.
 */
export interface CounterexampleFile {
  readonly format: typeof COUNTEREXAMPLE_FORMAT;
  readonly version: CounterexampleVersion;
  readonly design: CounterexampleDesign;
  readonly property: string;
  readonly violation: { readonly kind: string; readonly message: string; readonly thread?: string };
  /** how it was found, for the record: not needed to replay */
  readonly found: { readonly mode: string; readonly seed?: number; readonly runs?: number; readonly [k: string]: Value | undefined };
  readonly scenario: { readonly setup?: Args; readonly threads: readonly ThreadSpec[] };
  /** the thread that runs each step, as runs of [thread, steps] */
  readonly schedule: readonly (readonly [string, number])[];
  readonly trace: { readonly steps: number; readonly contextSwitches: number; readonly digest: string };
  /** version 2: the sha256 of the rest of the file as canonical JSON (keys sorted, no spacing) */
  readonly digest?: string;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The digest of a file's content: everything but its own `digest`, as canonical JSON, so reformatting is no edit. */
export function contentDigest(cx: CounterexampleFile): string {
  const { digest: _, ...rest } = cx;
  return sha256(stableStringify(rest));
}

/**
 * A counterexample file of an execution that ended in a violation. Version 2
 * (the default) needs the design's digest; version 1 (the committed corpus,
 * which names built-in designs only) records no digests, so it regenerates
 * identically after any edit of the model that keeps its verdicts.
 */
export function makeCounterexample(args: {
  design: CounterexampleDesign;
  property: string;
  found: CounterexampleFile['found'];
  exec: Execution;
  version?: CounterexampleVersion;
}): CounterexampleFile {
  const { exec } = args;
  const version = args.version ?? COUNTEREXAMPLE_VERSION;
  const v = exec.violation as Violation;
  if (exec.steps.length !== exec.path.length) throw new Error('counterexamples need a fully recorded execution');
  if (version === 2 && args.design.digest === undefined) throw new Error('a version 2 counterexample needs the design digest');
  const cx: CounterexampleFile = {
    format: COUNTEREXAMPLE_FORMAT,
    version,
    design: args.design,
    property: args.property,
    violation: { kind: v.kind, message: v.message, ...(v.thread ? { thread: v.thread } : {}) },
    found: args.found,
    scenario: { ...(exec.scenario.setup ? { setup: exec.scenario.setup } : {}), threads: exec.scenario.threads },
    schedule: pathToRuns(exec.path, exec.threadNames),
    trace: { steps: exec.path.length, contextSwitches: contextSwitches(exec.path), digest: traceDigest(exec.steps) },
  };
  return version === 2 ? { ...cx, digest: contentDigest(cx) } : cx;
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
/**
 * Nesting a file may have. Values in a file are small (arguments, a setup,
 * how it was found); a limit keeps every later walk over them (printing,
 * digests) far from the stack's depth, and the walks below are iterative so
 * that no depth can overflow them.
 */
export const MAX_NESTING = 32;

/** The field (named to two levels) under which the file nests deeper than MAX_NESTING, or null. */
function tooDeep(root: Record<string, unknown>): string | null {
  const stack: [unknown, string, number][] = Object.entries(root).map(([k, v]) => [v, k, 1]);
  while (stack.length > 0) {
    const [v, at, depth] = stack.pop() as [unknown, string, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_NESTING) return at;
    const name = (key: string) => (depth < 2 ? `${at}${key}` : at);
    if (Array.isArray(v)) for (const [i, x] of v.entries()) stack.push([x, name(`[${i}]`), depth + 1]);
    else for (const [k, x] of Object.entries(v)) stack.push([x, name(`.${k}`), depth + 1]);
  }
  return null;
}

/**
 * Checks that `root` is a plain value (null, a boolean, a finite number, a
 * string, or arrays and objects of them) whose strings, keys included, are
 * printable text; names the first place that is not.
 */
function checkValue(root: unknown, where: string, expected: string): void {
  const stack: [unknown, string][] = [[root, where]];
  while (stack.length > 0) {
    const [v, at] = stack.pop() as [unknown, string];
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(at, expected);
    } else if (typeof v === 'string') printable(v, at);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) stack.push([x, `${at}[${i}]`]);
    // Stryker disable next-line ConditionalExpression: JSON.parse makes nothing but plain values, so the last branch is never reached from a file
    else if (isObj(v))
      for (const [k, x] of Object.entries(v)) {
        printable(k, at);
        stack.push([x, `${at}.${k}`]);
      }
    else fail(at, expected);
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

const HEX64 = /^[0-9a-f]{64}$/;
const sha = (v: unknown, where: string): string => (typeof v === 'string' && HEX64.test(v) ? v : fail(where, 'a sha256 (64 hex digits)'));

/** Parses and validates a counterexample file's text; throws CounterexampleFormatError. */
export function parseCounterexample(text: string): CounterexampleFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CounterexampleFormatError(`not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(raw)) fail('file', 'a JSON object');
  const deep = tooDeep(raw);
  if (deep !== null) fail(deep, `values nested at most ${MAX_NESTING} deep`);
  if (raw.format !== COUNTEREXAMPLE_FORMAT) fail('format', `"${COUNTEREXAMPLE_FORMAT}"`);
  if (!(COUNTEREXAMPLE_VERSIONS as readonly unknown[]).includes(raw.version))
    fail('version', `${COUNTEREXAMPLE_VERSIONS.join(' or ')} (this tool reads versions ${COUNTEREXAMPLE_VERSIONS.join(' and ')})`);
  const v2 = raw.version === 2;
  const design = isObj(raw.design)
    ? raw.design
    : fail('design', v2 ? 'an object {name, path?, sha256?, digest}' : 'an object {name, path?, digest?}');
  str(design.name, 'design.name');
  optStr(design.path, 'design.path');
  if (v2) {
    // a module travels with the digest of its text: replay checks the module it is given against it
    if (design.path !== undefined || design.sha256 !== undefined) {
      str(design.path, 'design.path');
      sha(design.sha256, 'design.sha256');
    }
    sha(design.digest, 'design.digest');
    sha(raw.digest, 'digest');
  } else optStr(design.digest, 'design.digest');
  str(raw.property, 'property');
  const violation = isObj(raw.violation) ? raw.violation : fail('violation', 'an object {kind, message, thread?}');
  str(violation.kind, 'violation.kind');
  if (typeof violation.message !== 'string') fail('violation.message', 'a string');
  printable(violation.message, 'violation.message', true);
  optStr(violation.thread, 'violation.thread');
  // only for the record, but printed: plain values, and a mode to print
  if (!isObj(raw.found)) fail('found', 'an object of plain values');
  checkValue(raw.found, 'found', 'a plain value');
  str(raw.found.mode, 'found.mode');
  const scenario = isObj(raw.scenario) ? raw.scenario : fail('scenario', 'an object {threads}');
  if (scenario.setup !== undefined) {
    if (!isObj(scenario.setup)) fail('scenario.setup', 'an object of plain values');
    checkValue(scenario.setup, 'scenario.setup', 'a plain value');
  }
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
      if (!isObj(op.args)) fail(`${where}.ops[${j}].args`, 'an object of plain values');
      checkValue(op.args, `${where}.ops[${j}].args`, 'a plain value');
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

/**
 * What a replay found: the recorded violation again; another one first; a
 * run to the end without any; or a schedule that stops fitting (a thread it
 * names cannot run there, or the run ends before it does), as when the design
 * was fixed and a thread's operations now fail early.
 */
export type ReplayOutcome = 'reproduced' | 'different' | 'clean' | 'no-longer-fits';

export interface ReplayResult {
  readonly outcome: ReplayOutcome;
  /** outcome === 'reproduced': the recorded violation happened again, of the same kind */
  readonly reproduced: boolean;
  /** the replayed trace has the recorded digest */
  readonly sameTrace: boolean;
  readonly exec: Execution;
  /** the violation the replay ended in, if any */
  readonly violation: Violation | null;
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
  const result = (outcome: ReplayOutcome, reason: string | null): ReplayResult => ({
    outcome,
    reproduced: outcome === 'reproduced',
    sameTrace,
    exec,
    violation: v,
    reason,
  });
  if (v && v.kind === cx.violation.kind) return result('reproduced', null);
  if (v) return result('different', `a different violation happened: ${v.kind}: ${v.message.split('\n')[0]}`);
  if (!out.ok) return result('no-longer-fits', `the schedule no longer fits: ${out.reason}`);
  return result('clean', 'the execution ran to its end without a violation');
}
