/**
 * Turning names on the command line into what the checker takes: a design
 * (built-in name or module path), its domain, the properties, the bounds and
 * the primary-process commands ("focus"). Every mistake is a UsageError.
 */

import { type LoadedDesign, loadDesign } from '../loader/load.ts';
import type { BoundValues, Domain } from '../model/domain.ts';
import { domainFor } from '../model/domains.ts';
import { type AnyDesign, builtinDesigns, findBuiltin } from '../model/variants/index.ts';
import { allPropertyNames, propertiesOf } from '../properties/catalog.ts';
import type { Property } from '../properties/property.ts';
import { type Target as SearchTarget, targetOf } from '../properties/target.ts';
import { asInput, asInputAsync, UsageError } from './errors.ts';
import { didYouMean } from './suggest.ts';

export const DEFAULT_VARIANT = 'upstream-7.1';

/** The search's target (properties/target.ts), with the module it was loaded from and its bounds as the user reads them. */
export interface Target extends SearchTarget {
  readonly loaded: LoadedDesign;
  /** the bounds that differ from the domain's defaults, as KEY=N */
  readonly boundText: string;
}

export async function resolveDesign(nameOrPath: string): Promise<LoadedDesign> {
  try {
    return await asInputAsync(() => loadDesign(nameOrPath));
  } catch (e) {
    // the loader refuses a name that is no built-in design: say which one was meant
    const unknown = `unknown variant "${nameOrPath}"`;
    const hint = findBuiltin(nameOrPath)
      ? ''
      : didYouMean(
          nameOrPath,
          builtinDesigns().map((d) => d.name),
        );
    if (hint && e instanceof UsageError && e.message.startsWith(unknown))
      throw new UsageError(`${unknown}${hint}${e.message.slice(unknown.length)}`);
    throw e;
  }
}

/**
 * The user's KEY=N pairs name each key once: the parser would silently keep
 * the last of two values. The same pair twice is no conflict (as with flags).
 */
export function checkBoundPairs(pairs: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const pair of pairs) {
    // `ops=0,sync=0` would read as ops set to "0,sync=0"
    if (/^[a-z_]+=[^,]*,[a-z_]+=/.test(pair))
      throw new UsageError(`--bound ${pair}: separate bounds with spaces, not commas (--bound ${pair.split(',').join(' ')})`);
    const eq = pair.indexOf('=');
    if (eq < 0) continue; // malformed: the domain's parser names what is wrong
    const key = pair.slice(0, eq);
    const before = seen.get(key);
    if (before !== undefined && before !== pair) throw new UsageError(`--bound ${key} given twice (${before} and ${pair})`);
    seen.set(key, pair);
  }
}

/**
 * The bounds a design is checked at: the domain's defaults, then the design's
 * own overrides (what its scenarios need; see Design.bounds) unless
 * `designBounds` is false, then the user's KEY=N pairs.
 */
export function resolveBounds(
  design: AnyDesign,
  domain: Domain,
  pairs: readonly string[],
  designBounds = true,
): { bounds: BoundValues; profile: string | null } {
  checkBoundPairs(pairs);
  checkBoundKeys(domain, pairs);
  const base = designBounds ? Object.entries(design.bounds).map(([k, v]) => `${k}=${v}`) : [];
  return asInput(() => domain.parseBounds([...base, ...pairs]), '');
}

/** A key the domain does not have is refused here, with the key that was probably meant. */
function checkBoundKeys(domain: Domain, pairs: readonly string[]): void {
  const keys = [...Object.keys(domain.defaultBounds), 'profile'];
  for (const pair of pairs) {
    const key = pair.split('=')[0] as string;
    if (pair.includes('=') && !keys.includes(key))
      throw new UsageError(`unknown bound "${key}"${didYouMean(key, keys)} (keys: ${keys.join(', ')})`);
  }
}

/** Every command any role of the domain may choose at these bounds. */
export function commandNames(domain: Domain, bounds: BoundValues): string[] {
  const names = new Set<string>();
  for (const r of domain.space(bounds).roles) for (const c of r.commands) names.add(c.op);
  return [...names];
}

/** `--focus all` (or none given: the design's own focus), or a list of commands checked against the domain's. */
export function resolveFocus(design: AnyDesign, domain: Domain, bounds: BoundValues, given: readonly string[]): string[] {
  if (given.length === 0) return [...design.focus];
  if (given.includes('all')) {
    if (given.length > 1) throw new UsageError('--focus all cannot be combined with command names');
    return [];
  }
  const valid = commandNames(domain, bounds);
  for (const g of given)
    if (!valid.includes(g))
      throw new UsageError(`unknown command "${g}" for --focus${didYouMean(g, valid)} (commands: ${valid.join(', ')}, or all)`);
  return [...given];
}

/** Catalog properties by name (none given: all of them), in catalog order. */
export function resolveProperties(design: AnyDesign, names: readonly string[]): Property[] {
  const catalog = propertiesOf(design.domain);
  if (names.length === 0) return [...catalog];
  const valid = catalog.map((p) => p.name);
  for (const n of names) {
    if (valid.includes(n)) continue;
    if (allPropertyNames().includes(n))
      throw new UsageError(
        `property "${n}" does not apply to ${design.domain} designs such as ${design.name} (properties: ${valid.join(', ')})`,
      );
    throw new UsageError(`unknown property "${n}"${didYouMean(n, valid)} (properties of ${design.name}: ${valid.join(', ')})`);
  }
  return catalog.filter((p) => names.includes(p.name));
}

/** KEY=N for every bound that differs from the domain's default. */
export function boundDiff(domain: Domain, bounds: BoundValues): string {
  const parts = Object.entries(bounds)
    .filter(([k, v]) => domain.defaultBounds[k] !== v)
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ') : '';
}

export function describeBound(t: Pick<Target, 'boundText' | 'profile' | 'focus'>): string {
  if (t.profile) return `profile ${t.profile} (fixed scenarios)`;
  return `${t.boundText ? `default with ${t.boundText}` : 'default'}; primary commands: ${t.focus.length ? t.focus.join(', ') : 'all'}`;
}

/** A profile is a fixed set of scenarios: the domain must have profiles, and a --focus would be silently ignored. */
export function checkProfile(domain: Domain, profile: string | null, focus: readonly string[]): void {
  if (!profile) return;
  if (focus.length) throw new UsageError('--focus cannot be combined with a profile (a profile is a fixed set of scenarios)');
  if (!domain.profile) throw new UsageError(`the ${domain.name} model has no profiles`);
}

/** Design, domain, bounds and focus from the common flags (--variant, --bound, --focus). */
export async function resolveTarget(variant: string | undefined, pairs: readonly string[], focus: readonly string[]): Promise<Target> {
  const loaded = await resolveDesign(variant ?? DEFAULT_VARIANT);
  const design = loaded.design;
  const domain = asInput(() => domainFor(design));
  const { bounds, profile } = resolveBounds(design, domain, pairs);
  checkProfile(domain, profile, focus);
  const f = profile ? [] : resolveFocus(design, domain, bounds, focus);
  return { ...targetOf({ design, domain, bounds, profile, focus: f }), loaded, boundText: boundDiff(domain, bounds) };
}
