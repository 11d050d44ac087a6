/**
 * A model's declarations (checker/signature.ts) against the scenarios a file
 * may hold: each thread's name gives its role, each operation must be one its
 * role runs, each argument one the operation takes and of a type it accepts,
 * and `as` names a handle once. Each refusal names the field, as a
 * counterexample file spells it, and says what was expected.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../checker/scenario.ts';
import { type ArgType, namedHandle, roleOf, type SetupLimit, type Signatures, scenarioError, typeText } from '../../checker/signature.ts';
import type { Args, Value } from '../../checker/value.ts';

/** "the devices it has, less one": 2 devices when the setup says nothing */
const devicesLess1: SetupLimit = { text: 'devices-1', of: (setup) => ((setup.devices as number | undefined) ?? 2) - 1 };

const sig: Signatures = {
  ops: {
    open: {
      help: 'open a device',
      args: { dev: { help: 'which', accepts: [{ type: 'integer', min: 0, max: devicesLess1 }], default: 0 } },
      takes: [],
      creates: ['buf'],
    },
    write: {
      help: 'write n',
      args: {
        n: { help: 'how many', accepts: [{ type: 'integer', min: 1, max: 3 }] },
        sync: { help: 'wait', accepts: [{ type: 'boolean' }], default: false },
      },
      takes: [],
      creates: [],
    },
    read: {
      help: 'read a buffer',
      args: {
        buf: {
          help: 'which',
          accepts: [
            { type: 'integer', min: 0, max: 3 },
            { type: 'handle', handle: 'buf' },
          ],
          default: 0,
        },
        mode: { help: 'how', accepts: [{ type: 'name', values: ['fast', 'slow'] }], default: 'fast' },
        peers: { help: 'who else', accepts: [{ type: 'threads', role: 'writer' }], default: [] },
        how: { help: 'one way', accepts: [{ type: 'name', values: ['only'] }], default: 'only' },
      },
      takes: ['buf'],
      creates: [],
    },
    fence: { help: 'make a fence', args: {}, takes: [], creates: ['note', 'fence'] },
    note: { help: 'leave a note', args: {}, takes: [], creates: ['note'] },
    wait: {
      help: 'wait on a fence',
      args: { on: { help: 'which', accepts: [{ type: 'handle', handle: 'fence' }] } },
      takes: ['fence'],
      creates: [],
    },
    pick: {
      help: 'a mode, or a buffer by name',
      args: {
        x: {
          help: 'x',
          accepts: [
            { type: 'name', values: ['any'] },
            { type: 'handle', handle: 'buf' },
          ],
        },
      },
      takes: [],
      creates: [],
    },
    some: {
      help: 'writers, or a buffer by name',
      args: {
        x: {
          help: 'x',
          accepts: [
            { type: 'threads', role: 'writer' },
            { type: 'handle', handle: 'buf' },
          ],
        },
      },
      takes: [],
      creates: [],
    },
    either: {
      help: 'a number or a flag',
      args: { x: { help: 'x', accepts: [{ type: 'integer', min: 0, max: 1 }, { type: 'boolean' }] } },
      takes: [],
      creates: [],
    },
  },
  actors: [
    { role: 'writer', help: 'writes', maxThreads: 2, ops: ['open', 'write', 'fence', 'note', 'either', 'wait', 'pick', 'some'] },
    { role: 'reader', help: 'reads', maxThreads: devicesLess1, ops: ['read'] },
  ],
  handles: { buf: { kind: 'dmabuf' }, fence: { kind: 'dma_fence' } },
};

const call = (op: string, args: Args = {}) => ({ op, args });
const sc = (threads: [string, ...ReturnType<typeof call>[]][], setup?: Args): Scenario => ({
  threads: threads.map(([name, ...ops]) => ({ name, ops })),
  ...(setup ? { setup } : {}),
});
const err = (s: Scenario) => scenarioError(sig, s, 'toy');
/** the error of one call by writer0 (or by reader0 for read) */
const one = (op: string, args: Args) => err(sc([[op === 'read' ? 'reader0' : 'writer0', call(op, args)]]));

describe('scenarioError', () => {
  it('accepts a scenario every part of which is declared, defaults left out', () => {
    const ok = sc([
      ['writer0', call('open', { as: 'b0' }), call('write', { n: 1 }), call('write', { n: 3, sync: true })],
      ['writer1', call('open', { dev: 0 }), call('fence', { as: 'f.1' })],
      ['reader0', call('read'), call('read', { buf: 'b0', mode: 'slow', peers: ['writer0', 'writer1'], how: 'only' })],
    ]);
    expect(err(ok)).toBeNull();
    expect(err(sc([]))).toBeNull();
  });

  it('takes a thread name only of a declared role below its limit, the limit read from the setup', () => {
    expect(err(sc([['writer2']]))).toBe(
      'scenario.threads[0].name: "writer2" is no thread of toy (threads: writer0..writer1, reader0..reader0)',
    );
    expect(err(sc([['writer1'], ['reader1']]))).toBe(
      'scenario.threads[1].name: "reader1" is no thread of toy (threads: writer0..writer1, reader0..reader0)',
    );
    expect(err(sc([['reader1']], { devices: 3 }))).toBeNull();
    expect(err(sc([['reader2']], { devices: 3 }))).toBe(
      'scenario.threads[0].name: "reader2" is no thread of toy (threads: writer0..writer1, reader0..reader1)',
    );
    for (const name of ['writer', 'writer01', 'Writer0', 'x0', '0', ' writer0', 'writer0 '])
      expect(err(sc([[name]])), name).toMatch(/^scenario\.threads\[0\]\.name: /);
    expect(scenarioError(sig, sc([['w9']]), 'm', 'cx.scenario')).toMatch(/^cx\.scenario\.threads\[0\]\.name: "w9" is no thread of m /);
  });

  it('takes only declared operations, and each only on a thread of a role that runs it', () => {
    expect(err(sc([['writer0', call('open'), call('frobnicate')]]))).toBe(
      'scenario.threads[0].ops[1].op: expected an operation of toy ("frobnicate" is not one; operations: open, write, read, fence, note, wait, pick, some, either)',
    );
    // an inherited property of every object is not an operation
    expect(err(sc([['writer0', call('toString')]]))).toMatch(/^scenario\.threads\[0\]\.ops\[0\]\.op: expected an operation of toy/);
    expect(err(sc([['writer0'], ['reader0', call('read'), call('write', { n: 1 })]]))).toBe(
      'scenario.threads[1].ops[1].op: a reader thread does not run write (reader threads run: read)',
    );
    expect(err(sc([['writer1', call('read')]]))).toBe(
      'scenario.threads[0].ops[0].op: a writer thread does not run read (writer threads run: open, write, fence, note, either, wait, pick, some)',
    );
  });

  it('refuses an argument the operation does not take, and a missing one it needs', () => {
    expect(one('write', { n: 1, speed: 2 })).toBe(
      'scenario.threads[0].ops[0].args.speed: write takes no argument "speed" (arguments: n, sync)',
    );
    expect(one('note', { n: 1 })).toBe('scenario.threads[0].ops[0].args.n: note takes no argument "n" (it takes none)');
    expect(one('write', {})).toBe('scenario.threads[0].ops[0].args.n: missing (write needs an integer 1..3)');
    expect(one('write', { sync: true })).toBe('scenario.threads[0].ops[0].args.n: missing (write needs an integer 1..3)');
    expect(one('either', {})).toBe('scenario.threads[0].ops[0].args.x: missing (either needs an integer 0..1, or true or false)');
    // the message gives the limit as it stands in this setup
    const dev = { help: '', accepts: [{ type: 'integer' as const, min: 0, max: devicesLess1 }] };
    const open: Signatures = { ...sig, ops: { ...sig.ops, open: { ...sig.ops.open!, args: { dev } } } };
    expect(scenarioError(open, sc([['writer0', call('open')]], { devices: 5 }), 'toy')).toBe(
      'scenario.threads[0].ops[0].args.dev: missing (open needs an integer 0..4)',
    );
  });

  it('checks integers: whole, safe and within their range (a setup limit from the setup)', () => {
    const at = 'scenario.threads[0].ops[0].args.n';
    expect(one('write', { n: 1 })).toBeNull();
    expect(one('write', { n: 3 })).toBeNull();
    expect(one('write', { n: 0 })).toBe(`${at}: 0 is out of range 1..3`);
    expect(one('write', { n: 4 })).toBe(`${at}: 4 is out of range 1..3`);
    expect(one('write', { n: 1.5 })).toBe(`${at}: 1.5: expected an integer`);
    expect(one('write', { n: '2' })).toBe(`${at}: "2": expected an integer`);
    expect(one('write', { n: 2 ** 53 })).toBe(`${at}: 9007199254740992: expected an integer`);
    const dev = (v: Value, setup?: Args) => err(sc([['writer0', call('open', { dev: v })]], setup));
    expect(dev(1)).toBeNull();
    expect(dev(2)).toBe('scenario.threads[0].ops[0].args.dev: 2 is out of range 0..1');
    expect(dev(2, { devices: 3 })).toBeNull();
    expect(dev(-1, { devices: 3 })).toBe('scenario.threads[0].ops[0].args.dev: -1 is out of range 0..2');
  });

  it('checks booleans, names and thread lists', () => {
    expect(one('write', { n: 1, sync: 0 })).toBe('scenario.threads[0].ops[0].args.sync: 0: expected true or false');
    expect(one('write', { n: 1, sync: 'true' })).toBe('scenario.threads[0].ops[0].args.sync: "true": expected true or false');
    expect(one('write', { n: 1, sync: false })).toBeNull();
    const read = (args: Args) => err(sc([['writer0'], ['writer1'], ['reader0', call('read', args)]]));
    const at = 'scenario.threads[2].ops[0].args';
    expect(read({ mode: 'slow' })).toBeNull();
    expect(read({ mode: 'medium' })).toBe(`${at}.mode: "medium": expected one of "fast", "slow"`);
    expect(read({ mode: 1 })).toBe(`${at}.mode: 1: expected one of "fast", "slow"`);
    expect(read({ how: 'other' })).toBe(`${at}.how: "other": expected "only"`);
    expect(read({ peers: ['writer1'] })).toBeNull();
    expect(read({ peers: [] })).toBeNull();
    expect(read({ peers: 'writer1' })).toBe(`${at}.peers: "writer1": expected a list of writer thread names`);
    expect(read({ peers: ['writer0', 1] })).toBe(`${at}.peers: ["writer0",1]: expected a list of writer thread names`);
    expect(read({ peers: ['writer0', 'reader0'] })).toBe(`${at}.peers: "reader0" is no writer thread of the scenario`);
    // a writer name the model allows but the scenario does not have
    expect(err(sc([['reader0', call('read', { peers: ['writer1'] })]]))).toBe(
      'scenario.threads[0].ops[0].args.peers: "writer1" is no writer thread of the scenario',
    );
  });

  it('checks an argument of several types by the type of the value given', () => {
    const read = (buf: Value, ...more: ReturnType<typeof call>[]) =>
      err(
        sc([
          ['writer0', ...more],
          ['reader0', call('read', { buf })],
        ]),
      );
    const at = 'scenario.threads[1].ops[0].args.buf';
    expect(read(3)).toBeNull();
    expect(read(7)).toBe(`${at}: 7 is out of range 0..3`);
    expect(read('b')).toBe(`${at}: no operation of the scenario names a buf "b" (with \`as\`)`);
    expect(read('b', call('open', { as: 'b' }))).toBeNull();
    expect(read('f', call('fence', { as: 'f' }))).toBe(`${at}: "f" names a fence, not a buf`);
    expect(read(true)).toBe(`${at}: true: expected an integer 0..3, or the name of a buf (given by \`as\`)`);
    // a name given later in the scenario counts; one given by an operation that names nothing does not
    expect(
      err(
        sc([
          ['reader0', call('read', { buf: 'late' })],
          ['writer0', call('open', { as: 'late' })],
        ]),
      ),
    ).toBeNull();
    expect(
      err(
        sc([
          ['reader0', call('read', { buf: 'x' })],
          ['writer0', call('note', { as: 'x' })],
        ]),
      ),
    ).toBe('scenario.threads[0].ops[0].args.buf: no operation of the scenario names a buf "x" (with `as`)');
    // a handle alone: any other value is not a name
    const wait = (on: Value) => err(sc([['writer0', call('fence', { as: 'f' }), call('wait', { on })]]));
    expect(wait('f')).toBeNull();
    expect(wait(0)).toBe('scenario.threads[0].ops[1].args.on: 0: expected the name of a fence (given by `as`)');
    expect(wait(['f'])).toBe('scenario.threads[0].ops[1].args.on: ["f"]: expected the name of a fence (given by `as`)');
    // two types take a string: a string neither takes gets the list
    expect(one('pick', { x: 'other' })).toBe(
      'scenario.threads[0].ops[0].args.x: "other": expected "any", or the name of a buf (given by `as`)',
    );
    // an array is for the thread list's words; a string for the handle's
    expect(one('some', { x: ['reader0'] })).toBe('scenario.threads[0].ops[0].args.x: "reader0" is no writer thread of the scenario');
    expect(one('some', { x: 'b' })).toBe('scenario.threads[0].ops[0].args.x: no operation of the scenario names a buf "b" (with `as`)');
    expect(one('some', { x: 4 })).toBe(
      'scenario.threads[0].ops[0].args.x: 4: expected a list of writer thread names, or the name of a buf (given by `as`)',
    );
    // without a handle among the types: the list of what it accepts
    expect(one('either', { x: 'no' })).toBe('scenario.threads[0].ops[0].args.x: "no": expected an integer 0..1, or true or false');
    expect(one('either', { x: 2 })).toBe('scenario.threads[0].ops[0].args.x: 2: expected an integer 0..1, or true or false');
    expect(one('either', { x: true })).toBeNull();
    expect(one('either', { x: 1 })).toBeNull();
  });

  it('takes `as` only on an operation that creates a handle, as a name given once', () => {
    expect(one('write', { n: 1, as: 'x' })).toBe('scenario.threads[0].ops[0].args.as: write creates nothing a later operation can name');
    expect(one('note', { as: 'x' })).toBe('scenario.threads[0].ops[0].args.as: note creates nothing a later operation can name');
    for (const bad of ['1b', '', 'a b', 'a/b', '-a'] as Value[])
      expect(one('open', { as: bad }), String(bad)).toBe(
        `scenario.threads[0].ops[0].args.as: ${JSON.stringify(bad)}: expected a name (a letter or _, then letters, digits, _ . -)`,
      );
    expect(one('open', { as: true })).toBe(
      'scenario.threads[0].ops[0].args.as: true: expected a name (a letter or _, then letters, digits, _ . -)',
    );
    expect(one('open', { as: 3 })).toBe(
      'scenario.threads[0].ops[0].args.as: 3: expected a name (a letter or _, then letters, digits, _ . -)',
    );
    for (const good of ['b', '_', 'B_1.x-y', 'a9']) expect(one('open', { as: good }), good).toBeNull();
    expect(
      err(
        sc([
          ['writer0', call('open', { as: 'b' })],
          ['writer1', call('fence', { as: 'b' })],
        ]),
      ),
    ).toBe('scenario.threads[1].ops[0].args.as: "b" is given twice (each name names one object)');
  });
});

describe('namedHandle', () => {
  it("is the first of an operation's creations that is a declared handle", () => {
    expect(namedHandle(sig, 'open')).toBe('buf');
    expect(namedHandle(sig, 'fence')).toBe('fence');
    expect(namedHandle(sig, 'note')).toBeNull();
    expect(namedHandle(sig, 'write')).toBeNull();
    expect(namedHandle(sig, 'nothing')).toBeNull();
    expect(namedHandle(sig, 'constructor')).toBeNull();
    // a model without handles names none, and none of Object's own properties is one
    expect(namedHandle({ ...sig, handles: undefined }, 'open')).toBeNull();
    const odd = { ...sig, ops: { ...sig.ops, mk: { help: '', args: {}, takes: [], creates: ['toString', 'buf'] } } };
    expect(namedHandle(odd, 'mk')).toBe('buf');
  });
});

describe('roleOf', () => {
  it('splits a name into role and index, below the role limit', () => {
    expect(roleOf(sig.actors, 'writer1', {})).toEqual({ role: 'writer', index: 1 });
    expect(roleOf(sig.actors, 'writer0', {})).toEqual({ role: 'writer', index: 0 });
    expect(roleOf(sig.actors, 'reader2', { devices: 4 })).toEqual({ role: 'reader', index: 2 });
    expect(roleOf(sig.actors, 'reader3', { devices: 4 })).toBeNull();
    expect(roleOf(sig.actors, 'writer2', {})).toBeNull();
    expect(roleOf(sig.actors, 'writer10', {})).toBeNull();
    expect(roleOf(sig.actors, 'other0', {})).toBeNull();
    expect(roleOf(sig.actors, 'writer00', {})).toBeNull();
    expect(roleOf(sig.actors, 'xwriter0', {})).toBeNull();
    expect(roleOf(sig.actors, 'writer0x', {})).toBeNull();
    const many = [{ role: 'w', help: '', maxThreads: 20, ops: [] }];
    expect(roleOf(many, 'w12', {})).toEqual({ role: 'w', index: 12 });
    expect(roleOf([{ role: 'a_b', help: '', maxThreads: 1, ops: [] }], 'a_b0', {})).toEqual({ role: 'a_b', index: 0 });
  });
});

describe('typeText', () => {
  it('reads each type as list ops and the errors print it', () => {
    const t = (x: ArgType, setup?: Args) => typeText(x, setup);
    expect(t({ type: 'integer', min: 0, max: 7 })).toBe('an integer 0..7');
    expect(t({ type: 'integer', min: 1, max: devicesLess1 })).toBe('an integer 1..devices-1');
    expect(t({ type: 'integer', min: 1, max: devicesLess1 }, { devices: 4 })).toBe('an integer 1..3');
    expect(t({ type: 'boolean' })).toBe('true or false');
    expect(t({ type: 'name', values: ['a'] })).toBe('"a"');
    expect(t({ type: 'name', values: ['a', 'b', 'c'] })).toBe('one of "a", "b", "c"');
    expect(t({ type: 'threads', role: 'reader' })).toBe('a list of reader thread names');
    expect(t({ type: 'handle', handle: 'buf' })).toBe('the name of a buf (given by `as`)');
  });
});
