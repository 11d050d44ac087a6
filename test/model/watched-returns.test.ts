/** Watched returns belong to each System: a property's `returns` reach the monitors of the systems built for it, and only those. */
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../checker/monitor.ts';
import { runScenario } from '../../checker/run.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { propertiesOf } from '../../properties/catalog.ts';
import { systemOf } from '../../properties/system.ts';

const upstream = findBuiltin('upstream-7.1')!;
const close: Scenario = { setup: { exported: 1 }, threads: [{ name: 'fdclose0', ops: [{ op: 'close_dmabuf_fd', args: { dmabuf: 0 } }] }] };
const first = { choose: (runnable: readonly number[]) => runnable[0] as number };

function returnsSeen(watched: ReadonlySet<string>): string[] {
  const seen: string[] = [];
  const spy: Monitor = {
    name: 'spy',
    onEvent(ev) {
      if (ev.type === 'return') seen.push(ev.fn as string);
      return null;
    },
  };
  runScenario(dmabufDomain.system(upstream, watched), close, first, { monitors: [spy] });
  return seen;
}

describe('watched returns', () => {
  it('are reported by the system built with them, and not by another system of the same design', () => {
    expect(returnsSeen(new Set(['dma_buf_release']))).toEqual(['dma_buf_release']);
    expect(returnsSeen(new Set())).toEqual([]);
    expect(returnsSeen(new Set(['dma_buf_release']))).toEqual(['dma_buf_release']);
  });

  it('give one system per design and set, whatever the order the set was built in', () => {
    const a = dmabufDomain.system(upstream, new Set(['dma_buf_release', 'vfio_pci_dma_buf_move']));
    expect(dmabufDomain.system(upstream, new Set(['vfio_pci_dma_buf_move', 'dma_buf_release']))).toBe(a);
    expect(dmabufDomain.system(upstream, new Set(['dma_buf_release']))).not.toBe(a);
  });

  it("are, for a checked design, every return its domain's catalog declares", () => {
    const declared = new Set(propertiesOf('dmabuf').flatMap((p) => p.returns ?? []));
    expect(declared.has('vfio_pci_dma_buf_move')).toBe(true);
    expect(systemOf(dmabufDomain, upstream)).toBe(dmabufDomain.system(upstream, declared));
  });
});
