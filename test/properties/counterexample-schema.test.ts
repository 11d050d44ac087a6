/**
 * docs/schemas/counterexample-v{1,2}.schema.json describe the files the tool
 * writes and reads: every corpus file (version 1) and a file check would save
 * today (version 2) validate; files the parser refuses for their shape do not.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { makeCounterexample, parseCounterexample } from '../../checker/counterexample.ts';
import { corpusFiles } from '../../cli/matrix-files.ts';
import { designDigest } from '../../model/design-digest.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { replayFile } from '../../properties/replay.ts';

const ajv = new Ajv({ strict: true, allErrors: true });
const schema = (v: number) => JSON.parse(readFileSync(`docs/schemas/counterexample-v${v}.schema.json`, 'utf8'));
const v1 = ajv.compile(schema(1));
const v2 = ajv.compile(schema(2));

async function version2(): Promise<Record<string, unknown>> {
  const [first] = corpusFiles('.');
  const { cx, result } = await replayFile(readFileSync(first as string, 'utf8'));
  const design = findBuiltin(cx.design.name);
  if (!design) throw new Error('no design');
  const saved = makeCounterexample({
    design: { name: design.name, digest: designDigest(design) },
    property: cx.property,
    found: cx.found,
    exec: result.exec,
  });
  return JSON.parse(JSON.stringify(saved));
}

describe('counterexample schemas', () => {
  it('every corpus file is a valid version-1 file', () => {
    const files = corpusFiles('.');
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const o = JSON.parse(readFileSync(f, 'utf8'));
      expect(v1(o), `${f}: ${ajv.errorsText(v1.errors)}`).toBe(true);
      expect(v2(o)).toBe(false);
    }
  });

  it('a file saved today is a valid version-2 file, also with a module', async () => {
    const o = await version2();
    expect(v2(o), ajv.errorsText(v2.errors)).toBe(true);
    expect(v1(o)).toBe(false);
    const withModule = { ...o, design: { ...(o.design as object), path: 'variants/mine.ts', sha256: 'a'.repeat(64) } };
    expect(v2(withModule), ajv.errorsText(v2.errors)).toBe(true);
  });

  it('shapes the parser refuses are refused by the schema too', async () => {
    const o = await version2();
    const bad: Record<string, unknown>[] = [
      { ...o, digest: 'not-a-sha' },
      { ...o, design: { name: 'x' } },
      { ...o, design: { ...(o.design as object), path: 'mine.ts' } },
      { ...o, schedule: [['primary0', 0]] },
      { ...o, schedule: [] },
      { ...o, trace: { ...(o.trace as object), steps: 200_000 } },
      { ...o, scenario: { threads: [] } },
      { ...o, version: 3 },
      { ...o, property: '' },
    ];
    for (const b of bad) {
      expect(v2(b), JSON.stringify(b).slice(0, 200)).toBe(false);
      expect(() => parseCounterexample(JSON.stringify(b))).toThrow();
    }
  });
});
