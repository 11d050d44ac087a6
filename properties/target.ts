/**
 * What a search runs on: a design, its domain, the System built for its
 * catalog, and the scenarios of its bounds (or profile) and focus. `check`,
 * the matrix, `lockorder` and the benchmarks build it here, so they search the
 * same space on the same System.
 */
import type { System } from '../checker/scenario.ts';
import { asList, type ScenarioList, spaceScenarios } from '../checker/search/space-search.ts';
import type { BoundValues, Domain } from '../model/domain.ts';
import type { AnyDesign } from '../model/variants/index.ts';
import { propertiesOf } from './catalog.ts';
import type { Property } from './property.ts';
import { systemOf } from './system.ts';

export interface Target {
  readonly design: AnyDesign;
  readonly domain: Domain;
  readonly system: System;
  /** every property of the design's domain: their monitors all run */
  readonly catalog: readonly Property[];
  readonly bounds: BoundValues;
  readonly profile: string | null;
  /** primary-process commands searched (empty: all) */
  readonly focus: readonly string[];
  /** the scenarios searched, as one list (so a time limit bounds the whole search, not each scenario of a profile) */
  readonly scenarios: () => ScenarioList;
}

export function targetOf(t: {
  design: AnyDesign;
  domain: Domain;
  bounds: BoundValues;
  profile: string | null;
  focus: readonly string[];
}): Target {
  const { design, domain, bounds, profile, focus } = t;
  const scenarios = () => checkScenarios(domain, bounds, profile, focus);
  return { design, domain, system: systemOf(domain, design), catalog: propertiesOf(design.domain), bounds, profile, focus, scenarios };
}

/** The scenarios a check explores: a profile's, or every one within the bounds, smallest first (made as they are taken). */
export function checkScenarios(
  domain: Domain,
  bounds: BoundValues,
  profile: string | null | undefined,
  focus?: readonly string[],
): ScenarioList {
  if (profile) return asList(domain.profile?.(profile) ?? []);
  return spaceScenarios(domain.space(bounds, focus), domain.searchBounds(bounds));
}
