/**
 * Saves version-2 counterexample files again after a model change that keeps their traces (the
 * example files under examples/counterexamples/ record the digest of the design's code, so any
 * edit of a function they run makes their replay say CHANGED). Each file must replay to the same
 * violation by the same trace; then only its design digest, and with it its content digest, is
 * written anew. A file whose trace or violation changed is refused and left as it is: that is a
 * change to look at, not to save over.
 *
 *   npx tsx --import ./checker/compiled/register.ts bench/resave-counterexamples.ts examples/counterexamples/*.json
 *
 * Run it through the command line's loader (as above): the digest reads the JavaScript the loader
 * made of the model (docs/engine.md), and `replay` checks it the same way. Unlike `replay`, it loads
 * the variant module a file names (it is for this repository's own files, whose modules are here).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { contentDigest } from '../checker/counterexample.ts';
import { designDigest } from '../model/design-digest.ts';
import { replayFile } from '../properties/replay.ts';

let refused = 0;
for (const path of process.argv.slice(2)) {
  const text = readFileSync(path, 'utf8');
  const module = (JSON.parse(text) as { design?: { path?: string } }).design?.path;
  const replay = await replayFile(text, module === undefined ? {} : { variant: module });
  const { cx, result } = replay;
  if (cx.version !== 2) {
    console.log(`${path}: version ${cx.version}, which records no design digest: left as it is`);
    continue;
  }
  if (!result.reproduced || !result.sameTrace) {
    console.log(`${path}: REFUSED: ${result.reproduced ? 'reproduces by another trace' : 'no longer reproduces'}`);
    refused++;
    continue;
  }
  const digest = designDigest(replay.loaded.design);
  if (digest === cx.design.digest && contentDigest(cx) === cx.digest) {
    console.log(`${path}: unchanged`);
    continue;
  }
  const saved = { ...cx, design: { ...cx.design, digest } };
  writeFileSync(path, `${JSON.stringify({ ...saved, digest: contentDigest(saved) }, null, 2)}\n`);
  console.log(`${path}: saved again (same ${result.exec.path.length} steps, same violation; design digest ${digest.slice(0, 12)})`);
}
process.exit(refused > 0 ? 1 : 0);
