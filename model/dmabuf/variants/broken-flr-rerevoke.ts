/**
 * broken-flr-rerevoke: the FLR paths of Xu Yilun's 2025 RFC copy of the
 * series, which called vfio_pci_dma_buf_move(vdev, true) after the reset as
 * well, where upstream un-revokes (kernel-upstream.md §10, last note).
 */

import type { Ref } from '../../../checker/kind.ts';
import { defineVariant } from '../../design.ts';
import type { K } from '../functions.ts';
import { memory_lock } from '../objects.ts';
import { upstream71 } from '../upstream/index.ts';

export function* flr_revoke_after_reset(k: K, vdev: Ref<'vdev'>) {
  yield* k.vfio_pci_zap_and_down_write_memory_lock(vdev);
  yield* k.vfio_pci_dma_buf_move(vdev, true);
  yield* k.pci_try_reset_function(vdev);
  if (yield* k.__vfio_pci_memory_enabled(vdev)) yield* k.vfio_pci_dma_buf_move(vdev, true); // upstream: false
  yield* k.up_write(memory_lock(vdev));
  return 0;
}

export default defineVariant(upstream71, {
  name: 'broken-flr-rerevoke',
  summary: 'FLR through config space revokes again after the reset instead of un-revoking: buffers stay revoked',
  source: 'Xu Yilun 2025 RFC copy of the series (PATCH pre-image quoted in kernel-upstream.md §10)',
  differences: [
    'vfio_exp_config_write / vfio_af_config_write FLR: move(vdev, true) after pci_try_reset_function() where upstream calls move(vdev, false)',
  ],
  replace: { vfio_exp_config_write_flr: flr_revoke_after_reset },
  focus: ['flr'],
});
