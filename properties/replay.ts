/**
 * Replaying a counterexample file: find its design (built-in name or module
 * path), build the system, and re-run it with the monitors of the property it
 * breaks (exactly those: a search may have found it with only that property's
 * monitors active).
 */
import { type CounterexampleFile, parseCounterexample, type ReplayResult, replayCounterexample } from '../checker/counterexample.ts';
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

export async function replayFile(text: string): Promise<{ cx: CounterexampleFile; loaded: LoadedDesign; result: ReplayResult }> {
  const cx = parseCounterexample(text);
  const loaded = await designOf(cx);
  const domain = domainOf(loaded.design.domain);
  const result = replayCounterexample(domain.system(loaded.design), cx, monitorsFor(loaded.design.domain, cx.property));
  return { cx, loaded, result };
}
