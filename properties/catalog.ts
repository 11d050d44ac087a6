/**
 * The property catalog: every claim the tool checks, by exact name. Checking
 * a property runs every property's monitors of the design's domain, and only
 * this property's violation kinds make a counterexample.
 */
import type { DomainName } from '../model/domain.ts';
import { errorContract } from './dmabuf/error-contract.ts';
import { lifecycleLegality, svaLifecycleLegality } from './dmabuf/lifecycle-legality.ts';
import { lockOrder, svaLockOrder } from './dmabuf/lock-order.ts';
import { noMappingSurvivesRevoke } from './dmabuf/no-mapping-survives-revoke.ts';
import { noMmioAccessWhileUnavailable } from './dmabuf/no-mmio-access-while-unavailable.ts';
import { refcounts } from './dmabuf/refcounts.ts';
import { revokeSticky } from './dmabuf/revoke-sticky.ts';
import { unrevokeLiveness } from './dmabuf/unrevoke-liveness.ts';
import type { Property } from './property.ts';
import { svaProperties } from './sva.ts';

export const dmabufProperties: readonly Property[] = [
  noMmioAccessWhileUnavailable,
  noMappingSurvivesRevoke,
  revokeSticky,
  unrevokeLiveness,
  refcounts,
  lockOrder,
  errorContract,
  lifecycleLegality,
];

const sva: readonly Property[] = [...svaProperties, svaLockOrder, svaLifecycleLegality];

export function propertiesOf(domain: DomainName): readonly Property[] {
  return domain === 'dmabuf' ? dmabufProperties : sva;
}

export function allPropertyNames(): string[] {
  return [...new Set([...dmabufProperties, ...sva].map((p) => p.name))];
}
