/**
 * evans-2026-rfc-v2's cleanup after a permanent revoke. The RFC v2 cleanup drains inline with an
 * unconditional kref_put + wait_for_completion (the 7.1-rc code it was based on); its author's own
 * "[PATCH 1/9] vfio/pci: Fix vfio_pci_dma_buf_cleanup() double-put" (16 Apr 2026, Fixes: 1a8a5227f2299)
 * says that a revoke before close makes cleanup "do a second/underflowing kref_put() then
 * wait_for_completion() on a completion that never fires". The model must show exactly that, and
 * upstream-7.1 (cleanup delegating to move(true), c64a647c84f3) must not.
 */
import { describe, expect, it } from 'vitest';
import { type Design, designs, runScenario, type ScenarioDoc } from '../../index.ts';
import { errname } from '../../model/errno.ts';

const revokeThenClose: ScenarioDoc = {
  format: 'vfio-dmabuf-model/scenario',
  version: 1,
  bounds: { exported: 0 },
  steps: [
    { thread: 'primary0', op: 'export_dmabuf', args: { bar: 0 }, as: 'buf1' },
    { thread: 'primary0', op: 'revoke_dmabuf', args: { dmabuf: 'buf1' } },
    { thread: 'primary0', op: 'close_device_fd' },
  ],
};

describe('evans-2026-rfc-v2: close after VFIO_DEVICE_PCI_DMABUF_REVOKE', () => {
  it('cleanup puts the kref a second time (underflow) in vfio_pci_dma_buf_cleanup', () => {
    const r = runScenario(designs['evans-2026-rfc-v2'] as Design<never>, revokeThenClose);
    expect(r.steps.slice(0, 2).map((s) => errname(s.value))).toEqual(['3', '0']);
    const v = r.violations.find((x) => x.kind === 'refcount-underflow');
    expect(v?.message).toMatch(
      /kref_put\(priv0\.kref\.refcount\) in ____fput > .*vfio_pci_core_close_device > vfio_pci_dma_buf_cleanup > kref_put/,
    );
  });

  it('upstream-7.1 closes cleanly after the same revoke (no REVOKE ioctl there: -ENOTTY)', () => {
    const r = runScenario(designs['upstream-7.1'] as Design<never>, revokeThenClose);
    expect(r.violations).toEqual([]);
    expect(r.blocked).toBeNull();
  });
});
