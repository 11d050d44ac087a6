/**
 * The lifetime checks of issue 20 (items 3 and 5), each shown failing on the
 * design built to break it and passing on upstream-7.1 at that design's bound:
 * a use of freed priv memory (a racing close of a just-published fd, a freed
 * entry still on vdev->dmabufs) in refcounts with who freed it and where; a
 * revoke blocked for good with a mapping live in no-mapping-survives-revoke
 * beside the deadlock; a buffer left revoked once every operation is over in
 * unrevoke-liveness. Their saved counterexamples replay.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Ref } from '../../checker/kind.ts';
import { runScenario } from '../../checker/run.ts';
import { SEQUENTIAL } from '../../checker/schedule.ts';
import { defineVariant } from '../../model/design.ts';
import type { K } from '../../model/dmabuf/functions.ts';
import { upstream71, upstreamFunctions } from '../../model/dmabuf/upstream/index.ts';
import { domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';
import { unrevokeLiveness } from '../../properties/dmabuf/unrevoke-liveness.ts';
import { replayFile } from '../../properties/replay.ts';
import { systemOf } from '../../properties/system.ts';

const domain = domainOf('dmabuf');
const catalog = propertiesOf('dmabuf');

function exhaustive(designName: string, property: string, boundsOf = designName) {
  const design = findBuiltin(designName);
  const at = findBuiltin(boundsOf);
  if (!design || !at) throw new Error(`no design ${designName}`);
  const p = catalog.find((x) => x.name === property);
  if (!p) throw new Error(`no property ${property}`);
  const { bounds } = domain.parseBounds(Object.entries(at.bounds).map(([k, v]) => `${k}=${v}`));
  const [r] = checkDesign({ design, domain, properties: [p], catalog, modes: ['exhaustive'], bounds, focus: at.focus });
  if (!r) throw new Error('no result');
  return r;
}

/** design, property, violation kind, what its message must say */
const CASES: [string, string, string, string[]][] = [
  [
    'broken-export-fd-early',
    'refcounts',
    'use-after-free',
    [
      'kref_init on priv0.kref->refcount in export_dmabuf > vfio_pci_core_feature_dma_buf',
      'freed by fdclose0 in',
      'vfio_pci_dma_buf_release > kfree',
    ],
  ],
  [
    'broken-release-no-unlink',
    'refcounts',
    'use-after-free',
    ['read of priv0->dmabufs_elm walking vdev0->dmabufs', 'vfio_pci_dma_buf_move', 'vfio_pci_dma_buf_release > kfree'],
  ],
  [
    'broken-revoke-wait-under-resv',
    'no-mapping-survives-revoke',
    'mapping-survives-revoke',
    ['blocked for good at wait_for_completion(&priv0->comp)', 'still mapped: att0'],
  ],
  ['broken-revoke-wait-under-resv', 'lock-order', 'deadlock', ['deadlock: no thread can run']],
  // the fields of priv are read through load(): the release's read of priv->vdev after the error path's kfree(priv)
  // is what KASAN reports first, four steps before the second kfree
  [
    'before-double-free',
    'refcounts',
    'use-after-free',
    [
      'read of priv0->vdev in ____fput > __fput > dma_buf_file_release > dma_buf_release > vfio_pci_dma_buf_release',
      'freed by primary0 in export_dmabuf > vfio_pci_core_feature_dma_buf > export_install_fd > kfree',
    ],
  ],
  ['broken-export-born-revoked', 'unrevoke-liveness', 'unrevoke-missed', ['no thread is inside an operation', 'priv1 is still revoked']],
];

describe('lifetime checks', () => {
  for (const [design, property, kind, says] of CASES) {
    it(`${property} fails on ${design} and passes on upstream-7.1 at its bound`, () => {
      const r = exhaustive(design, property);
      expect(r.verdict, r.counterexample?.violation.message).toBe('fail');
      expect(r.counterexample?.violation.kind).toBe(kind);
      for (const s of says) expect(r.counterexample?.violation.message).toContain(s);
      expect(exhaustive('upstream-7.1', property, design).verdict).toBe('pass');
    });
    it(`counterexamples/${design}/${property}.json replays`, async () => {
      const { cx, result } = await replayFile(readFileSync(`counterexamples/${design}/${property}.json`, 'utf8'));
      expect(result.reason).toBeNull();
      expect(result.reproduced).toBe(true);
      expect(result.exec?.violation?.message).toBe(cx.violation.message);
    });
  }
});

describe('unrevoke-liveness between operations', () => {
  const upstream = findBuiltin('upstream-7.1');
  if (!upstream) throw new Error('no upstream-7.1');
  const run = (ops: string[]) =>
    runScenario(
      systemOf(domain, upstream),
      {
        setup: { devices: 1, exported: 1 },
        threads: [
          { name: 'primary0', ops: ops.map((op) => ({ op, args: {} })) },
          { name: 'exit0', ops: [{ op: 'exit_all', args: {} }] },
        ],
      },
      SEQUENTIAL,
      { monitors: unrevokeLiveness.monitors() },
    );
  it('excuses a wake-eventfd resume after LOW_POWER_ENTRY: by the uAPI the buffers wait for LOW_POWER_EXIT', () => {
    expect(run(['low_power_entry', 'runtime_resume']).violation).toBeNull();
    expect(run(['low_power_entry', 'runtime_resume', 'low_power_exit']).violation).toBeNull();
  });
});

describe('the sg table a map hands out lives until unmap', () => {
  // an exporter that frees a fence importer's sg table in the invalidate callback, while its DMA is still in flight
  const freesInInvalidate = defineVariant(upstream71, {
    name: 'test-free-sgt-in-invalidate',
    summary: 'test design: invalidate frees the sg table behind the importer',
    source: 'test',
    differences: ['importer_invalidate_mappings: kfree(sgt)'],
    replace: {
      *importer_invalidate_mappings(k: K, att: Ref<'att'>) {
        yield* upstreamFunctions.importer_invalidate_mappings(k, att);
        const sgt = k.ctx.get(att, 'sgt');
        if (sgt) yield* k.kfree(sgt);
      },
    },
    bounds: { sync: 0, fence: 1 },
    focus: ['config_write_command'],
  });
  it('a DMA through a freed sg table is a use-after-free naming its freer', () => {
    const p = catalog.find((x) => x.name === 'refcounts');
    if (!p) throw new Error('no refcounts');
    const { bounds } = domain.parseBounds(['sync=0', 'fence=1']);
    const [r] = checkDesign({
      design: freesInInvalidate,
      domain,
      properties: [p],
      catalog,
      modes: ['exhaustive'],
      bounds,
      focus: ['config_write_command'],
    });
    expect(r?.verdict).toBe('fail');
    expect(r?.counterexample?.violation.kind).toBe('use-after-free');
    expect(r?.counterexample?.violation.message).toContain('read of sg_table0->attachment in fence_dma_access > importer_dma_access');
    expect(r?.counterexample?.violation.message).toContain('importer_invalidate_mappings > kfree');
  });
});
