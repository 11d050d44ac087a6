/** The modelled lifecycles, by name. */

import { dmabufDomain } from './dmabuf/domain.ts';
import type { Domain, DomainName } from './domain.ts';
import { svaDomain } from './sva/domain.ts';

const domains = new Map<DomainName, Domain>([
  ['dmabuf', dmabufDomain],
  ['sva', svaDomain],
]);

export function domainOf(name: DomainName): Domain {
  const d = domains.get(name);
  if (!d) throw new Error(`no domain ${name}`);
  return d;
}
