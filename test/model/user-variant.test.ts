/** A user's design in one file, loaded by path through the public API (docs/variants.md). */
import { describe, expect, it } from 'vitest';
import { DesignError, loadDesign } from '../../loader/load.ts';
import { domainOf } from '../../model/domains.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

describe('a variant module outside the model', () => {
  it('loads by path and fails lock-order with a lockdep report naming both paths', async () => {
    const { design, path, digest } = await loadDesign('examples/variants/resv-before-memory-lock.ts');
    expect(design.name).toBe('user-resv-before-memory-lock');
    expect(design.replaced).toEqual(['vfio_pci_dma_buf_attach']);
    expect(path).toMatch(/resv-before-memory-lock\.ts$/);
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
    const domain = domainOf(design.domain);
    const [r] = checkDesign({
      design,
      domain,
      properties: dmabufProperties.filter((p) => p.name === 'lock-order'),
      catalog: dmabufProperties,
      modes: ['exhaustive'],
      bounds: domain.parseBounds([]).bounds,
      focus: design.focus,
    });
    expect(r?.verdict).toBe('fail');
    const report = r?.counterexample?.violation.report ?? '';
    expect(report).toContain('WARNING: possible circular locking dependency detected');
    expect(report).toMatch(/vfio_pci_dma_buf_move[\s\S]*vfio_pci_dma_buf_attach|vfio_pci_dma_buf_attach[\s\S]*vfio_pci_dma_buf_move/);
  });

  it('rejects unknown names and bad modules with one line naming what is valid', async () => {
    await expect(loadDesign('no-such-design')).rejects.toThrow(/^unknown variant "no-such-design" \(variants: upstream-7\.1, /);
    await expect(loadDesign('examples/variants/missing.ts')).rejects.toBeInstanceOf(DesignError);
  });
});
