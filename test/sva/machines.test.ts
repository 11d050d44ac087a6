import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, EventObject } from 'xstate';
import type { CompiledLifecycle } from '../../checker/lifecycle/compile.ts';
import { conformanceCheck } from '../../checker/lifecycle/conformance.ts';
import { svaLifecycles, svaMachines } from '../../model/sva/machines.ts';

/** Every event type each machine knows, plus one none of them does. */
const EVENTS: Record<keyof typeof svaMachines, readonly string[]> = {
  vfio_mm: ['BIND_GROUP', 'UNBIND_GROUP', 'UNBIND', 'LIST_ADD', 'LIST_DEL', 'FREE'],
  mm: ['LAST_USER', 'EXIT_MMAP', 'TEARDOWN', 'FREE'],
  group: ['ATTACH', 'DETACH', 'SVA_INIT', 'SVA_SHUTDOWN'],
  pasid_binding: ['EXIT_BEGIN', 'EXIT_END', 'ABORT', 'DETACH'],
};

function sequences(types: readonly string[], seed: number): EventObject[][] {
  const ev = fc.constantFrom(...types, 'BOGUS').map((type) => ({ type }));
  return fc.sample(fc.array(ev, { maxLength: 12 }), { numRuns: 400, seed });
}

describe('SVA lifecycle machines', () => {
  for (const name of Object.keys(svaMachines) as (keyof typeof svaMachines)[]) {
    it(`${name}: the compiled table agrees with XState transition() on random event sequences`, () => {
      const machine = svaMachines[name] as AnyStateMachine;
      const compiled = svaLifecycles[name] as unknown as CompiledLifecycle<EventObject>;
      expect(conformanceCheck(machine, compiled, sequences(EVENTS[name], 7))).toBeNull();
      // the sequences reached more than the initial state
      expect(compiled.stats().states).toBeGreaterThan(2);
    });
  }

  it('vfio_mm: a bond is freed once; every route to freed is one the seed takes', () => {
    const m = svaLifecycles.vfio_mm;
    const run = (types: string[]) => types.reduce((s, type) => (s < 0 ? s : m.step(s, { type } as never)), m.initial);
    // bind: bound to each group, listed; unbind ioctl: unbind, list_del, kfree
    expect(m.value(run(['BIND_GROUP', 'LIST_ADD', 'UNBIND', 'LIST_DEL', 'FREE']))).toBe('freed');
    // mm_exit: list_del, kfree (the SVA core detaches the bonds itself)
    expect(m.value(run(['BIND_GROUP', 'LIST_ADD', 'LIST_DEL', 'FREE']))).toBe('freed');
    // free_all_mm: kfree off the list
    expect(m.value(run(['BIND_GROUP', 'LIST_ADD', 'FREE']))).toBe('freed');
    // bind error paths: out_unbind, and out_delete after list_add
    expect(m.value(run(['UNBIND', 'FREE']))).toBe('freed');
    expect(m.value(run(['LIST_ADD', 'LIST_DEL', 'UNBIND', 'FREE']))).toBe('freed');
    // nothing after freed
    expect(run(['LIST_ADD', 'FREE', 'FREE'])).toBe(-1);
    expect(run(['LIST_ADD', 'FREE', 'LIST_DEL'])).toBe(-1);
  });

  it('pasid_binding: unbind cannot detach a bond while its mm_exit runs', () => {
    const m = svaLifecycles.pasid_binding;
    const exiting = m.step(m.initial, { type: 'EXIT_BEGIN' });
    expect(m.step(exiting, { type: 'DETACH' })).toBe(-1);
    expect(m.value(m.step(m.step(exiting, { type: 'EXIT_END' }), { type: 'DETACH' }))).toBe('detached');
  });

  it('mm: no free while the address space is live or exiting', () => {
    const m = svaLifecycles.mm;
    expect(m.step(m.initial, { type: 'FREE' })).toBe(-1);
    const exiting = m.step(m.initial, { type: 'LAST_USER' });
    expect(m.value(exiting)).toBe('exiting.pending');
    expect(m.step(exiting, { type: 'FREE' })).toBe(-1);
  });
});
