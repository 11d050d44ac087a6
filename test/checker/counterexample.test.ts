/**
 * Counterexample files (checker/counterexample.ts): what a saved file holds,
 * the digest of its own content, every shape the parser refuses with the field
 * it names, and the four outcomes of a replay.
 */
import { describe, expect, it } from 'vitest';
import {
  type CounterexampleFile,
  CounterexampleFormatError,
  contentDigest,
  counterexampleScenario,
  MAX_NESTING,
  MAX_TRACE_STEPS,
  makeCounterexample,
  parseCounterexample,
  replayCounterexample,
} from '../../checker/counterexample.ts';
import type { Monitor } from '../../checker/monitor.ts';
import { runPath } from '../../checker/run.ts';
import type { Scenario } from '../../checker/scenario.ts';
import { traceDigest } from '../../checker/trace.ts';
import { lostUpdate, toySystem } from './toy-system.ts';

const twoIncr: Scenario = {
  threads: [
    { name: 'T0', ops: [{ op: 'incr', args: {} }] },
    { name: 'T1', ops: [{ op: 'incr', args: { n: [1, { a: 'x' }] } }] },
  ],
};
/** the shortest lost update: T0 calls and reads, T1 calls, reads and writes, T0 writes */
const LOST = [0, 0, 1, 1, 1, 0];
const D = 'd'.repeat(64);
const design = { name: 'toy-broken', digest: D };

function exec(scenario: Scenario = twoIncr, monitors: Monitor[] = [lostUpdate], path = LOST) {
  const out = runPath(toySystem(true), scenario, path, { record: 'full', monitors });
  if (!out.ok) throw new Error(out.reason);
  return out.exec;
}
const save = (version?: 1 | 2) =>
  makeCounterexample({ design, property: 'no-lost-update', found: { mode: 'exhaustive' }, exec: exec(), version });

describe('makeCounterexample', () => {
  it('writes version 2: the violation, the scenario, the schedule as runs, the trace and the digest of it all', () => {
    const e = exec();
    const cx = makeCounterexample({ design, property: 'no-lost-update', found: { mode: 'random', seed: 7 }, exec: e });
    const { digest, ...rest } = cx;
    expect(rest).toEqual({
      format: 'vfio-dmabuf-model/counterexample',
      version: 2,
      design,
      property: 'no-lost-update',
      violation: { kind: 'lost-update', message: 'counter is 1 after 2 increments' },
      found: { mode: 'random', seed: 7 },
      scenario: { threads: twoIncr.threads },
      schedule: [
        ['T0', 2],
        ['T1', 3],
        ['T0', 1],
      ],
      trace: { steps: 6, contextSwitches: 2, digest: traceDigest(e.steps) },
    });
    expect(digest).toBe(contentDigest(cx));
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("writes version 1 without digests, and keeps the violation's thread and the setup when there are", () => {
    const v1 = save(1);
    expect(v1.version).toBe(1);
    expect(Object.hasOwn(v1, 'digest')).toBe(false);
    const blame: Monitor = { name: 'blame', atEnd: () => ({ kind: 'blamed', message: 'T1 did it', thread: 'T1' }) };
    const withSetup = { ...twoIncr, setup: { devices: 2 } };
    const cx = makeCounterexample({ design, property: 'p', found: { mode: 'm' }, exec: exec(withSetup, [blame]) });
    expect(cx.violation).toEqual({ kind: 'blamed', message: 'T1 did it', thread: 'T1' });
    expect(cx.scenario).toEqual({ setup: { devices: 2 }, threads: twoIncr.threads });
    expect(Object.hasOwn(save().scenario, 'setup')).toBe(false);
    expect(Object.hasOwn(save().violation, 'thread')).toBe(false);
  });

  it('refuses an execution not recorded in full, and a version 2 file without the design digest', () => {
    const partial = runPath(toySystem(true), twoIncr, LOST, { record: 'none', monitors: [lostUpdate] });
    expect(() => makeCounterexample({ design, property: 'p', found: { mode: 'm' }, exec: partial.exec })).toThrow(
      'counterexamples need a fully recorded execution',
    );
    expect(() => makeCounterexample({ design: { name: 'toy' }, property: 'p', found: { mode: 'm' }, exec: exec() })).toThrow(
      'a version 2 counterexample needs the design digest',
    );
    expect(makeCounterexample({ design: { name: 'toy' }, property: 'p', found: { mode: 'm' }, exec: exec(), version: 1 }).version).toBe(1);
  });
});

describe('contentDigest', () => {
  it('is of everything but the digest itself, and changes with any field', () => {
    const cx = save();
    expect(contentDigest({ ...cx, digest: 'x' })).toBe(contentDigest(cx));
    // key order is no edit
    const reordered = Object.fromEntries(Object.entries(cx).reverse()) as unknown as CounterexampleFile;
    expect(contentDigest(reordered)).toBe(contentDigest(cx));
    expect(contentDigest({ ...cx, property: 'other' })).not.toBe(contentDigest(cx));
    expect(contentDigest({ ...cx, trace: { ...cx.trace, contextSwitches: 3 } })).not.toBe(contentDigest(cx));
  });
});

// biome-ignore lint/suspicious/noExplicitAny: a file read as JSON, edited field by field into every malformed shape
type Json = Record<string, any>;

/** The message parseCounterexample refuses `o` with (after `mut`), or 'ok'. */
function refusal(mut: (o: Json) => void, version: 1 | 2 = 2): string {
  const o = JSON.parse(JSON.stringify(save(version)));
  mut(o);
  try {
    // JSON.stringify writes Infinity as null: the text a file would hold is 1e999
    parseCounterexample(JSON.stringify(o).replaceAll(`"${INF}"`, '1e999').replaceAll(`"-${INF}"`, '-1e999'));
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(CounterexampleFormatError);
    return (e as Error).message;
  }
}
/** stands for a number that parses as Infinity */
const INF = '<1e999>';
const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);

describe('parseCounterexample', () => {
  it('reads back what was saved, in both versions', () => {
    for (const v of [1, 2] as const) {
      const cx = save(v);
      expect(parseCounterexample(JSON.stringify(cx, null, 2))).toEqual(cx);
    }
    expect(refusal(() => {})).toBe('ok');
  });

  it('refuses text that is no JSON object', () => {
    expect(() => parseCounterexample('{"format":')).toThrow(/^not valid JSON \(.+\)$/);
    expect(() => parseCounterexample('{"format":')).toThrow(CounterexampleFormatError);
    for (const t of ['[]', 'null', '3', '"x"']) expect(() => parseCounterexample(t), t).toThrow(/^file: expected a JSON object$/);
  });

  it('refuses values nested deeper than MAX_NESTING, naming the field to two levels', () => {
    expect(MAX_NESTING).toBe(32);
    // found is at depth 1, found.x's outer array at 2: 30 arrays end at depth 31
    expect(refusal((o) => (o.found.x = nest(30)))).toBe('ok');
    expect(refusal((o) => (o.found.x = nest(31)))).toBe('found.x: expected values nested at most 32 deep');
    expect(refusal((o) => (o.extra = [1, nest(31)]))).toBe('extra[1]: expected values nested at most 32 deep');
    expect(refusal((o) => (o.scenario.threads[1].ops[0].args.n = nest(40)))).toBe(
      'scenario.threads: expected values nested at most 32 deep',
    );
  });

  it('refuses a wrong format or version', () => {
    expect(refusal((o) => (o.format = 'other'))).toBe('format: expected "vfio-dmabuf-model/counterexample"');
    for (const v of [0, 3, '2', null])
      expect(refusal((o) => (o.version = v))).toBe('version: expected 1 or 2 (this tool reads versions 1 and 2)');
  });

  it('checks the design: its name, and in version 2 the digests and a module with the sha256 of its text', () => {
    expect(refusal((o) => (o.design = 'toy'))).toBe('design: expected an object {name, path?, sha256?, digest}');
    expect(refusal((o) => (o.design = ['toy']), 1)).toBe('design: expected an object {name, path?, digest?}');
    expect(refusal((o) => (o.design.name = ''))).toBe('design.name: expected a non-empty string');
    expect(refusal((o) => delete o.design.name, 1)).toBe('design.name: expected a non-empty string');
    expect(refusal((o) => (o.design.path = ''), 1)).toBe('design.path: expected a non-empty string');
    expect(refusal((o) => (o.design.path = 'v/mine.ts'), 1)).toBe('ok');
    expect(refusal((o) => (o.design.path = 'v/mine.ts'))).toBe('design.sha256: expected a sha256 (64 hex digits)');
    expect(refusal((o) => (o.design.sha256 = D))).toBe('design.path: expected a non-empty string');
    expect(refusal((o) => Object.assign(o.design, { path: 'v/mine.ts', sha256: D }))).toBe('ok');
    // an array of the right digits is no sha256 either
    for (const bad of ['D'.repeat(64), 'd'.repeat(63), 'd'.repeat(65), `${'d'.repeat(63)}g`, 7, [D]]) {
      expect(refusal((o) => (o.design.digest = bad))).toBe('design.digest: expected a sha256 (64 hex digits)');
      expect(refusal((o) => (o.digest = bad))).toBe('digest: expected a sha256 (64 hex digits)');
    }
    expect(refusal((o) => delete o.design.digest)).toBe('design.digest: expected a sha256 (64 hex digits)');
    expect(refusal((o) => delete o.digest)).toBe('digest: expected a sha256 (64 hex digits)');
    // version 1: a digest of any form, or none
    expect(refusal((o) => (o.design.digest = 'abc'), 1)).toBe('ok');
    expect(refusal((o) => delete o.design.digest, 1)).toBe('ok');
    expect(refusal((o) => (o.design.digest = ''), 1)).toBe('design.digest: expected a non-empty string');
  });

  it('checks the property and the violation, whose message may span lines', () => {
    expect(refusal((o) => (o.property = 3))).toBe('property: expected a non-empty string');
    expect(refusal((o) => (o.violation = null))).toBe('violation: expected an object {kind, message, thread?}');
    expect(refusal((o) => (o.violation.kind = ''))).toBe('violation.kind: expected a non-empty string');
    expect(refusal((o) => (o.violation.message = 1))).toBe('violation.message: expected a string');
    expect(refusal((o) => (o.violation.message = ''))).toBe('ok');
    expect(refusal((o) => (o.violation.message = 'one\n\ttwo'))).toBe('ok');
    expect(refusal((o) => (o.violation.message = 'a\u001b[2Jb'))).toBe(
      'violation.message: expected printable text (no control characters)',
    );
    expect(refusal((o) => (o.violation.thread = 'T1'))).toBe('ok');
    expect(refusal((o) => (o.violation.thread = ''))).toBe('violation.thread: expected a non-empty string');
  });

  it('refuses control characters and bidi overrides, and tabs and newlines outside a message', () => {
    const refused = [
      '\u0000',
      '\u0008',
      '\u000b',
      '\u001f',
      '\u007f',
      '\u009f',
      '\u200e',
      '\u200f',
      '\u2028',
      '\u2029',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
      '\r',
    ];
    for (const c of refused) {
      const code = c.charCodeAt(0).toString(16);
      expect(
        refusal((o) => (o.violation.message = `a${c}b`)),
        code,
      ).toBe('violation.message: expected printable text (no control characters)');
      expect(
        refusal((o) => (o.property = `a${c}b`)),
        code,
      ).toBe('property: expected printable text (no control characters)');
    }
    for (const c of [' ', '~', '\u00a0', 'é', '\u200d', '\u2010', '\u2027', '\u202f', '\u2065', '\u206a', '😀']) {
      expect(
        refusal((o) => (o.property = `a${c}b`)),
        c.charCodeAt(0).toString(16),
      ).toBe('ok');
    }
    expect(refusal((o) => (o.property = 'a\tb'))).toBe('property: expected printable text (no control characters)');
    expect(refusal((o) => (o.property = 'a\nb'))).toBe('property: expected printable text (no control characters)');
  });

  it('takes plain, printable values in found and in the setup, and a mode to print', () => {
    expect(refusal((o) => (o.found = []))).toBe('found: expected an object of plain values');
    expect(refusal((o) => (o.found.runs = INF))).toBe('found.runs: expected a plain value');
    expect(refusal((o) => (o.found.list = [1, true, null, { a: 'b' }]))).toBe('ok');
    expect(refusal((o) => (o.found.list = [1, { a: 'b\tc' }]))).toBe('found.list[1].a: expected printable text (no control characters)');
    expect(refusal((o) => (o.found['a\u0007'] = 1))).toBe('found: expected printable text (no control characters)');
    expect(refusal((o) => delete o.found.mode)).toBe('found.mode: expected a non-empty string');
    expect(refusal((o) => (o.scenario = []))).toBe('scenario: expected an object {threads}');
    expect(refusal((o) => (o.scenario.setup = { devices: 2, names: ['a'] }))).toBe('ok');
    expect(refusal((o) => (o.scenario.setup = null))).toBe('scenario.setup: expected an object of plain values');
    expect(refusal((o) => (o.scenario.setup = [1]))).toBe('scenario.setup: expected an object of plain values');
    expect(refusal((o) => (o.scenario.setup = { n: `-${INF}` }))).toBe('scenario.setup.n: expected a plain value');
  });

  it('checks each thread: a unique printable name, and operations with plain arguments', () => {
    expect(refusal((o) => (o.scenario.threads = []))).toBe('scenario.threads: expected a non-empty array');
    expect(refusal((o) => (o.scenario.threads = { T0: [] }))).toBe('scenario.threads: expected a non-empty array');
    expect(refusal((o) => (o.scenario.threads[1] = 'T1'))).toBe('scenario.threads[1]: expected an object {name, ops}');
    expect(refusal((o) => (o.scenario.threads[1].name = ''))).toBe('scenario.threads[1].name: expected a non-empty string');
    expect(refusal((o) => (o.scenario.threads[1].name = 'T\n1'))).toBe(
      'scenario.threads[1].name: expected printable text (no control characters)',
    );
    expect(refusal((o) => (o.scenario.threads[1].name = 'T0'))).toBe(
      'scenario.threads[1].name: expected a unique thread name ("T0" repeats)',
    );
    expect(refusal((o) => (o.scenario.threads[0].ops = {}))).toBe('scenario.threads[0].ops: expected an array');
    expect(refusal((o) => (o.scenario.threads[0].ops = []))).toBe('ok');
    expect(refusal((o) => (o.scenario.threads[0].ops[1] = ['incr']))).toBe('scenario.threads[0].ops[1]: expected an object {op, args}');
    expect(refusal((o) => (o.scenario.threads[0].ops[0].op = ''))).toBe('scenario.threads[0].ops[0].op: expected a non-empty string');
    expect(refusal((o) => delete o.scenario.threads[0].ops[0].args)).toBe(
      'scenario.threads[0].ops[0].args: expected an object of plain values',
    );
    expect(refusal((o) => (o.scenario.threads[1].ops[0].args.n[1].a = INF))).toBe(
      'scenario.threads[1].ops[0].args.n[1].a: expected a plain value',
    );
  });

  it('checks the schedule: runs of a scenario thread and a positive count, at most MAX_TRACE_STEPS in all', () => {
    expect(MAX_TRACE_STEPS).toBe(100_000);
    for (const s of [[], 'T0', null])
      expect(refusal((o) => (o.schedule = s))).toBe('schedule: expected a non-empty array of [thread, steps]');
    for (const r of [['T0'], ['T0', 1, 1], [0, 1], ['T0', 0], ['T0', 1.5], ['T0', '1'], 'T0', ['T0', 2 ** 53]])
      expect(
        refusal((o) => (o.schedule[1] = r)),
        JSON.stringify(r),
      ).toBe('schedule[1]: expected [thread name, positive step count]');
    expect(refusal((o) => (o.schedule[2] = ['T9', 2]))).toBe('schedule[2]: expected a thread of the scenario ("T9" is not one)');
    const long = (o: Json, last: number) => {
      o.schedule = [
        ['T0', MAX_TRACE_STEPS - 1],
        ['T1', last],
      ];
      o.trace.steps = MAX_TRACE_STEPS - 1 + last;
    };
    expect(refusal((o) => long(o, 1))).toBe('ok');
    expect(refusal((o) => long(o, 2))).toBe('schedule[1]: expected at most 100000 steps in all (the counts reach 100001)');
  });

  it("checks the trace: its steps the schedule's length, at most one switch fewer, a digest", () => {
    expect(refusal((o) => (o.trace = [6, 2, 'x']))).toBe('trace: expected an object {steps, contextSwitches, digest}');
    for (const s of [0, -1, 1.5, '6', MAX_TRACE_STEPS + 1])
      expect(
        refusal((o) => (o.trace.steps = s)),
        String(s),
      ).toBe('trace.steps: expected an integer from 1 to 100000');
    expect(refusal((o) => (o.trace.steps = 7))).toBe("trace.steps: expected the schedule's length (6)");
    expect(refusal((o) => (o.trace.contextSwitches = 5))).toBe('ok');
    expect(refusal((o) => (o.trace.contextSwitches = 0))).toBe('ok');
    for (const c of [6, -1, 0.5, null])
      expect(
        refusal((o) => (o.trace.contextSwitches = c)),
        String(c),
      ).toBe('trace.contextSwitches: expected an integer from 0 to 5');
    expect(refusal((o) => (o.trace.digest = ''))).toBe('trace.digest: expected a non-empty string');
  });
});

describe('counterexampleScenario', () => {
  it('is the scenario the file holds, its setup only when it has one', () => {
    const cx = save();
    expect(counterexampleScenario(cx)).toEqual(twoIncr);
    expect(Object.hasOwn(counterexampleScenario(cx), 'setup')).toBe(false);
    const withSetup = { ...cx, scenario: { ...cx.scenario, setup: { devices: 1 } } };
    expect(counterexampleScenario(withSetup)).toEqual({ ...twoIncr, setup: { devices: 1 } });
  });
});

describe('replayCounterexample', () => {
  it('reproduces the recorded violation with the identical trace', () => {
    const r = replayCounterexample(toySystem(true), save(), [lostUpdate]);
    expect(r).toMatchObject({ outcome: 'reproduced', reproduced: true, sameTrace: true, reason: null });
    expect(r.violation?.kind).toBe('lost-update');
    expect(r.exec.path).toEqual(LOST);
  });

  it('a changed trace still reproduces, but not as the same trace', () => {
    const cx = save();
    const r = replayCounterexample(toySystem(true), { ...cx, trace: { ...cx.trace, digest: 'other' } }, [lostUpdate]);
    expect(r.outcome).toBe('reproduced');
    expect(r.sameTrace).toBe(false);
  });

  it('says so when another violation happens, when none does, and when the schedule stops fitting', () => {
    const cx = save();
    const other: Monitor = { name: 'other', atEnd: () => ({ kind: 'other-kind', message: 'first line\nsecond line' }) };
    const different = replayCounterexample(toySystem(true), cx, [other]);
    expect(different).toMatchObject({ outcome: 'different', reproduced: false, sameTrace: true });
    expect(different.reason).toBe('a different violation happened: other-kind: first line');
    expect(different.violation?.kind).toBe('other-kind');

    // no monitors given: none
    const clean = replayCounterexample(toySystem(true), cx);
    expect(clean).toMatchObject({ outcome: 'clean', reproduced: false, sameTrace: true, violation: null });
    expect(clean.reason).toBe('the execution ran to its end without a violation');

    const tooLong = { ...cx, schedule: [...cx.schedule, ['T1', 1]] as const };
    const fits = replayCounterexample(toySystem(true), tooLong as unknown as CounterexampleFile, []);
    expect(fits).toMatchObject({ outcome: 'no-longer-fits', reproduced: false, sameTrace: false, violation: null });
    expect(fits.reason).toBe('the schedule no longer fits: the execution ended after 6 of 7 steps');
  });

  it('refuses a scenario that calls an operation the system does not have, inherited names included', () => {
    const cx = save();
    for (const op of ['frob', 'constructor', 'toString']) {
      const threads = [cx.scenario.threads[0]!, { name: 'T1', ops: [{ op, args: {} }] }];
      const bad = { ...cx, scenario: { threads } };
      expect(() => replayCounterexample(toySystem(true), bad, [])).toThrow(CounterexampleFormatError);
      expect(() => replayCounterexample(toySystem(true), bad, [])).toThrow(
        `scenario.threads[1].ops[0].op: expected an operation of toy-broken ("${op}" is not one; operations: incr, lock_ab, lock_ba)`,
      );
    }
  });
});
