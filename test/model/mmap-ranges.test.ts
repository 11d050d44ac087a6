/**
 * The range checks of the mmap and export paths (vfio_pci_core_mmap, dma_buf_mmap_internal,
 * vfio_pci_core_feature_dma_buf's validate_dmabuf_input and fill_phys_vec), devices with
 * several BARs, and a design without the BAR mmap range check that error-contract catches.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../loader/scenario-api.ts';
import { errname } from '../../model/errno.ts';
import { replayFile } from '../../properties/replay.ts';
import { builtin, checkOne } from './one-property.ts';

const SCENARIO = 'examples/scenarios/mmap-and-export-ranges.json';
const BROKEN = 'broken-bar-mmap-no-range-check';

function errorContract(name: string) {
  return checkOne(
    name,
    'error-contract',
    Object.entries(builtin(BROKEN).bounds).map(([k, v]) => `${k}=${v}`),
    builtin(BROKEN).focus,
  );
}

describe('mmap and export ranges', () => {
  it('upstream-7.1 answers each range as the kernel does, on a device with two BARs', () => {
    const r = runScenario(builtin('upstream-7.1'), SCENARIO);
    expect(r.violations).toEqual([]);
    expect(r.steps.map((s) => errname(s.value))).toEqual([
      '-EINVAL', // bar_mmap: pgoff 1 + 2 pages past the 2-page BAR
      '-EINVAL', // bar_mmap of BAR 2: not implemented (bars=2), !bar_mmap_supported
      '0', // pgoff 1, 1 page
      '0', // BAR 1
      '-EINVAL', // export: the second 8 KiB range ends past the BAR (fill_phys_vec)
      '-EINVAL', // export: unaligned offset (validate_dmabuf_input)
      '-EINVAL', // export: empty range
      '-ENODEV', // export of BAR 2: vfio_pci_core_setup_barmap fails
      '4', // two 4 KiB ranges
      '5', // half of BAR 1
      '-EINVAL', // dmabuf_mmap: 2 pages of a 1-page buffer (and 7.1 has no .mmap)
      '-EINVAL', // dmabuf_mmap: no .mmap in 7.1
      '-EOPNOTSUPP', // iommufd: nr_ranges != 1
      '0',
      '0',
      '0',
    ]);
  });

  it('upstream-7.1 passes error-contract where every mmapper first maps past its BAR', () => {
    expect(errorContract('upstream-7.1')?.verdict).toBe('pass');
  });

  it(`${BROKEN} maps past the end of the BAR: error-contract`, () => {
    const r = errorContract(BROKEN);
    expect(r?.verdict).toBe('fail');
    expect(r?.counterexample?.violation.message).toMatch(
      /^vfio_pci_core_mmap\(.*"pgoff":2,"pages":1\}\) returned 0, the kernel returns -EINVAL/,
    );
  });

  it('its saved counterexample replays', async () => {
    const { outcome } = await replayFile(readFileSync(`counterexamples/${BROKEN}/error-contract.json`, 'utf8'));
    expect(outcome).toBe('reproduced');
  });
});
