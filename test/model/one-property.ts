/** Shared by the model tests of single paths: a built-in design, and one property of it checked exhaustively at given bounds. */
import { domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

export function builtin(name: string) {
  const d = findBuiltin(name);
  if (!d) throw new Error(`no design ${name}`);
  return d;
}

export function checkOne(name: string, property: string, bounds: readonly string[], focus: readonly string[]) {
  const domain = domainOf('dmabuf');
  const [r] = checkDesign({
    design: builtin(name),
    domain,
    properties: dmabufProperties.filter((p) => p.name === property),
    catalog: dmabufProperties,
    modes: ['exhaustive'],
    bounds: domain.parseBounds(bounds).bounds,
    focus,
  });
  return r;
}
