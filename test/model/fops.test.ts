/** f_op tables belong to each System: a design's files release through that design's functions. */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../checker/run.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { defineVariant } from '../../model/design.ts';
import type { K } from '../../model/dmabuf/functions.ts';
import { domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { systemOf } from '../../properties/system.ts';

const upstream = findBuiltin('upstream-7.1')!;
// two designs with one name, as a variant module named like another gives
const plain = defineVariant(upstream, { name: 'same-name', summary: 's', source: 's', differences: [] });
const marked = defineVariant(upstream, {
  name: 'same-name',
  summary: 's',
  source: 's',
  differences: [],
  replace: {
    *dma_buf_release(k: K) {
      k.ctx.fail('marked-release', 'the marked design released the dma-buf');
    },
  },
});

// the last fput of the dma-buf's file runs its f_op->release: dma_buf_release of the file's design
const close: Scenario = { setup: { exported: 1 }, threads: [{ name: 'fdclose0', ops: [{ op: 'close_dmabuf_fd', args: { dmabuf: 0 } }] }] };
const first = { choose: (runnable: readonly number[]) => runnable[0] as number };
const violationOf = (design: typeof upstream) => runScenario(systemOf(domainOf('dmabuf'), design), close, first).violation?.kind ?? null;

describe('f_op tables', () => {
  it("run the release of the file's own design, whichever design of that name came first", () => {
    expect(violationOf(plain)).toBe(null);
    expect(violationOf(marked)).toBe('marked-release');
    expect(violationOf(plain)).toBe(null);
  });
});
