/**
 * A design's added operations as commands of the generated space
 * (model/added-commands.ts, model/domains.ts domainFor): each argument takes
 * every value its declaration allows, an argument no search can choose is left
 * at its default, and an operation with such an argument and no default is not
 * generated. A design that adds nothing searches exactly its domain's space.
 */
import { describe, expect, it } from 'vitest';
import type { ArgSpec } from '../../checker/signature.ts';
import { addedCommands } from '../../model/added-commands.ts';
import { type AddedOperation, type Design, defineVariant } from '../../model/design.ts';
import { domainFor, domainOf } from '../../model/domains.ts';
import { findBuiltin } from '../../model/variants/index.ts';

const op = (actor: string, args: Record<string, ArgSpec>): AddedOperation => ({
  actor,
  signature: { help: 'h', args, takes: [], creates: [] },
  *run() {
    return 0;
  },
});

const variant = (base: string, operations: Record<string, AddedOperation>): Design<object> =>
  defineVariant(findBuiltin(base) as Design<object>, { name: 'v', summary: '', source: '', differences: [], add: { operations } });

const devices = { text: 'devices-1', of: (setup: Record<string, unknown>) => (setup.devices as number) - 1 };

describe('added operations in the generated space', () => {
  it('enumerates integers (setup limits resolved), booleans and names; leaves a defaulted handle at its default; drops a required one', () => {
    const d = variant('upstream-7.1', {
      a: op('primary', {
        dev: { help: '', accepts: [{ type: 'integer', min: 0, max: devices }] },
        on: { help: '', accepts: [{ type: 'boolean' }], default: false },
        how: { help: '', accepts: [{ type: 'name', values: ['x', 'y'] }] },
        buf: { help: '', accepts: [{ type: 'handle', handle: 'dma-buf' }], default: 0 },
      }),
      b: op('primary', {}),
      c: op('primary', { buf: { help: '', accepts: [{ type: 'handle', handle: 'dma-buf' }] } }),
      d: op('mmap', {}),
    });
    expect(addedCommands(d, { devices: 2 })).toEqual({
      primary: [{ op: 'a', args: { dev: [0, 1], on: [false, true], how: ['x', 'y'] } }, { op: 'b' }],
      mmap: [{ op: 'd' }],
    });
  });

  it('dma-buf: added primary commands join the primary role, under --focus too; other roles keep their fixed operations', () => {
    const d = variant('upstream-7.1', { extra: op('primary', {}), later: op('mmap', {}) });
    const dom = domainFor(d);
    const bounds = { ...dom.defaultBounds, mmappers: 1 };
    const primary = (focus: string[]) =>
      dom
        .space(bounds, focus)
        .roles.find((r) => r.role === 'primary')
        ?.commands.map((c) => c.op);
    expect(primary([])).toContain('extra');
    expect(primary(['extra'])).toEqual(['extra']);
    expect(primary(['flr'])).toEqual(['flr']);
    expect(dom.space(bounds).roles.find((r) => r.role === 'mmap')?.commands).toEqual([]);
    expect(dom.signatures.actors.find((a) => a.role === 'primary')?.ops.filter((o) => o === 'extra')).toEqual(['extra']);
  });

  it('sva: added user commands join the owner threads’ commands; --focus restricts them', () => {
    const d = variant('sva-2018-v2', { poke: op('user', { pid: { help: '', accepts: [{ type: 'name', values: ['self'] }] } }) });
    const dom = domainFor(d);
    const user = (focus: string[]) => dom.space(dom.defaultBounds, focus).roles.find((r) => r.role === 'user')?.commands;
    expect(user([])?.at(-1)).toEqual({ op: 'poke', args: { pid: ['self'] } });
    expect(user(['poke'])).toEqual([{ op: 'poke', args: { pid: ['self'] } }]);
  });

  it('a design that adds nothing gets its domain itself; an operation for no actor is refused', () => {
    const up = findBuiltin('upstream-7.1') as Design;
    expect(domainFor(up)).toBe(domainOf('dmabuf'));
    expect(() => domainFor(variant('upstream-7.1', { x: op('nosuch', {}) }))).toThrow(/adds x to actor nosuch, which does not exist/);
  });
});
