/**
 * The design digest a counterexample file records covers the source of each of
 * the design's functions. A generator the compiled engine wraps is read by its
 * own body (sourceOf), not by its wrapper, whose text every wrapper shares: two
 * designs that differ only in one generator's body must not digest alike.
 */
import { describe, expect, it } from 'vitest';
import { sourceOf } from '../../checker/compiled/runtime.ts';
import { defineVariant } from '../../model/design.ts';
import { designDigest } from '../../model/design-digest.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { vfio_pci_dma_buf_move as moveA } from './fixtures/digest/move-a.ts';
import { vfio_pci_dma_buf_move as moveB } from './fixtures/digest/move-b.ts';

describe('design digest', () => {
  it('tells apart designs whose only difference is the body of a compiled generator of the same name', () => {
    const upstream = findBuiltin('upstream-7.1');
    if (!upstream) throw new Error('no upstream-7.1');
    // the two are compiled model generators: same name, so their wrappers' text is the same
    expect(String(moveA)).toBe(String(moveB));
    expect(sourceOf(moveA)).not.toBe(sourceOf(moveB));
    const replacing = (move: typeof moveA) =>
      defineVariant(upstream, { name: 'digest', summary: '', source: '', differences: [], replace: { vfio_pci_dma_buf_move: move } });
    expect(designDigest(replacing(moveA))).not.toBe(designDigest(replacing(moveB)));
  });
});
