/**
 * Replaying a counterexample file: find its design (a built-in by the name
 * the file gives, or the design the user names; never a module the file
 * names), check everything the file says against the model before anything
 * runs (its setup against the bounds, its threads and operation arguments
 * against the model's declarations), re-run it with the monitors of the
 * property it breaks (exactly those: a search may have found it with only
 * that property's monitors active), and say what happened.
 */

import {
  type CounterexampleFile,
  CounterexampleFormatError,
  contentDigest,
  counterexampleScenario,
  parseCounterexample,
  type ReplayOutcome,
  type ReplayResult,
  replayCounterexample,
} from '../checker/counterexample.ts';
import type { System } from '../checker/scenario.ts';
import { scenarioError } from '../checker/signature.ts';
import type { Args as Setup } from '../checker/value.ts';
import { type LoadedDesign, loadBuiltin, loadDesign } from '../loader/load.ts';
import { signaturesWith } from '../model/design.ts';
import { designDigest } from '../model/design-digest.ts';
import { designDomain } from '../model/design-domain.ts';
import type { Domain } from '../model/domain.ts';
import { propertiesOf } from './catalog.ts';
import { DesignFault, isFault } from './design-fault.ts';
import { systemOf } from './system.ts';

export class ReplayInputError extends Error {}

/**
 * The design to replay on: the one the user names (`--variant NAME|PATH`),
 * else the built-in the file names. A file that names a module gets an error
 * saying to name it: a file may come from anyone, and loading a module runs it.
 */
export async function designOf(cx: CounterexampleFile, variant?: string): Promise<LoadedDesign> {
  if (variant !== undefined) return loadDesign(variant);
  if (cx.design.path !== undefined)
    throw new ReplayInputError(
      `it was saved with the variant module ${cx.design.path}: pass --variant ${cx.design.path} to load it (replay never runs a module a file names)`,
    );
  return loadBuiltin(cx.design.name);
}

export function monitorsFor(domain: 'dmabuf' | 'sva', property: string) {
  const p = propertiesOf(domain).find((x) => x.name === property);
  if (!p)
    throw new ReplayInputError(
      `unknown property "${property}" (properties: ${propertiesOf(domain)
        .map((x) => x.name)
        .join(', ')})`,
    );
  return p.monitors();
}

/** What the domain's bound parser says is wrong with these KEY=N pairs, or null when it accepts them. */
function boundsError(domain: Domain, pairs: readonly string[]): string | null {
  try {
    domain.parseBounds(pairs);
    return null;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  }
}

/**
 * What is wrong with a saved scenario's setup (its initial world), judged as
 * --bound judges bounds, or null. A setup is what the domain's space derives
 * from bounds (see Domain.space), so it may only have the keys the default
 * setup has, of the same types, and their values (a boolean as 0 or 1) must
 * be valid bounds of those names. Unchecked, a huge value builds a world that
 * exhausts the heap, and a value of the wrong type is silently read as the default.
 */
export function setupError(domain: Domain, setup: Setup): string | null {
  const model = domain.space(domain.defaultBounds).setup ?? {};
  // a key the default setup leaves out because its bound is at the default (bars, vfio_group): the setup of that bound set
  const offDefault = (key: string, v: unknown) => {
    if (!Object.hasOwn(domain.defaultBounds, key) || (typeof v !== 'number' && typeof v !== 'boolean')) return {};
    if (boundsError(domain, [`${key}=${Number(v)}`]) !== null) return {};
    return domain.space({ ...domain.defaultBounds, [key]: Number(v) }).setup ?? {};
  };
  const pairs: string[] = [];
  for (const [key, v] of Object.entries(setup)) {
    const known = Object.hasOwn(model, key) ? model : offDefault(key, v);
    if (!Object.hasOwn(known, key)) return `unknown key "${key}" (keys of the ${domain.name} model: ${Object.keys(model).join(', ')})`;
    const want = typeof known[key];
    if (typeof v !== want) return `${key}=${JSON.stringify(v)}: expected ${want === 'boolean' ? 'true or false' : 'an integer'}`;
    pairs.push(`${key}=${typeof v === 'boolean' ? Number(v) : String(v)}`);
  }
  const wrong = boundsError(domain, pairs);
  if (wrong === null) return null;
  // the other bounds are at their defaults, and one may constrain a setup value (SVA: exits <= procs):
  // with each at 0 where 0 is allowed, only the setup's own values are judged
  const others = Object.keys(domain.defaultBounds)
    .filter((k) => !Object.hasOwn(setup, k))
    .map((k) => `${k}=0`)
    .filter((p) => boundsError(domain, [p]) === null);
  return boundsError(domain, [...others, ...pairs]) === null ? null : wrong;
}

/**
 * How the design replayed compares with the one the file was saved with.
 * null: the file records nothing to compare with (version 1 files of
 * built-in designs written by the matrix record no digest).
 */
export interface DesignCheck {
  /** the design replayed */
  readonly name: string;
  /** given with --variant rather than taken from the file */
  readonly given: boolean;
  /** the module loaded, as given */
  readonly module: string | null;
  /** the module's text is the one the file records (sha256 in version 2, FNV digest in version 1) */
  readonly moduleMatches: boolean | null;
  /** the design's code, operations, lifecycles or bounds differ from when the file was saved */
  readonly changed: boolean | null;
}

/** What a replay found, for the report and for --json. */
export interface Replay {
  readonly outcome: ReplayOutcome;
  readonly cx: CounterexampleFile;
  readonly loaded: LoadedDesign;
  readonly system: System;
  readonly result: ReplayResult;
  readonly design: DesignCheck;
  /** version 2: the file's content no longer has the digest it was saved with; null for version 1 */
  readonly edited: boolean | null;
  /** when it reproduced by another trace than recorded: why, as far as the digests tell */
  readonly traceChange: string | null;
}

function designCheck(cx: CounterexampleFile, loaded: LoadedDesign, variant: string | undefined): DesignCheck {
  const module = loaded.path !== undefined ? (variant ?? loaded.path) : null;
  const recordedModule = cx.version === 2 ? cx.design.sha256 : cx.design.path !== undefined ? cx.design.digest : undefined;
  const moduleMatches =
    module === null || recordedModule === undefined ? null : (cx.version === 2 ? loaded.sha256 : loaded.digest) === recordedModule;
  let changed: boolean | null = null;
  if (cx.version === 2 && cx.design.digest !== undefined) changed = designDigest(loaded.design) !== cx.design.digest;
  else if (cx.version === 1 && cx.design.digest !== undefined) changed = loaded.digest !== cx.design.digest;
  if (loaded.design.name !== cx.design.name) changed = true;
  return { name: loaded.design.name, given: variant !== undefined, module, moduleMatches, changed };
}

function traceChangeOf(cx: CounterexampleFile, design: DesignCheck, edited: boolean | null): string {
  if (design.changed === true) return design.name === cx.design.name ? 'the design changed since the file was saved' : 'another design';
  if (edited === true) return 'the file was edited since it was saved';
  if (cx.version === 1) return 'the model changed or the file was edited: a version-1 file records no digest to tell which';
  return "the model changed outside the design's code (the kernel primitives or the engine)";
}

/** Runs the replay; a design that cannot even build its initial world is broken, as one whose code throws is. */
function run(system: System, cx: CounterexampleFile, monitors: ReturnType<typeof monitorsFor>, name: string): ReplayResult {
  try {
    return replayCounterexample(system, cx, monitors);
  } catch (e) {
    if (e instanceof CounterexampleFormatError) throw e;
    throw new ReplayInputError(
      `design ${name} is broken: building its initial world threw ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
    );
  }
}

/**
 * Replays a counterexample file's text. Throws CounterexampleFormatError for a
 * malformed file or one naming what the model does not have, ReplayInputError
 * for a design or property that cannot be found (or a module not named with
 * --variant), and DesignFault when the design's code fails during the replay:
 * a broken design is never "no longer reproduces".
 */
export async function replayFile(text: string, options: { variant?: string } = {}): Promise<Replay> {
  const cx = parseCounterexample(text);
  const loaded = await designOf(cx, options.variant);
  const domain = designDomain(loaded.design);
  const wrong = cx.scenario.setup ? setupError(domain, cx.scenario.setup) : null;
  if (wrong !== null) throw new ReplayInputError(`scenario.setup: ${wrong}`);
  const bad = scenarioError(signaturesWith(domain.signatures, loaded.design), counterexampleScenario(cx), loaded.design.name);
  if (bad !== null) throw new CounterexampleFormatError(bad);
  const monitors = monitorsFor(loaded.design.domain, cx.property);
  const system = systemOf(domain, loaded.design);
  const result = run(system, cx, monitors, loaded.design.name);
  if (result.violation && isFault(result.violation)) throw new DesignFault(loaded.design.name, result.violation, result.exec.path.length);
  const design = designCheck(cx, loaded, options.variant);
  const edited = cx.version === 2 ? contentDigest(cx) !== cx.digest : null;
  const traceChange = result.reproduced && !result.sameTrace ? traceChangeOf(cx, design, edited) : null;
  return { outcome: result.outcome, cx, loaded, system, result, design, edited, traceChange };
}
