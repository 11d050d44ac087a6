/**
 * Bad input, for every command: one line on stderr naming what is wrong and
 * what is valid, exit 2, no stack trace, nothing on stdout, and no file
 * created or changed.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, cli, expectUsageError, tempDir } from './helpers.ts';
import { here } from './here.ts';

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

/** Counterexample files, each wrong in one way the format check once let through. */
const cxFile = (name: string) => join(dir, `${name}.json`);
const threads = (op: string, args = {}) => ({ threads: [{ name: 'primary0', ops: [{ op, args }] }] });
const BAD_CX: Record<string, unknown> = {
  'huge-schedule': { ...VALID_CX, schedule: [['primary0', 1e9]], trace: { ...VALID_CX.trace, steps: 1e9 } },
  'unsafe-count': { ...VALID_CX, schedule: [['primary0', 1e300]], trace: { ...VALID_CX.trace, steps: 1e300 } },
  'huge-setup': { ...VALID_CX, scenario: { ...VALID_CX.scenario, setup: { devices: 100000 } } },
  'wrong-setup': { ...VALID_CX, scenario: { ...VALID_CX.scenario, setup: { devices: -1, exported: 'x' } } },
  'unknown-op': { ...VALID_CX, scenario: threads('reboot') },
  'inherited-op': { ...VALID_CX, scenario: threads('constructor') },
  'sva-op': { ...VALID_CX, scenario: threads('bind', { pid: 'self' }) },
  'path-number': { ...VALID_CX, design: { name: 'upstream-7.1', path: 5 } },
  'digest-number': { ...VALID_CX, design: { name: 'upstream-7.1', digest: 5 } },
  'thread-number': { ...VALID_CX, violation: { ...VALID_CX.violation, thread: 5 } },
  'negative-switches': { ...VALID_CX, trace: { ...VALID_CX.trace, contextSwitches: -1 } },
  // what a replay prints must not carry terminal escapes from whoever wrote the file
  'escape-in-message': { ...VALID_CX, violation: { ...VALID_CX.violation, message: 'x\u001b[2Jy' } },
  'escape-in-arg': { ...VALID_CX, scenario: threads('close_device_fd', { note: 'a\u001b]0;t\u0007' }) },
};
const elsewhere = tempDir();
const dangling = join(elsewhere, 'dangling');

/** [arguments, what the one line must say] */
const CASES: [string[], RegExp][] = [
  // no command, unknown command, unknown flag
  [[], /missing command \(commands: check, replay/],
  [['frobnicate'], /unknown command "frobnicate" \(commands: check, replay, lockorder, diff, matrix, list/],
  [['check', '--frob'], /unknown flag --frob \(flags of check: --variant, --property, --mode/],
  [
    ['replay', truncated, '--colour'],
    /unknown flag --colour \(flags of replay: --variant, --view, --width, --format, --json, --threads-only, --step-limit, --html\)/,
  ],
  [['lockorder', '-x'], /unknown flag -x \(flags of lockorder: --variant, --design, --format/],
  [['diff', 'a', 'b', '--frob'], /unknown flag --frob \(flags of diff: --bound/],
  [['matrix', '--frob'], /unknown flag --frob \(flags of matrix: --json, --variant, --write, --html\)/],
  [['list', 'variants', '--frob'], /unknown flag --frob \(flags of list: --json, --variant\)/],
  [['list', 'variants', '--variant', 'upstream-7.1'], /--variant applies to list ops only, not to list variants/],
  [['list', 'ops', '--variant', 'upstream-7.2'], /unknown variant "upstream-7.2"/],
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
  [['list', 'nothing'], /unknown topic "nothing" \(expected one of variants, properties, commands, bounds, ops\)/],
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
  [['lockorder', '--format', 'png'], /--format png: expected one of text, dot, svg, mermaid, json, c/],
  // missing arguments
  [['replay'], /missing FILE \(usage: vfio-dmabuf-model replay FILE/],
  [['diff', 'upstream-7.1'], /missing VARIANT_B/],
  [['list'], /missing TOPIC \(one of variants, properties, commands, bounds, ops\)/],
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
  // counterexample fields of the wrong type or size
  [['replay', cxFile('huge-schedule')], /schedule\[0\]: expected at most 100000 steps in all/],
  [['replay', cxFile('unsafe-count')], /schedule\[0\]: expected \[thread name, positive step count\]/],
  [
    ['replay', cxFile('huge-setup')],
    /huge-setup\.json: scenario\.setup: bound devices=100000 is impossible: expected an integer from 0 to 2/,
  ],
  [['replay', cxFile('wrong-setup')], /wrong-setup\.json: scenario\.setup: exported="x": expected an integer/],
  [
    ['replay', cxFile('unknown-op')],
    /scenario\.threads\[0\]\.ops\[0\]\.op: expected an operation of upstream-7\.1 \("reboot" is not one; operations: open_device,/,
  ],
  [['replay', cxFile('inherited-op')], /"constructor" is not one; operations:/],
  [['replay', cxFile('sva-op')], /"bind" is not one; operations:/],
  [['replay', cxFile('path-number')], /design\.path: expected a non-empty string/],
  [['replay', cxFile('digest-number')], /design\.digest: expected a non-empty string/],
  [['replay', cxFile('thread-number')], /violation\.thread: expected a non-empty string/],
  [['replay', cxFile('negative-switches')], /trace\.contextSwitches: expected an integer from 0 to 1/],
  [['replay', cxFile('escape-in-message')], /violation\.message: expected printable text \(no control characters\)/],
  [['replay', cxFile('escape-in-arg')], /scenario\.threads\[0\]\.ops\[0\]\.args\.note: expected printable text/],
  // an --out that cannot be written: said before the search, not after it
  [
    ['check', '--variant', 'before-close-order', '--mode', 'exhaustive', '--out', join(existing, 'sub')],
    /--out .*sub: cannot create or write the directory: a part of the path is not a directory/,
  ],
  [
    ['check', '--variant', 'before-close-order', '--mode', 'exhaustive', '--out', dangling],
    /--out .*dangling is a symbolic link to nothing/,
  ],
  // a list that names nothing is not "no list given" (which means all)
  [['check', '--property', ','], /--property ,: empty name in the list/],
  [['check', '--focus', 'close_device_fd,,flr'], /--focus close_device_fd,,flr: empty name in the list/],
  [['matrix', '--variant', ','], /--variant ,: empty name in the list/],
  // a bound given twice with two values
  [['check', '--bound', 'ops=1', '--bound', 'ops=2'], /--bound ops given twice \(ops=1 and ops=2\)/],
  [['lockorder', '--bound', 'ops=2', 'ops=0'], /--bound ops given twice \(ops=2 and ops=0\)/],
  [['diff', 'upstream-7.1', 'before-close-order', '--bound', 'ops=1', 'ops=2'], /--bound ops given twice/],
  // diff, like check and lockorder, does not ignore --focus beside a profile
  [
    ['diff', 'upstream-7.1', 'before-close-order', '--bound', 'profile=ref-t4', '--focus', 'close_device_fd', '--time-limit', '1'],
    /--focus cannot be combined with a profile/,
  ],
  // words after something that takes none
  [['help', 'check', 'extra'], /unexpected argument "extra" \(usage: vfio-dmabuf-model help \[COMMAND\]\)/],
  [['--help', 'extra'], /unknown command "extra"/],
  [['--version', 'extra'], /unexpected argument "extra" \(usage: vfio-dmabuf-model --version\)/],
  [['--version', '--frob'], /unknown flag --frob \(usage: vfio-dmabuf-model --version\)/],
  [['check', '--help', '--frob'], /unknown flag --frob \(flags of check:/],
  // control characters of the input are shown escaped, never sent to the terminal
  [['check', '--variant', 'nope\u001b[2J\rX'], /unknown variant "nope\\u001b\[2J\\rX" \(variants:/],
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
    for (const [name, cx] of Object.entries(BAD_CX)) writeFileSync(cxFile(name), JSON.stringify(cx));
    symlinkSync(join(elsewhere, 'nowhere'), dangling);
  }, 120_000);

  it('gets one line naming what is wrong and what is valid, exit 2, and changes no file', async () => {
    const before = snapshot();
    const results: { args: string[]; want: RegExp; line: string | Error }[] = [];
    for (const [args, want] of CASES) results.push({ args, want, line: lineOf(await here(withOut(args))) });
    for (const { args, want, line } of results) {
      expect(line instanceof Error ? line.message : line, args.join(' ')).toMatch(want);
    }
    expect(snapshot()).toBe(before);
    expect(readdirSync(elsewhere)).toEqual(['dangling']);
    expect(readFileSync(existing, 'utf8')).toBe('{"mine": true}\n');
  });

  it('says the same from a process of its own (bin.js, and the search worker of check, lockorder, diff and replay)', async () => {
    const before = snapshot();
    // the first case of each command, and no command at all
    const sample = ['check', 'replay', 'lockorder', 'diff', 'matrix', 'list', undefined].map(
      (c) => CASES.find(([args]) => args[0] === c) as [string[], RegExp],
    );
    const spawned = await Promise.all(sample.map(([args]) => cli(withOut(args))));
    for (const [i, [args, want]] of sample.entries()) {
      const line = lineOf(spawned[i] as CliResult);
      expect(line instanceof Error ? line.message : line, args.join(' ')).toMatch(want);
      expect(line, args.join(' ')).toEqual(lineOf(await here(withOut(args))));
    }
    expect(snapshot()).toBe(before);
  }, 120_000);
});

/** check and lockorder save into `runs`, where the snapshot sees anything they write. */
const withOut = (args: string[]) =>
  ['check', 'lockorder'].includes(args[0] ?? '') && !args.includes('--out') ? [...args, '--out', runs] : args;

function lineOf(r: CliResult): string | Error {
  try {
    return expectUsageError(r);
  } catch (e) {
    return e as Error;
  }
}
