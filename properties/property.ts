/**
 * A catalog property: one claim about every design of a domain, stated
 * precisely, with the monitors that check it and the violation kinds that
 * count as breaking it. Checking a property runs the search with every
 * property's monitors (an execution ends at any violation) but only this
 * property's kinds make a counterexample.
 */
import type { Monitor } from '../checker/monitor.ts';
import type { Violation } from '../checker/point.ts';
import type { DomainName } from '../model/domain.ts';

export type CheckedWhen = 'every step' | 'at quiescence' | 'over the whole run';

export interface Property {
  /** exact catalog name, e.g. "no-mapping-survives-revoke" */
  readonly name: string;
  readonly domain: DomainName;
  /** the claim, precisely enough for a reviewer to agree or object */
  readonly statement: string;
  readonly checked: readonly CheckedWhen[];
  /** violation kinds (from kernel/, the model or this property's monitors) that break it */
  readonly kinds: readonly string[];
  /** kernel functions whose returns its monitors see as `return` events (e.g. vfio_pci_dma_buf_move) */
  readonly returns?: readonly string[];
  /** monitors this property adds to every execution (fresh instances) */
  monitors(): Monitor[];
  /** what the model abstracts away, so what a pass does not prove */
  readonly limits: string;
}

export function breaks(p: Property, v: Violation): boolean {
  return p.kinds.includes(v.kind);
}
