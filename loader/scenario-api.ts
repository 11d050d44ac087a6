/**
 * Scenario files from a script (index.ts): `runScenario` is `run FILE`,
 * `checkScenario` is `check --scenario FILE`, for a design object.
 */
import type { Design } from '../model/design.ts';
import { designDomain } from '../model/design-domain.ts';
import { propertiesOf } from '../properties/catalog.ts';
import { type CheckRequest, checkDesign, type Mode, type PropertyResult } from '../properties/check.ts';
import { type RunOutcome, runLoaded } from '../properties/run-scenario.ts';
import { type LoadedScenario, parseScenario, type ScenarioDoc } from '../properties/scenario-file.ts';
import { readScenario } from './scenario-file.ts';

/** A scenario as a file path, or as the document a file would hold. */
export type ScenarioInput = string | ScenarioDoc;

function load(design: Design<object>, input: ScenarioInput): LoadedScenario {
  const domain = designDomain(design);
  return typeof input === 'string' ? readScenario(input, domain, design) : parseScenario(JSON.stringify(input), domain, design, 'scenario');
}

/**
 * Runs the scenario's steps in order, each to completion; throws a
 * ScenarioFileError (one line naming the field) for a scenario the model
 * does not accept.
 */
export function runScenario(design: Design<object>, input: ScenarioInput): RunOutcome {
  return runLoaded(load(design, input), designDomain(design), design);
}

export interface CheckScenarioOptions {
  /** default both */
  readonly modes?: readonly Mode[];
  /** property names (default: every property of the design's domain) */
  readonly properties?: readonly string[];
  readonly runs?: number;
  readonly seed?: number;
  /** recorders each mode counts its model functions in (checker/coverage.ts; coverageReport reads them) */
  readonly coverage?: CheckRequest['coverage'];
}

/** Every property over every interleaving (exhaustive) or random schedules of exactly the scenario's threads. */
export function checkScenario(design: Design<object>, input: ScenarioInput, options: CheckScenarioOptions = {}): PropertyResult[] {
  const loaded = load(design, input);
  const domain = designDomain(design);
  const catalog = propertiesOf(design.domain);
  const unknown = options.properties?.find((n) => !catalog.some((p) => p.name === n));
  if (unknown !== undefined) throw new Error(`unknown property "${unknown}" (properties: ${catalog.map((p) => p.name).join(', ')})`);
  const properties = options.properties ? catalog.filter((p) => options.properties?.includes(p.name)) : catalog;
  return checkDesign({
    design,
    domain,
    properties,
    catalog,
    modes: options.modes ?? ['random', 'exhaustive'],
    bounds: loaded.bounds,
    scenario: loaded.scenario,
    runs: options.runs ?? 1000,
    ...(options.coverage ? { coverage: options.coverage } : {}),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
}
