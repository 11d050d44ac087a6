/**
 * Bad input, for every command: one line on stderr naming what is wrong and
 * what is valid, exit 2, no stack trace, nothing on stdout, and no file
 * created or changed.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, expectUsageError, tempDir } from './helpers.ts';

const dir = tempDir();
const runs = join(dir, 'runs');
const existing = join(runs, 'upstream-7.1.lock-order.1.json');
const truncated = join(dir, 'truncated.json');
const wrongFormat = join(dir, 'wrong-format.json');
const unknownDesign = join(dir, 'unknown-design.json');
const unknownProperty = join(dir, 'unknown-property.json');
const order = join(dir, 'bad.lockorder');

const VALID_CX = {
  format: 'vfio-dmabuf-model/counterexample',
  version: 1,
  design: { name: 'upstream-7.1' },
  property: 'lock-order',
  violation: { kind: 'deadlock', message: 'x' },
  found: { mode: 'exhaustive' },
  scenario: { threads: [{ name: 'primary0', ops: [{ op: 'close_device_fd', args: {} }] }] },
  schedule: [['primary0', 2]],
  trace: { steps: 2, contextSwitches: 0, digest: '0000000000000000' },
};

/** [arguments, what the one line must say] */
const CASES: [string[], RegExp][] = [
  // no command, unknown command, unknown flag
  [[], /missing command \(commands: check, replay/],
  [['frobnicate'], /unknown command "frobnicate" \(commands: check, replay, lockorder, diff, matrix, list/],
  [['check', '--frob'], /unknown flag --frob \(flags of check: --variant, --property, --mode/],
  [['replay', truncated, '--colour'], /unknown flag --colour \(flags of replay: --view, --format\)/],
  [['lockorder', '-x'], /unknown flag -x \(flags of lockorder: --variant, --design, --format/],
  [['diff', 'a', 'b', '--frob'], /unknown flag --frob \(flags of diff: --bound/],
  [['matrix', '--frob'], /unknown flag --frob \(flags of matrix: --json, --variant, --write\)/],
  [['list', 'variants', '--frob'], /unknown flag --frob \(flags of list: --json\)/],
  // unknown names
  [['check', '--variant', 'no-such-design'], /unknown variant "no-such-design" \(variants: upstream-7\.1, merged-6\.19,/],
  [
    ['check', '--property', 'no-such-property'],
    /unknown property "no-such-property" \(properties of upstream-7\.1: no-mmio-access-while-unavailable,/,
  ],
  [['check', '--property', 'pasid-dma-bound'], /property "pasid-dma-bound" does not apply to dmabuf designs/],
  [['lockorder', '--variant', 'nope'], /unknown variant "nope"/],
  [['diff', 'upstream-7.1', 'nope'], /unknown variant "nope"/],
  [['diff', 'upstream-7.1', 'sva-2018-v2'], /cannot diff upstream-7\.1 \(dmabuf\) with sva-2018-v2 \(sva\)/],
  [['matrix', '--variant', 'nope'], /unknown variant "nope" \(variants: upstream-7\.1/],
  [['list', 'nothing'], /unknown topic "nothing" \(expected one of variants, properties, commands, bounds\)/],
  [['check', '--focus', 'reboot'], /unknown command "reboot" for --focus \(commands: config_write_command,/],
  [['check', '--variant', './missing-variant.ts'], /cannot read variant module \.\/missing-variant\.ts/],
  // impossible bounds and bad values
  [['check', '--bound', 'ops=99'], /bound ops=99 is impossible: expected an integer from 0 to 6/],
  [['check', '--bound', 'devices=0'], /bound devices=0 is impossible/],
  [['check', '--bound', 'threads=2'], /unknown bound "threads" \(keys: devices, exported,/],
  [['lockorder', '--bound', 'ops'], /bad bound "ops": expected KEY=N/],
  [['check', '--bound', 'profile=nope'], /unknown profile "nope" \(profiles: ref-t4\)/],
  [['check', '--mode', 'fast'], /--mode fast: expected one of random, exhaustive, both/],
  [['check', '--runs', '0'], /--runs 0: expected an integer from 1 to/],
  [['check', '--runs'], /--runs needs a value/],
  [['check', '--jobs', '0'], /--jobs 0: expected an integer from 1 to/],
  [['check', '--seed', 'x'], /--seed x: expected an integer/],
  [['replay', truncated, '--view', 'wide'], /--view wide: expected one of diff, full, threads/],
  [['lockorder', '--format', 'svg'], /--format svg: expected one of text, dot, mermaid, json, c/],
  // missing arguments
  [['replay'], /missing FILE \(usage: vfio-dmabuf-model replay FILE/],
  [['diff', 'upstream-7.1'], /missing VARIANT_B/],
  [['list'], /missing TOPIC \(one of variants, properties, commands, bounds\)/],
  [['check', 'upstream-7.1'], /unexpected argument "upstream-7\.1" \(check takes only flags/],
  // malformed files
  [['replay', join(dir, 'absent.json')], /cannot read counterexample file .*absent\.json: no such file/],
  [['replay', dir], /cannot read counterexample file .*: it is a directory/],
  [['replay', truncated], /truncated\.json is not a valid counterexample file: not valid JSON/],
  [['replay', wrongFormat], /wrong-format\.json is not a valid counterexample file: format: expected "vfio-dmabuf-model\/counterexample"/],
  [['replay', unknownDesign], /unknown-design\.json: unknown variant "gone-design"/],
  [['replay', unknownProperty], /unknown-property\.json: unknown property "no-such-claim" \(properties: /],
  [['lockorder', '--design', join(dir, 'absent.lockorder')], /cannot read lock order file/],
  [['lockorder', '--design', order], /bad\.lockorder:2: "class" takes exactly one class name/],
  [['matrix', '--write', '--variant', 'upstream-7.1'], /--write regenerates the whole matrix: drop --variant/],
  [['check', '--out', existing], /--out .*upstream-7\.1\.lock-order\.1\.json is a file, not a directory/],
  [['check', '--mode', 'random', '--mode', 'exhaustive'], /--mode given twice \(random and exhaustive\)/],
];

function snapshot(): string {
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
  return files(dir)
    .sort()
    .map((f) => `${f}:${statSync(f).mtimeMs}:${readFileSync(f, 'utf8')}`)
    .join('\n');
}

describe('bad input', () => {
  beforeAll(() => {
    mkdirSync(runs, { recursive: true });
    writeFileSync(existing, '{"mine": true}\n');
    const full = JSON.stringify(VALID_CX, null, 2);
    writeFileSync(truncated, full.slice(0, Math.floor(full.length / 2)));
    writeFileSync(wrongFormat, JSON.stringify({ ...VALID_CX, format: 'tlc-trace' }));
    writeFileSync(unknownDesign, JSON.stringify({ ...VALID_CX, design: { name: 'gone-design' } }));
    writeFileSync(unknownProperty, JSON.stringify({ ...VALID_CX, property: 'no-such-claim' }));
    writeFileSync(order, '&dev_set->lock -> &vdev->memory_lock\nclass a b\n');
  }, 120_000);

  it('gets one line naming what is wrong and what is valid, exit 2, and changes no file', async () => {
    const before = snapshot();
    // a few at a time: each is a fresh node process
    const results: { args: string[]; want: RegExp; line: string | Error }[] = [];
    for (let i = 0; i < CASES.length; i += 6) {
      const batch = CASES.slice(i, i + 6);
      const rs = await Promise.all(
        batch.map(async ([args, want]) => {
          const withOut = ['check', 'lockorder'].includes(args[0] ?? '') && !args.includes('--out') ? [...args, '--out', runs] : args;
          const r = await cli(withOut);
          let line: string | Error;
          try {
            line = expectUsageError(r);
          } catch (e) {
            line = e as Error;
          }
          return { args, want, line };
        }),
      );
      results.push(...rs);
    }
    for (const { args, want, line } of results) {
      expect(line instanceof Error ? line.message : line, args.join(' ')).toMatch(want);
    }
    expect(snapshot()).toBe(before);
    expect(readFileSync(existing, 'utf8')).toBe('{"mine": true}\n');
  });
});
