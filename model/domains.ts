/** The modelled lifecycles, by name; and the lifecycle as a design that adds operations sees it. */

import { addedCommands } from './added-commands.ts';
import { type Design, signaturesWith } from './design.ts';
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

/**
 * The domain of a design with the operations it adds: in its signatures (what
 * `list ops` prints and files may name) and in its generated space (what
 * exhaustive and random search, and --focus, choose from). A design that adds
 * none gets its domain itself, so its scenarios are exactly the built-in ones.
 * Throws when an operation names an actor the domain does not have.
 */
export function domainFor(design: Pick<Design<object>, 'name' | 'domain' | 'operations'>): Domain {
  const base = domainOf(design.domain);
  if (Object.keys(design.operations ?? {}).length === 0) return base;
  return {
    ...base,
    signatures: signaturesWith(base.signatures, design),
    space(bounds, focus, added) {
      const own = addedCommands(design, base.space(bounds).setup ?? {});
      const all = { ...own };
      for (const [role, cmds] of Object.entries(added ?? {})) all[role] = [...(all[role] ?? []), ...cmds];
      return base.space(bounds, focus, all);
    },
  };
}
