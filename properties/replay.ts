/**
 * Replaying a counterexample file: find its design (built-in name or module
 * path), check that its setup is one the design's bounds allow, build the
 * system, and re-run it with the monitors of the property it breaks (exactly
 * those: a search may have found it with only that property's monitors active).
 */
import { type CounterexampleFile, parseCounterexample, type ReplayResult, replayCounterexample } from '../checker/counterexample.ts';
import type { System } from '../checker/scenario.ts';
import type { Args as Setup } from '../checker/value.ts';
import type { Domain } from '../model/domain.ts';
import { domainOf } from '../model/domains.ts';
import { type LoadedDesign, loadDesign } from '../model/load.ts';
import { propertiesOf } from './catalog.ts';

export class ReplayInputError extends Error {}

export async function designOf(cx: CounterexampleFile): Promise<LoadedDesign> {
  return loadDesign(cx.design.path ?? cx.design.name);
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
  const pairs: string[] = [];
  for (const [key, v] of Object.entries(setup)) {
    if (!Object.hasOwn(model, key)) return `unknown key "${key}" (keys of the ${domain.name} model: ${Object.keys(model).join(', ')})`;
    const want = typeof model[key];
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

export async function replayFile(
  text: string,
): Promise<{ cx: CounterexampleFile; loaded: LoadedDesign; system: System; result: ReplayResult }> {
  const cx = parseCounterexample(text);
  const loaded = await designOf(cx);
  const domain = domainOf(loaded.design.domain);
  const wrong = cx.scenario.setup ? setupError(domain, cx.scenario.setup) : null;
  if (wrong !== null) throw new ReplayInputError(`scenario.setup: ${wrong}`);
  const system = domain.system(loaded.design);
  const result = replayCounterexample(system, cx, monitorsFor(loaded.design.domain, cx.property));
  return { cx, loaded, system, result };
}
