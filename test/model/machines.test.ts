import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLifecycle, conformanceCheck } from '../../checker/lifecycle/index.ts';
import { machines } from '../../model/dmabuf/machines/index.ts';

/** Every event type a machine knows, with the payloads the model sends. */
const EVENTS: Record<keyof typeof machines, { type: string; [k: string]: unknown }[]> = {
  device: [
    { type: 'OPEN' },
    { type: 'CLOSE' },
    { type: 'SET_MEM', on: true },
    { type: 'SET_MEM', on: false },
    { type: 'SET_D3', on: true },
    { type: 'SET_D3', on: false },
    { type: 'PM_ENGAGE', on: true },
    { type: 'PM_ENGAGE', on: false },
    { type: 'RESET_BEGIN' },
    { type: 'RESET_END' },
    { type: 'UNREGISTER' },
    { type: 'UNREGISTERED' },
  ],
  dmabuf: ['EXPORT', 'UNLINK', 'REVOKE', 'REVOKE_PERM', 'UNREVOKE', 'ORPHAN', 'LAST_PUT', 'RELEASE', 'ABORT']
    .map((type) => ({ type }))
    .concat([{ type: 'LINK', revoked: true } as never, { type: 'LINK', revoked: false } as never]),
  attachment: ['LINKED', 'REJECTED', 'PIN', 'UNPIN', 'MAP', 'INVALIDATE', 'UNMAP', 'DETACH'].map((type) => ({ type })),
  iommufd: ['PHYS', 'FAIL', 'FILL', 'REVOKE', 'RELEASE'].map((type) => ({ type })),
  vma: ['FAULT_INSERT', 'ZAP', 'MUNMAP'].map((type) => ({ type })),
};

describe('lifecycle machines: compiled tables agree with XState transition()', () => {
  for (const [name, machine] of Object.entries(machines)) {
    it(`${name}: random event sequences`, () => {
      const events = EVENTS[name as keyof typeof machines];
      fc.assert(
        fc.property(fc.array(fc.array(fc.constantFrom(...events), { maxLength: 25 }), { minLength: 1, maxLength: 20 }), (seqs) => {
          const compiled = compileLifecycle(machine);
          expect(conformanceCheck(machine, compiled, seqs as never)).toBeNull();
        }),
        { numRuns: 60, seed: 7 },
      );
    });
  }

  it('the dma-buf machine rejects what the kernel must never do', () => {
    const c = compileLifecycle(machines.dmabuf);
    const walk = (...types: string[]) =>
      types.reduce(
        (s, t) => (s < 0 ? s : c.step(s, t === 'LINK' ? ({ type: 'LINK', revoked: false } as never) : ({ type: t } as never))),
        c.initial,
      );
    expect(walk('EXPORT', 'LINK', 'REVOKE', 'ORPHAN', 'UNREVOKE')).toBe(-1); // un-revoking an orphan
    expect(walk('EXPORT', 'LINK', 'LAST_PUT', 'RELEASE', 'REVOKE')).toBe(-1); // revoking a freed buffer
    expect(walk('EXPORT', 'LINK', 'LAST_PUT', 'ORPHAN')).toBe(-1); // orphaning a dying buffer
    expect(c.value(walk('EXPORT', 'LINK', 'REVOKE', 'ORPHAN', 'LAST_PUT', 'RELEASE'))).toBe('freed');
  });
});

describe('object kinds a variant adds: compiled tables agree with XState transition()', () => {
  it('kvm_memslot (examples/variants/kvm-dmabuf-memslot.ts): random event sequences', async () => {
    const api = await import('../../index.ts');
    const { default: kvm } = await import('../../examples/variants/kvm-dmabuf-memslot.ts');
    const kinds = Object.values(kvm(api).kinds ?? {});
    expect(kinds.map((k) => k.kind)).toEqual(['kvm_memslot']);
    for (const kind of kinds)
      fc.assert(
        fc.property(fc.array(fc.array(fc.constantFrom(...kind.events), { maxLength: 25 }), { minLength: 1, maxLength: 20 }), (seqs) => {
          expect(conformanceCheck(kind.machine, compileLifecycle(kind.machine), seqs)).toBeNull();
        }),
        { numRuns: 60, seed: 7 },
      );
  });
});
