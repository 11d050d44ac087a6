/**
 * upstream-7.1 passes every property at bounds the matrix does not use, so a
 * reviewer who turns one on gets no false report. Each case is a scenario that
 * once failed here because the model, not the kernel, was wrong:
 * - iommufd: a revoke between dma_buf_dynamic_attach() and the phys lookup
 *   (iopt_dmabuf_revoked() is already true, the callback does nothing), and an
 *   iommufd attachment left "mapped" after its callback dropped phys;
 * - unbind: vfio_unregister_group_dev() of a device that is still open, which
 *   the kernel allows (it waits for the last file) and the device machine refused.
 */
import { describe, expect, it } from 'vitest';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { dmabufProperties } from '../../properties/catalog.ts';
import { checkDesign } from '../../properties/check.ts';

const CASES: [string[], string[]][] = [
  [['iommufd=1', 'sync=0'], ['config_write_command']],
  [['iommufd=1', 'sync=0'], ['close_device_fd']],
  [['unbind=1'], ['close_device_fd']],
  // a close() racing the export that just installed the fd: release frees priv, nothing after fd_install touches it
  [['exported=0', 'exports=1', 'fdclosers=1'], ['export_dmabuf']],
  // dup() and close() of any fd: each file released once, at the last close of all its fds
  [
    ['fds=1', 'sync=0', 'ops=2'],
    ['dup_fd', 'close_fd', 'close_dmabuf_fd', 'close_device_fd'],
  ],
  // the group path: group and container fds closed before, or after, the device fd, an importer running
  [
    ['vfio_group=1', 'ops=2'],
    ['close_fd', 'close_device_fd'],
  ],
];

describe('upstream-7.1 at other bounds', () => {
  for (const [pairs, focus] of CASES)
    it(`passes every property exhaustively at ${pairs.join(' ')}, focus ${focus.join(',')}`, () => {
      const design = findBuiltin('upstream-7.1');
      if (!design) throw new Error('no upstream-7.1');
      const { bounds } = dmabufDomain.parseBounds(pairs);
      const results = checkDesign({
        design,
        domain: dmabufDomain,
        properties: dmabufProperties,
        catalog: dmabufProperties,
        modes: ['exhaustive'],
        bounds,
        focus,
      });
      const failed = results.filter((r) => r.verdict !== 'pass').map((r) => `${r.property}: ${r.counterexample?.violation.message}`);
      expect(failed).toEqual([]);
      expect(results[0]?.coverage?.complete).toBe(true);
    });
});
