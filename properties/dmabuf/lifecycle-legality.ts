import type { Property } from '../property.ts';

export const lifecycleLegality: Property = {
  name: 'lifecycle-legality',
  domain: 'dmabuf',
  statement:
    'Every lifecycle event an operation sends (export, link, revoke, orphan, last put, release; attach, map, invalidate, unmap, detach; iommufd phys, fill, revoke, release; VMA fault, zap, munmap; device open, close, reset) is accepted by the XState machine of that object in its current state (model/machines/).',
  checked: ['every step'],
  kinds: ['illegal-transition'],
  limits: 'The machines encode structure (existence, linkage, mapping); what revocation must guarantee is stated by the other properties.',
  monitors: () => [],
};

export const svaLifecycleLegality: Property = {
  ...lifecycleLegality,
  domain: 'sva',
  statement: 'Every lifecycle event an SVA operation sends (bond, mm, group, PASID DMA) is accepted by its XState machine (model/sva/).',
};
