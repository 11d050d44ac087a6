/** The modelled lifecycles, by name. */
import type { Domain, DomainName } from './domain.ts';
import { dmabufDomain } from './dmabuf-domain.ts';

const domains = new Map<DomainName, Domain>([['dmabuf', dmabufDomain]]);

/** The SVA model registers its domain (model/sva/domain.ts) here. */
export function registerDomain(d: Domain): void {
  domains.set(d.name, d);
}

export function domainOf(name: DomainName): Domain {
  const d = domains.get(name);
  if (!d) throw new Error(`no domain ${name}`);
  return d;
}
