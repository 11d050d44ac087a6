import type { System } from '../checker/scenario.ts';
import type { Design } from '../model/design.ts';
import type { Domain } from '../model/domain.ts';
import { propertiesOf } from './catalog.ts';

/**
 * The System a design is checked on: its domain's model, reporting the
 * returns every property of the domain's catalog watches (all of them run on
 * every execution, so each sees the returns it declares).
 */
export function systemOf(domain: Domain, design: Design<object>): System {
  return domain.system(design, new Set(propertiesOf(domain.name).flatMap((p) => p.returns ?? [])));
}
