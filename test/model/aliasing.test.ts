/**
 * Addresses of mappings (model/dmabuf/upstream/mmap.ts): each mmap lands at its own address, a thread
 * holds several mappings (bound maps), accesses and munmap name an address, and the BAR zap of a
 * revoke reaches every aliasing mapping, which a design zapping one VMA pointer breaks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../loader/scenario-api.ts';
import { DEFAULT_BOUNDS } from '../../model/dmabuf/bounds.ts';
import { dmabufSpace } from '../../model/dmabuf/space.ts';
import { MMAP_BASE } from '../../model/dmabuf/upstream/mmap.ts';
import { errname } from '../../model/errno.ts';
import { replayFile } from '../../properties/replay.ts';
import { builtin, checkOne } from './one-property.ts';

const SCENARIO = 'examples/scenarios/aliasing-bar-mmaps.json';
const BROKEN = 'broken-bar-zap-one-vma';
const SAVED = `counterexamples/${BROKEN}/no-mapping-survives-revoke.json`;

function noMappingSurvivesRevoke(name: string) {
  const { bounds, focus } = builtin(BROKEN);
  return checkOne(
    name,
    'no-mapping-survives-revoke',
    Object.entries(bounds).map(([k, v]) => `${k}=${v}`),
    focus,
  );
}

function mmapThread(maps: number) {
  const prelude = dmabufSpace({ ...DEFAULT_BOUNDS, mmappers: 1, maps }).roles.find((r) => r.role === 'mmap')?.prelude ?? [];
  return (typeof prelude === 'function' ? prelude(0) : prelude).map((c) => `${c.op}${c.args.maps ? `(maps=${c.args.maps})` : ''}`);
}

describe('mapping addresses', () => {
  it('two mmaps of BAR 0 on one thread are two VMAs at two addresses, each reached by its address', () => {
    const r = runScenario(builtin('upstream-7.1'), SCENARIO);
    expect(r.violations).toEqual([]);
    expect(r.steps.map((s) => errname(s.value))).toEqual([
      '0', // bar_mmap as first: [65536, 73728)
      '0', // bar_mmap as second (maps=2: the thread may hold two): [73728, 81920)
      '-EINVAL', // a third while it holds two
      '0', // cpu_access first: faults it in
      '0', // cpu_access second: faults the alias in
      '0', // an address inside first: its PTE is there
      '0', // memory disable: zaps both
      'VM_FAULT_SIGBUS', // first faults again, memory disabled
      'VM_FAULT_SIGBUS', // and so does second
      '0', // memory enable
      '8', // read() into second, by its address
      '0', // munmap of an address inside first: all of first goes
      '-EFAULT', // first is gone
      '0', // the thread's most recent mapping, second
      '0', // munmap where nothing is mapped any more: 0, as the kernel
      '0', // munmap of the most recent: second
      '-EINVAL', // the thread holds none
      '0',
    ]);
    const created = r.exec.steps.flatMap((s) => s.changes).filter((c) => c.field === 'vm_start');
    expect(created.map((c) => [c.obj, c.to])).toEqual([
      ['vma0', MMAP_BASE],
      ['vma1', MMAP_BASE + 8192],
    ]);
  });

  it('maps=1 keeps the mmap thread it always had; maps=2 maps twice (holding both), touches each, munmaps both', () => {
    expect(mmapThread(1)).toEqual(['bar_mmap', 'cpu_access', 'munmap']);
    expect(mmapThread(2)).toEqual(['bar_mmap(maps=2)', 'cpu_access', 'bar_mmap(maps=2)', 'cpu_access', 'munmap', 'munmap']);
  });

  it('upstream-7.1 zaps every aliasing BAR mapping: no-mapping-survives-revoke passes with two of them', () => {
    expect(noMappingSurvivesRevoke('upstream-7.1')?.verdict).toBe('pass');
  });

  it(`${BROKEN} zaps one VMA: the other mapping of the BAR survives the revoke`, () => {
    const r = noMappingSurvivesRevoke(BROKEN);
    expect(r?.verdict).toBe('fail');
    expect(r?.counterexample?.violation.message).toBe(
      `vfio_pci_zap_bars(vdev0) returned but CPU PTEs of vma0 (BAR0 at ${MMAP_BASE}) still map it`,
    );
    const run = runScenario(builtin(BROKEN), SCENARIO);
    expect(run.steps[6]?.violations.map((v) => v.kind)).toEqual(['mapping-survives-revoke']);
  });

  it('a word an argument takes as itself is no handle name: bar_rw into ordinary memory ("anon") copies', () => {
    const r = runScenario(builtin('upstream-7.1'), {
      format: 'vfio-dmabuf-model/scenario',
      version: 1,
      description: 'read() into ordinary memory',
      bounds: { exported: 0 },
      steps: [{ thread: 'primary0', op: 'bar_rw', args: { buf: 'anon' } }],
    });
    expect(r.steps.map((s) => s.value)).toEqual([8, 0]);
  });

  it('its saved counterexample replays', async () => {
    const { outcome, result } = await replayFile(readFileSync(SAVED, 'utf8'));
    expect(outcome).toBe('reproduced');
    expect(result.sameTrace).toBe(true);
  });
});
