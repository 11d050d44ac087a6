import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, ioViolations, type LayerRule, nodeImports, violations } from './imports.ts';

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

/**
 * Files, processes and threads are the command line's and the loader's (cli/, loader/): the engine, the
 * model and the properties compute, so a script or a test can drive them with no I/O behind its back.
 */
const IO = {
  layers: ['checker/', 'model/', 'kernel/', 'properties/'],
  modules: ['node:fs', 'node:fs/promises', 'node:child_process', 'node:worker_threads'],
};
/** the compiled engine's loader reads model source from disk and keeps its compile cache there */
const IO_ALLOWED = ['checker/compiled/hook.ts', 'checker/compiled/load.ts', 'checker/compiled/model-files.ts'];

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

  it('keeps file, process and thread I/O out of the engine, the model and the properties', () => {
    const imports = nodeImports(ROOT);
    expect([...imports.keys()]).toContain('cli/shards.ts');
    expect(ioViolations(imports, IO.layers, IO.modules, IO_ALLOWED)).toEqual([]);
  });
});

describe('the check itself', () => {
  it('finds a cycle of type-only imports and one through import()', () => {
    expect(cycles(importGraph(`${FIXTURES}/cycle`))).toEqual([
      ['a.ts', 'b.ts'],
      ['c.ts', 'd.ts'],
    ]);
  });

  it('finds I/O in a layer that computes, and none in a file it allows', () => {
    const imports = nodeImports(`${FIXTURES}/layers`);
    expect(ioViolations(imports, IO.layers, IO.modules, [])).toEqual(['properties/writes.ts -> node:fs']);
    expect(ioViolations(imports, IO.layers, IO.modules, ['properties/writes.ts'])).toEqual([]);
  });

  it('finds a layer broken by a type-only import', () => {
    expect(violations(importGraph(`${FIXTURES}/layers`), RULES)).toEqual(['checker/engine.ts -> model/design.ts']);
  });
});
