/** defineVariant: what a variant inherits from its base and what it may add (docs/variants.md). */
import { expect, it } from 'vitest';
import type { Design } from '../../model/design.ts';
import { defineVariant } from '../../model/design.ts';
import { findBuiltin } from '../../model/variants/index.ts';

const base = () => {
  const b = findBuiltin('upstream-7.1') as Design;
  return defineVariant(b, { name: 'b', summary: '', source: '', differences: [], bounds: { exported: 2, sync: 1 }, focus: ['flr'] });
};

it('merges the base bounds key by key under its own, and inherits focus unless it gives one', () => {
  const v = defineVariant(base(), { name: 'v', summary: '', source: '', differences: [], bounds: { sync: 2 } });
  expect(v.bounds).toEqual({ exported: 2, sync: 2 });
  expect(v.focus).toEqual(['flr']);
  expect(defineVariant(base(), { name: 'w', summary: '', source: '', differences: [], focus: [] }).focus).toEqual([]);
});

it('adds functions and operations, and refuses to add what the base has', () => {
  function* extra_fn() {
    return 0;
  }
  const op = {
    actor: 'primary',
    signature: { help: 'x', args: {}, takes: [], creates: [] },
    *run() {
      return 0;
    },
  };
  const v = defineVariant(base(), {
    name: 'v',
    summary: '',
    source: '',
    differences: [],
    add: { functions: { extra_fn }, operations: { extra: op } },
  });
  expect(v.added).toEqual(['extra_fn']);
  expect(Object.keys(v.operations ?? {})).toEqual(['extra']);
  expect(() =>
    defineVariant(base(), { name: 'v', summary: '', source: '', differences: [], add: { functions: { fput: extra_fn } } }),
  ).toThrow(/adds fput, which design b already has/);
  expect(() => defineVariant(v, { name: 'u', summary: '', source: '', differences: [], add: { operations: { extra: op } } })).toThrow(
    /adds operation extra/,
  );
});
