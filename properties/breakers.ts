/**
 * For each property of each lifecycle, a design whose bug breaks it: the
 * catalog's evidence that the property can fail (docs/properties.md,
 * test/properties/catches.test.ts). Its counterexample is the corpus file
 * counterexamples/<design>/<property>.json. Keyed by domain first, since the
 * generic properties (lock-order, lifecycle-legality) exist in both.
 */
export const BREAKERS: Readonly<Record<'dmabuf' | 'sva', Readonly<Record<string, string>>>> = {
  dmabuf: {
    'no-mmio-access-while-unavailable': 'before-close-order',
    'no-mapping-survives-revoke': 'merged-6.19',
    'revoke-sticky': 'broken-cleanup-orphan-first',
    'unrevoke-liveness': 'broken-flr-rerevoke',
    refcounts: 'before-double-free',
    'lock-order': 'before-pinned-importer',
    'error-contract': 'jgg-2022-v2',
    'lifecycle-legality': 'broken-cleanup-no-file-check',
  },
  sva: {
    'pasid-dma-bound': 'sva-2018-v2',
    'bond-freed-once': 'sva-unbind-no-mmgrab',
    'no-last-mmput-under-lock': 'sva-mmput-sync',
    'foreign-bind-permission': 'sva-bind-no-ptrace-check',
    'lock-order': 'sva-2018-v2',
  },
};
