/** The scenario API of index.ts (runScenario, checkScenario) and the examples under examples/scenarios/. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Execution } from '../../checker/execution.ts';
import {
  CoverageRecorder,
  checkScenario,
  coverageReport,
  type Design,
  designs,
  runScenario,
  type ScenarioDoc,
  ScenarioFileError,
} from '../../index.ts';
import { dmabufDomain } from '../../model/dmabuf/domain.ts';
import { errname } from '../../model/errno.ts';
import { parseScenario } from '../../properties/scenario-file.ts';
import { systemOf } from '../../properties/system.ts';

const DIR = join(import.meta.dirname, '..', '..', 'examples', 'scenarios');
const upstream = designs['upstream-7.1'] as Design<never>;
const evans = designs['evans-2026-rfc-v2'] as Design<never>;

const twoExports: ScenarioDoc = {
  format: 'vfio-dmabuf-model/scenario',
  version: 1,
  bounds: { exported: 0 },
  steps: [
    { thread: 'primary0', op: 'export_dmabuf', as: 'a' },
    { thread: 'primary1', op: 'export_dmabuf', as: 'b' },
    { thread: 'fdclose0', op: 'close_dmabuf_fd', args: { dmabuf: 'b' } },
  ],
};

describe('runScenario', () => {
  it('every example runs to its end on upstream-7.1 with no violation', () => {
    // these use what their variant adds (test/cli/scenario-outside.test.ts, test/model/added-actor-kind.test.ts run the pairs)
    const needVariant = ['revoke-all.json', 'kvm-memslot-revoke.json'];
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && !needVariant.includes(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const r = runScenario(upstream, join(DIR, f));
      expect(r.blocked, f).toBeNull();
      expect(r.violations, f).toEqual([]);
      expect(r.steps.every((s) => 'value' in s)).toBe(true);
    }
  });

  it('returns each step, its value and the violations', () => {
    const r = runScenario(evans, join(DIR, 'export-mmap-revoke.json'));
    expect(r.steps.map((s) => errname(s.value))).toEqual(['3', '0', '0', '0', 'VM_FAULT_SIGBUS', '-EBADFD', '0', '0', '0']);
  });

  it('takes a document, and a name stands for the object its own export created', () => {
    const r = runScenario(upstream, twoExports);
    // b is the second dma-buf (fd 4): closing it leaves a's fd 3
    expect(r.steps.map((s) => errname(s.value))).toEqual(['3', '4', '0', '0']);
    expect(r.violations).toEqual([]);
  });

  it('throws a ScenarioFileError for a scenario the model refuses', () => {
    const bad = { ...twoExports, steps: [{ thread: 'primary0', op: 'close_dmabuf_fd', args: { dmabuf: 'zz' } }] };
    expect(() => runScenario(upstream, bad)).toThrow(ScenarioFileError);
    expect(() => runScenario(upstream, bad)).toThrow(/steps\[0\]\.args\.dmabuf: no operation of the scenario names a dma-buf "zz"/);
  });
});

describe('a name is bound as its export returns, whichever export ran first', () => {
  it('primary1 exporting first makes b dma-buf 0, and closing b closes that one', () => {
    const loaded = parseScenario(JSON.stringify(twoExports), dmabufDomain, upstream, 's');
    const exec = new Execution(systemOf(dmabufDomain, upstream), loaded.scenario);
    expect(exec.threadNames).toEqual(['primary0', 'primary1', 'fdclose0', 'exit0']);
    const finish = (i: number) => {
      while (!exec.position(i).done && exec.runnable().includes(i)) exec.step(i);
    };
    finish(1);
    finish(0);
    expect(exec.world.peek('handle.b', 'obj')).toBe('priv0');
    expect(exec.world.peek('handle.a', 'obj')).toBe('priv1');
    finish(2);
    expect(exec.world.peek('proc.primary', 'fds')).toEqual(['vdev0.file', 'priv1']);
  });
});

describe('checkScenario', () => {
  it('explores every interleaving: the two exports race for the first index, and a name follows its own export', () => {
    const results = checkScenario(upstream, twoExports, { modes: ['exhaustive'] });
    expect(results.every((r) => r.verdict === 'pass')).toBe(true);
    expect(results[0]?.executions).toBeGreaterThan(1);
  });

  it('finds what the file order hides: a fault racing the revoke on evans-2026-rfc-v2', () => {
    const results = checkScenario(evans, join(DIR, 'export-mmap-revoke.json'), {
      modes: ['exhaustive'],
      properties: ['no-mapping-survives-revoke'],
    });
    expect(results.map((r) => [r.property, r.verdict, r.counterexample?.violation.kind])).toEqual([
      ['no-mapping-survives-revoke', 'fail', 'mapping-survives-revoke'],
    ]);
  });

  it('counts coverage: the fault that races the revoke ran inside a raced window', () => {
    const rec = new CoverageRecorder();
    checkScenario(evans, join(DIR, 'export-mmap-revoke.json'), { modes: ['exhaustive'], coverage: { exhaustive: rec } });
    const c = coverageReport(evans, 'exhaustive', rec);
    const fault = c.functions.find((f) => f.name === 'vfio_pci_dma_buf_mmap_fault');
    expect(fault?.replaced).toBe(true);
    expect(fault?.raced).toBeGreaterThan(0);
    expect(c.functions[0]?.replaced).toBe(true);
  });

  it('refuses an unknown property', () => {
    expect(() => checkScenario(upstream, twoExports, { properties: ['nope'] })).toThrow(/unknown property "nope"/);
  });
});
