import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, type LayerRule, violations } from './imports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** The layers of the design (README): each may import only what is below it. */
const RULES: LayerRule[] = [
  // the engine knows nothing of VFIO, of properties, or of how it is driven
  { layer: 'checker/', mayNotImport: ['model/', 'kernel/', 'properties/', 'loader/', 'cli/', 'api.ts', 'index.ts'] },
  // the model knows nothing of properties, of loading files, or of the public API built on it
  { layer: 'model/', mayNotImport: ['properties/', 'loader/', 'cli/', 'api.ts', 'index.ts'] },
  { layer: 'kernel/', mayNotImport: ['properties/', 'loader/', 'cli/', 'api.ts', 'index.ts'] },
  // properties say what holds; rendering and I/O of results are the CLI's
  { layer: 'properties/', mayNotImport: ['cli/', 'api.ts', 'index.ts'] },
];

describe('import graph of the tree', () => {
  const graph = importGraph(ROOT);

  it('reads the whole tree', () => {
    expect(graph.get('loader/load.ts')).toContain('api.ts');
    expect(graph.size).toBeGreaterThan(200);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the layer rules', () => {
    expect(violations(graph, RULES)).toEqual([]);
  });
});

describe('the check itself', () => {
  it('finds a cycle of type-only imports and one through import()', () => {
    expect(cycles(importGraph(`${FIXTURES}/cycle`))).toEqual([
      ['a.ts', 'b.ts'],
      ['c.ts', 'd.ts'],
    ]);
  });

  it('finds a layer broken by a type-only import', () => {
    expect(violations(importGraph(`${FIXTURES}/layers`), RULES)).toEqual(['checker/engine.ts -> model/design.ts']);
  });
});
