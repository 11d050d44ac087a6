/** Extending an XState machine, and the conformance check an object kind's machine passes before any search uses it. */

import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { stateCover } from '../../checker/lifecycle/explore.ts';
import { extendMachine } from '../../checker/lifecycle/extend.ts';
import { compileLifecycle, UncompilableLifecycleError } from '../../checker/lifecycle/index.ts';
import { LifecycleConformanceError, machineKind } from '../../checker/machine-kind.ts';
import { machines } from '../../model/dmabuf/machines/index.ts';

const walk = (c: ReturnType<typeof compileLifecycle>, ...types: string[]) =>
  types.reduce((s, t) => (s < 0 ? s : c.step(s, { type: t })), c.initial);

// built in the tests, not at collection: a mutant that breaks extendMachine then fails a test (a failed collection is not counted as a kill)
describe('extendMachine', () => {
  const ext = () =>
    extendMachine(machines.vma, {
      id: 'slot',
      initial: 'unbound',
      states: { unbound: { on: { BIND: 'empty' } }, populated: { on: { DELETE: 'unmapped' } } },
    });

  it('adds states and events and keeps the base`s transitions', () => {
    const c = compileLifecycle(ext());
    expect(c.name).toBe('slot');
    expect(c.value(c.initial)).toBe('unbound');
    expect(c.value(walk(c, 'BIND', 'FAULT_INSERT', 'ZAP', 'FAULT_INSERT', 'DELETE'))).toBe('unmapped');
    expect(walk(c, 'BIND', 'DELETE')).toBe(-1); // empty was not given DELETE
    expect(c.isFinal(walk(c, 'BIND', 'MUNMAP'))).toBe(true);
  });

  it('leaves the base machine as it was', () => {
    const c = compileLifecycle(machines.vma);
    expect(c.value(c.initial)).toBe('empty');
    expect(walk(c, 'BIND')).toBe(-1);
  });

  it('keeps the base`s guards and actions: the attachment`s unmap still returns to pinned', () => {
    const c = compileLifecycle(extendMachine(machines.attachment, { id: 'att2', states: { pinned: { on: { REVOKE: 'detached' } } } }));
    expect(c.value(walk(c, 'LINKED', 'PIN', 'MAP', 'UNMAP'))).toBe('pinned');
    expect(c.value(walk(c, 'LINKED', 'PIN', 'REVOKE'))).toBe('detached');
  });

  it('an extension the compiler cannot memoize is refused when compiled', () => {
    const timed = extendMachine(machines.vma, { id: 'timed', states: { empty: { after: { 10: 'populated' } } } });
    expect(() => compileLifecycle(timed)).toThrow(UncompilableLifecycleError);
  });
});

describe('machineKind', () => {
  const slot = () => extendMachine(machines.vma, { id: 'slot2', initial: 'unbound', states: { unbound: { on: { BIND: 'empty' } } } });
  const events = ['BIND', 'FAULT_INSERT', 'ZAP', 'MUNMAP'].map((type) => ({ type }));

  it('asks about every state the events reach', () => {
    const c = compileLifecycle(slot());
    const seqs = stateCover(c, events);
    // unbound, empty, populated, unmapped: four states, four events each
    expect(seqs).toHaveLength(16);
    expect(new Set(seqs.map((s) => c.value(walk(c, ...s.slice(0, -1).map((e) => e.type)))))).toEqual(
      new Set(['unbound', 'empty', 'populated', 'unmapped']),
    );
  });

  it('compiles a machine once, whatever declares it', () => {
    const one = slot();
    const a = machineKind('s', { n: 0 }, one, events);
    const b = machineKind('t', { n: 0 }, one, events);
    expect(a.lifecycle).toBe(b.lifecycle);
    expect(a.kind).toBe('s');
  });

  it('refuses a machine whose guard is not a pure function of context and event', () => {
    // a guard with a memory (a counter, a clock): true while the compiler fills the cell (it asks XState
    // whether the event is accepted, then for the step), false when the check asks again
    let calls = 0;
    const flaky = setup({ guards: { firstTime: () => calls++ < 2 } }).createMachine({
      id: 'flaky',
      initial: 'a',
      states: { a: { on: { GO: [{ guard: 'firstTime', target: 'b' }, { target: 'c' }] } }, b: {}, c: {} },
    });
    const thrown = (() => {
      try {
        machineKind('f', {}, flaky, [{ type: 'GO' }]);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(LifecycleConformanceError);
    expect((thrown as Error).message).toMatch(/^object kind f: its compiled lifecycle and XState disagree on value after \{"type":"GO"\}/);
  });

  it('needs the events the model sends', () => {
    expect(() => machineKind('e', {}, slot(), [])).toThrow(/give the events the model sends it/);
  });
});
