/**
 * Scenario files (docs/scenarios.md, docs/schemas/scenario.schema.json): a
 * scenario a user writes, as one list of steps, each an operation of a named
 * thread. `run` runs the steps in file order; `check --scenario` explores
 * every interleaving of the same threads, each running its own steps in file
 * order. A file is data: it is checked against its schema, then against what
 * the model declares (list ops), and only then turned into the engine's
 * Scenario. Every mistake is one ScenarioFileError line naming the field.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { OpCall, Scenario, ThreadSpec } from '../checker/scenario.ts';
import { AS, roleOf, type Signatures, scenarioError } from '../checker/signature.ts';
import type { Args, Value } from '../checker/value.ts';
// the tool's own schema, part of the module graph (no file read at run time)
import scenarioSchema from '../docs/schemas/scenario.schema.json' with { type: 'json' };
import type { Design } from '../model/design.ts';
import { signaturesWith } from '../model/design.ts';
import type { BoundValues, Domain } from '../model/domain.ts';

export class ScenarioFileError extends Error {}

export const SCENARIO_FORMAT = 'vfio-dmabuf-model/scenario';

/** A step as the file gives it. */
export interface ScenarioStep {
  readonly thread: string;
  readonly op: string;
  readonly args?: Args;
  readonly as?: string;
}

/** What a scenario file holds (version 1). */
export interface ScenarioDoc {
  readonly format: typeof SCENARIO_FORMAT;
  readonly version: 1;
  readonly description?: string;
  readonly bounds?: Readonly<Record<string, number>>;
  /** the processes exit after the last step (default true), unless a step is already the exit thread's */
  readonly exit?: boolean;
  readonly steps: readonly ScenarioStep[];
}

/** A scenario file made ready to run: the engine's scenario, and where each step is in it. */
export interface LoadedScenario {
  readonly doc: ScenarioDoc;
  readonly scenario: Scenario;
  readonly bounds: BoundValues;
  /** step k of the file is operation `op` of thread `thread` (indices into scenario.threads and its ops) */
  readonly at: readonly { readonly thread: number; readonly op: number }[];
  /** the steps run runs: the file's, then the exit the model appends (see ScenarioDoc.exit) */
  readonly steps: readonly ScenarioStep[];
  /** how many of `steps` the file gives (the rest are the implicit exit) */
  readonly given: number;
}

/**
 * The model's exit thread (`exit0`, the role every generated scenario ends
 * with): once every other thread is done, the processes exit, closing what is
 * left, so that what is still held at the end is a leak, not an open fd.
 */
function exitSteps(domain: Domain, bounds: BoundValues, doc: ScenarioDoc): ScenarioStep[] {
  if (doc.exit === false || doc.steps.some((s) => s.thread === 'exit0')) return [];
  const role = domain.space(bounds).roles.find((r) => r.role === 'exit');
  const ops = role?.prelude === undefined ? [] : typeof role.prelude === 'function' ? role.prelude(0) : role.prelude;
  return ops.map((o) => ({ thread: 'exit0', op: o.op, args: o.args }));
}

let validator: ValidateFunction | null = null;

function validate(doc: unknown): string | null {
  if (!validator) {
    validator = new Ajv2020({ allErrors: false, strict: true }).compile(scenarioSchema);
  }
  if (validator(doc)) return null;
  const e = validator.errors?.[0];
  if (!e) return 'does not fit the scenario schema';
  // "/steps/2/op" as "steps[2].op"
  const where = e.instancePath
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.');
  const extra =
    e.keyword === 'additionalProperties'
      ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
      : e.keyword === 'const'
        ? ` ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`
        : '';
  return `${where || '(top level)'}: ${e.message}${extra}`;
}

/** Threads of a role are numbered from 0 with no gap (a search names them so). */
function numberingError(sig: Signatures, threads: readonly ThreadSpec[], setup: Args): string | null {
  const byRole = new Map<string, number[]>();
  for (const t of threads) {
    const r = roleOf(sig.actors, t.name, setup);
    if (r) byRole.set(r.role, [...(byRole.get(r.role) ?? []), r.index]);
  }
  for (const [role, indices] of byRole) {
    const missing = indices.map((_, i) => i).find((i) => !indices.includes(i));
    if (missing !== undefined)
      return `the ${role} threads are numbered from 0 with no gap: ${role}${missing} is missing (threads: ${indices.map((i) => `${role}${i}`).join(', ')})`;
  }
  return null;
}

/** A handle name an argument gives must be given by an earlier step: the file's order is the order run takes. */
function orderError(sig: Signatures, steps: readonly ScenarioStep[]): string | null {
  const given = new Map<string, number>();
  for (const [k, s] of steps.entries()) if (s.as !== undefined && !given.has(s.as)) given.set(s.as, k);
  for (const [k, s] of steps.entries()) {
    const spec = Object.hasOwn(sig.ops, s.op) ? sig.ops[s.op] : undefined;
    for (const [name, v] of Object.entries(s.args ?? {})) {
      const a = spec && Object.hasOwn(spec.args, name) ? spec.args[name] : undefined;
      if (typeof v !== 'string' || !a?.accepts.some((t) => t.type === 'handle')) continue;
      const at = given.get(v);
      if (at !== undefined && at >= k)
        return `steps[${k}].args.${name}: "${v}" is given by steps[${at}], not an earlier step (a step names only what an earlier one created)`;
    }
  }
  return null;
}

/**
 * Reads a scenario for a design of `domain`: the file's text (`where` names it
 * in errors). The bounds are the domain's defaults, then the design's own,
 * then the file's.
 */
export function parseScenario(text: string, domain: Domain, design: Design<object>, where: string): LoadedScenario {
  const fail = (msg: string): never => {
    throw new ScenarioFileError(`${where}: ${msg}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${(e as Error).message})`);
  }
  const bad = validate(raw);
  if (bad) fail(bad);
  const doc = raw as ScenarioDoc;
  let bounds: BoundValues = {};
  try {
    const pairs = [...Object.entries(design.bounds), ...Object.entries(doc.bounds ?? {})].map(([k, v]) => `${k}=${v}`);
    bounds = domain.parseBounds(pairs).bounds;
  } catch (e) {
    fail(`bounds: ${(e as Error).message.split('\n')[0]}`);
  }
  const setup = domain.space(bounds).setup ?? {};
  const threads: { name: string; ops: OpCall[] }[] = [];
  const at: { thread: number; op: number }[] = [];
  const back = new Map<string, number>();
  const steps = [...doc.steps, ...exitSteps(domain, bounds, doc)];
  for (const [k, s] of steps.entries()) {
    let t = threads.findIndex((x) => x.name === s.thread);
    if (t < 0) t = threads.push({ name: s.thread, ops: [] }) - 1;
    const th = threads[t] as { name: string; ops: OpCall[] };
    back.set(`${t}/${th.ops.length}`, k);
    at.push({ thread: t, op: th.ops.length });
    th.ops.push({ op: s.op, args: { ...(s.args ?? {}), ...(s.as === undefined ? {} : { [AS]: s.as as Value }) } });
  }
  const scenario: Scenario = { threads, setup };
  const sig = signaturesWith(domain.signatures, design);
  const e = scenarioError(sig, scenario, design.name);
  if (e) {
    // scenario.threads[i].ops[j].args.as -> steps[k].as
    const m = /^scenario\.threads\[(\d+)\](?:\.ops\[(\d+)\])?(.*)$/.exec(e);
    if (!m) fail(e);
    const [, i, j, rest] = m as unknown as [string, string, string | undefined, string];
    const k = j === undefined ? doc.steps.findIndex((s) => s.thread === threads[Number(i)]?.name) : back.get(`${i}/${j}`);
    const field = j === undefined ? rest.replace(/^\.name/, '.thread') : rest.replace(/^\.args\.as/, '.as');
    fail(`steps[${k}]${field}`);
  }
  const order = orderError(sig, doc.steps) ?? numberingError(sig, threads, setup);
  if (order) fail(order);
  return { doc, scenario, bounds, at, steps, given: doc.steps.length };
}
