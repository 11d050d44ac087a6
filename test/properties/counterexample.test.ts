/**
 * One path from a found counterexample to its file: the corpus and a file
 * `check` saves say how it was found in one shape, and files saved before,
 * with the bounds as an object, still load, replay and show their bounds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from '../../cli/matrix-files.ts';
import { designDigest } from '../../model/design-digest.ts';
import { findBuiltin } from '../../model/variants/index.ts';
import { counterexampleOf, foundBounds } from '../../properties/counterexample.ts';
import { replayFile } from '../../properties/replay.ts';

async function corpusFind() {
  const path = corpusFiles('.').find((f) => f.includes('/before-close-order/')) as string;
  const text = readFileSync(path, 'utf8');
  const { cx, result } = await replayFile(text);
  const design = findBuiltin(cx.design.name);
  if (!design) throw new Error(`no design ${cx.design.name}`);
  return { text, cx, exec: result.exec, design };
}

describe('counterexample files', () => {
  it('of one find: the corpus file regenerates byte for byte, and a saved file records the same found', async () => {
    const { text, cx, exec, design } = await corpusFind();
    const bounds = foundBounds(cx);
    expect(bounds).not.toBeNull();
    const found = { mode: 'exhaustive', bounds: bounds ?? {}, focus: design.focus };
    const corpus = counterexampleOf({ name: design.name }, cx.property, found, exec, 1);
    expect(`${JSON.stringify(corpus, null, 2)}\n`).toBe(text);
    const saved = counterexampleOf({ name: design.name, digest: designDigest(design) }, cx.property, found, exec);
    expect(saved.version).toBe(2);
    expect(saved.found).toEqual(corpus.found);
    expect(typeof saved.found.bounds).toBe('string');
  });

  it('saved before, with the bounds as an object: loads, replays and gives the same bounds', async () => {
    const { cx } = await corpusFind();
    const bounds = foundBounds(cx);
    const before = { ...cx, found: { ...cx.found, bounds } };
    expect(foundBounds(before)).toEqual(bounds);
    const r = await replayFile(JSON.stringify(before));
    expect(r.outcome).toBe('reproduced');
  });

  it('whose bounds are not bounds: none shown, and the replay does not need them', () => {
    const cx = (bounds: unknown) => ({ found: { mode: 'exhaustive', bounds } }) as unknown as Parameters<typeof foundBounds>[0];
    expect(foundBounds(cx('{not json'))).toBeNull();
    expect(foundBounds(cx('[1]'))).toBeNull();
    expect(foundBounds(cx({ ops: 'two' }))).toBeNull();
    expect(foundBounds(cx(undefined))).toBeNull();
  });
});
